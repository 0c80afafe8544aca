"""«Настройки»: the board's choices in one table, read through one function, audited."""

from decimal import Decimal

import pytest

from snt.settings import SPECS, SettingsError, display, save_settings, setting
from tests.helpers import audit_actions, page_text


def every_field(**typed: str) -> dict[str, str]:
    """The form as the page sends it: every declared setting at its default, then `typed`."""
    return {s.key: display(s, s.default) for s in SPECS if s.kind != "bool"} | typed


def test_an_unsaved_setting_reads_as_its_default(app):
    with app.app_context():
        assert setting("electricity_due_day") == 5
        assert setting("sms_part_price") == Decimal("0.00")


def test_the_board_changes_a_setting_and_the_log_says_so(app, accounts):
    board = accounts.staff("board")
    page = page_text(board.get("/admin/settings/"))
    assert "Оплатить электроэнергию до (число месяца)" in page
    response = board.post(
        "/admin/settings/", data=every_field(electricity_due_day="10", sms_part_price="4,95")
    )
    assert response.status_code == 302
    assert "Настройки сохранены." in page_text(board.get("/admin/settings/"))
    with app.app_context():
        assert setting("electricity_due_day") == 10
        assert setting("sms_part_price") == Decimal("4.95")
    assert audit_actions(app).count("settings.edit") == 2
    log = page_text(board.get("/admin/audit/"))
    assert "Настройка изменена" in log and "5 → 10" in log
    # Saving the same values again changes nothing and logs nothing.
    board.post("/admin/settings/", data=every_field(electricity_due_day="10", sms_part_price="4,95"))
    assert audit_actions(app).count("settings.edit") == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31", "не больше 28"),
        ("0", "не меньше 1"),
        ("пять", "не число"),
        ("5,5", "знаков после запятой"),
        ("", "пустое значение"),
    ],
)
def test_a_wrong_value_is_refused_with_a_russian_message_and_nothing_saved(app, accounts, typed, message):
    board = accounts.staff("board")
    response = board.post("/admin/settings/", data=every_field(electricity_due_day=typed, sms_part_price="3"))
    assert response.status_code == 422
    assert message in page_text(response)
    with app.app_context():
        assert setting("electricity_due_day") == 5
        assert setting("sms_part_price") == Decimal("0.00")  # the valid field waits for the other
    assert audit_actions(app).count("settings.edit") == 0


def test_a_member_cannot_open_the_settings(app, accounts, reference):
    member = accounts.member("269", "orlova269@example.ru")
    assert member.get("/admin/settings/").status_code == 403
    assert member.post("/admin/settings/", data={"electricity_due_day": "7"}).status_code == 403


def test_the_service_refuses_an_unknown_key(app):
    with app.app_context(), pytest.raises(SettingsError) as raised:
        save_settings({"no_such_setting": "1"}, by=None)
    assert raised.value.problems == {"no_such_setting": "такой настройки нет"}
