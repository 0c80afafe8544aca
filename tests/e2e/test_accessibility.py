"""Accessibility the browser can measure: bound labels, errors linked to their fields, and the
page checks themselves (tests/e2e/checks.py), shown to catch what they look for."""

from tests.e2e.checks import focus_ring, page_problems, small_targets
from tests.e2e.conftest import PHONE, demo_member

BAD_PAGE = """<!doctype html><html lang="en">
<meta name="viewport" content="width=device-width, initial-scale=1"><body>
<div style="width: 500px">too wide</div>
<form><input name="nameless" style="width: 180px; height: 30px; box-sizing: border-box">
<button style="width: 50px; height: 20px; outline: none">ok</button></form>
<table><tr><td>no header</td></tr></table>
<p style="color: #999">pale grey</p>
</body></html>"""


def test_the_page_checks_catch_what_they_look_for(browse):
    page = browse.new(PHONE).new_page()
    page.set_content(BAD_PAGE)
    problems = page_problems(page)
    assert problems[:4] == [
        '<html lang="en">',
        "the page scrolls sideways: 508 px > 360 px",  # 500 px and the body margin,
        "a field without a label: nameless",
        "table 1 has no column header cells",
    ]
    assert len(problems) == 5 and problems[4].startswith('contrast 2.85 < 4.5: "pale grey"')
    assert small_targets(page) == ['input "nameless" 180×30', 'button "ok" 50×20']
    page.locator("button").focus()
    assert focus_ring(page)["width"] == 0


def test_errors_stand_next_to_their_fields_and_are_linked_to_them(browse, site):
    visitor = browse.person(PHONE)
    visitor.open("/auth/register", "Зарегистрироваться")
    visitor.fill(**{
        "Номер участка (логин)": "9999",
        "Адрес электропочты": "orlova",
        "Пароль": "Sad-2022-ok",
        "Подтвердить пароль": "Sad-2022-no",
    }).submit("Зарегистрироваться", "Зарегистрироваться")  # fmt: skip
    page = visitor.page
    assert page.get_by_role("alert").inner_text() == "Проверьте поля, отмеченные ниже."
    expected = {
        "Адрес электропочты": "Введите адрес электропочты полностью, например ivanov@mail.ru.",
        "Подтвердить пароль": "Пароли не совпадают.",
        "Я согласен(на) на обработку моих персональных данных": (
            "Без согласия на обработку персональных данных регистрация невозможна."
        ),
    }
    for label, message in expected.items():
        field = page.get_by_label(label, exact=True)
        assert field.get_attribute("aria-invalid") == "true", label
        error = page.locator(f"#{field.get_attribute('aria-describedby')}")
        assert error.inner_text() == message
        # Next to the field: in the same block, just below it.
        assert error.evaluate("(e, f) => e.parentElement === f.parentElement", field.element_handle())
        assert 0 < error.bounding_box()["y"] - field.bounding_box()["y"] < 120
    assert page.get_by_label("Пароль", exact=True).get_attribute("aria-invalid") is None
    assert page.get_by_label("Номер участка (логин)").input_value() == "9999"


def test_a_hint_is_linked_to_its_field(browse_demo):
    visitor = demo_member(browse_demo)
    visitor.menu("Мои данные", "Изменить регистрационные данные", "Изменить регистрационные данные")
    phone = visitor.page.get_by_label("Мобильный", exact=True)
    hint = visitor.page.locator(f"#{phone.get_attribute('aria-describedby')}")
    assert hint.inner_text() == "11 цифр, начиная с 8, например 89991234567"
