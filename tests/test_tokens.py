"""Signed links: an age on every load, one salt per purpose, single use, the configured address."""

import ast
from pathlib import Path

import itsdangerous.timed
import pytest

from tests.helpers import page_text

GOOD = "Sad-2022-ok"


@pytest.fixture
def later(monkeypatch):
    """Moves itsdangerous' clock forward by the given seconds."""
    real_time = itsdangerous.timed.time.time

    def move(seconds: int) -> None:
        monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() + seconds)

    return move


def test_reset_link_one_second_past_its_age_is_refused_with_an_offer_of_a_new_one(
    app, reference, client, accounts, mailbox, later
):
    accounts.register("269", "orlova269@example.ru")
    client.post("/auth/forgot", data={"login": "269"})
    link = mailbox.link("orlova269@example.ru", "/auth/reset/")
    later(app.config["RESET_MAX_AGE"] - 5)
    assert client.get(link).status_code == 200  # still valid just before
    later(app.config["RESET_MAX_AGE"] + 1)
    response = client.post(link, data={"password": "New-pass-2022", "password2": "New-pass-2022"})
    assert response.status_code == 400
    assert "Срок действия ссылки истёк. Запросите новую ссылку." in page_text(response)
    assert "Получить новую ссылку для пароля" in page_text(response)
    assert accounts.login("269", GOOD)  # the password did not change


def test_email_change_link_past_its_age_is_refused(app, reference, accounts, mailbox, later):
    client = accounts.member("269", "orlova269@example.ru")
    client.post(
        "/auth/account",
        data={"email-email": "new@example.ru", "email-current_password": GOOD, "email-submit": "1"},
    )
    later(app.config["CONFIRM_MAX_AGE"] + 1)
    response = client.get(mailbox.link("new@example.ru", "/auth/change-email/"))
    assert response.status_code == 400
    assert "Срок действия ссылки истёк" in page_text(response)


def test_a_link_for_one_purpose_does_not_work_for_another(reference, client, mailbox):
    client.post(
        "/auth/register",
        data={
            "plot_number": "269",
            "email": "orlova269@example.ru",
            "password": GOOD,
            "password2": GOOD,
            "consent": "y",
        },
    )
    token = mailbox.link("orlova269@example.ru", "/auth/confirm/").rsplit("/", 1)[1]
    for url in (f"/auth/reset/{token}", f"/auth/change-email/{token}"):
        response = client.get(url)
        assert response.status_code == 400
        assert "Ссылка повреждена или недействительна" in page_text(response)


def test_links_use_the_configured_address_never_the_host_header(reference, client, accounts, mailbox):
    accounts.register("269", "orlova269@example.ru")
    mailbox.clear()
    client.post("/auth/forgot", data={"login": "269"}, headers={"Host": "evil.example"})
    text = mailbox.text(mailbox.to("orlova269@example.ru")[0])
    assert "https://snt.example/auth/reset/" in text
    assert "evil.example" not in text


def test_every_token_load_in_the_code_passes_max_age():
    loads = []
    for path in Path("snt").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") in ("loads", "loads_unsafe")
                and getattr(node.func, "value", None) is not None
                and getattr(node.func.value, "id", "") != "json"  # JSON, not a signed token
            ):
                loads.append((str(path), {k.arg for k in node.keywords}))
    assert loads, "no token loads found: has snt/tokens.py moved?"
    assert all("max_age" in keywords for _, keywords in loads), loads


def test_an_old_email_change_link_stays_dead_after_the_address_is_changed_back(reference, accounts, mailbox):
    """Issue 11: the link for a@ names the old address; changing away and back must not revive it."""
    client = accounts.member("269", "orlova269@example.ru")

    def ask(new: str) -> str:
        client.post(
            "/auth/account", data={"email-email": new, "email-current_password": GOOD, "email-submit": "1"}
        )
        return mailbox.link(new, "/auth/change-email/")

    forgotten = ask("a@example.ru")
    assert client.get(ask("b@example.ru")).status_code == 302
    assert client.get(ask("orlova269@example.ru")).status_code == 302
    response = client.get(forgotten)
    assert response.status_code == 400
    assert "Ссылка больше не действует" in page_text(response)
    assert "orlova269@example.ru" in page_text(client.get("/my-data/"))
