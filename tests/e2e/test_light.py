"""Light and self-contained: nothing from other hosts, cabinet pages under 60 KB with their CSS
and JS, and everything works with JavaScript off."""

import pytest

from snt.demo import DEMO_PASSWORDS
from tests.e2e.conftest import PHONE, Contexts, demo_member
from tests.e2e.test_journey import MAY_JUNE_269

CABINET = [
    ("/my-data/", "269"),
    ("/my-data/edit", "Изменить регистрационные данные"),
    ("/auth/account", "Изменить электропочту или пароль"),
    ("/my-data/payments/", "Статус моих оплат от 6 июня 2022"),
    ("/my-data/electricity/", "Показания моих счетчиков электричества"),  # 14 months of readings
]
LIMIT = 60 * 1024


def load_foreign_image(contexts: Contexts, **options) -> list[str]:
    """Make the home page load an image from another host; the console's messages."""
    page = contexts.new(PHONE, **options).new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/")
    page.evaluate("src => { const i = new Image(); i.src = src; document.body.append(i); }",
                  "https://cdn.example.com/font.woff2")  # fmt: skip
    page.wait_for_load_state("networkidle")
    return messages


def test_a_request_to_another_host_is_refused_and_reported(browser, demo_site):
    contexts = Contexts(browser, demo_site)
    try:
        # The site's Content-Security-Policy stops it in the browser: nothing leaves at all.
        messages = load_foreign_image(contexts)
        assert contexts.foreign_requests == []
        assert any("Content Security Policy" in m and "cdn.example.com" in m for m in messages), messages
        # With the policy bypassed, the tests' own guard still catches and reports it.
        load_foreign_image(contexts, bypass_csp=True)
        assert contexts.foreign_requests == ["https://cdn.example.com/font.woff2"]
    finally:
        contexts.close()


def transferred(page, path: str) -> dict[str, int]:
    """Bytes of each response (headers and body) that loading `path` took, with an empty cache."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    sizes = {}
    for response in responses:
        size = response.request.sizes()
        assert size["responseBodySize"] == len(response.body())
        sizes[response.url.split("/", 3)[3]] = size["responseHeadersSize"] + size["responseBodySize"]
    return sizes


@pytest.mark.parametrize("path, heading", CABINET)
def test_each_cabinet_page_is_under_60_kb_with_its_css_and_js(browse_demo, path, heading):
    state = demo_member(browse_demo).page.context.storage_state()
    page = browse_demo.new(PHONE, storage_state=state).new_page()  # a cold cache
    sizes = transferred(page, path)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert {"static/style.css", "static/menu.js"} <= set(sizes)
    assert sum(sizes.values()) < LIMIT, sizes


def test_log_in_and_read_the_tables_with_javascript_off(browse_demo):
    orlova = browse_demo.person(PHONE, java_script_enabled=False)
    orlova.open("/", "Объявления")
    orlova.log_in("269", DEMO_PASSWORDS["269"], "Статус моих оплат от 6 июня 2022")
    assert "js" not in (orlova.page.locator("html").get_attribute("class") or "")  # no script ran
    orlova.menu("Мои данные", "Статус моих оплат", "Статус моих оплат от 6 июня 2022")
    assert orlova.row('caption:text("Участок 269") >> xpath=.. >> tr.general')[-2:] == ["7 200,00", "0,00"]
    orlova.menu(
        "Мои данные", "Показания моих счетчиков электричества", "Показания моих счетчиков электричества"
    )
    # The demo's 269 has paid all her electricity: the due cell carries the period's status.
    assert orlova.row('tbody:nth-of-type(1) tr[data-plot="269"]') == [*MAY_JUNE_269[:-1], "4 121,45 оплачено"]
    orlova.menu("Мои данные", "Изменить регистрационные данные", "Изменить регистрационные данные")
    orlova.fill(Мобильный="8 903 122 11 06").submit("Сохранить", "269")
    assert "Мобильный 89031221106" in orlova.text()
    orlova.log_out()


def test_scripts_run_when_javascript_is_on(browse_demo):
    visitor = browse_demo.person(PHONE)
    visitor.open("/", "Объявления")
    assert "js" in visitor.page.locator("html").get_attribute("class")
