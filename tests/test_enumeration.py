"""No account enumeration: login, reset, resend and registration answer the same either way."""

import re

import snt.passwords
from tests.helpers import page_text

GOOD = "Sad-2022-ok"


def same_page(a, b, *variable: str) -> None:
    """Same status and the same visible text, once what the person typed is blanked out."""
    assert a.status_code == b.status_code
    text_a, text_b = page_text(a), page_text(b)
    for value in variable:
        text_a, text_b = text_a.replace(value, "…"), text_b.replace(value, "…")
    assert text_a == text_b


def test_login_answers_the_same_and_costs_one_hash_either_way(reference, client, accounts, monkeypatch):
    accounts.register("269", "orlova269@example.ru")
    calls = []
    real = snt.passwords.check_password_hash
    monkeypatch.setattr(snt.passwords, "check_password_hash", lambda h, p: calls.append(p) or real(h, p))
    for existing, unknown in [("269", "270"), ("orlova269@example.ru", "nobody@example.ru")]:
        calls.clear()
        wrong = client.post("/auth/login", data={"login": existing, "password": "Wrong-pass-1"})
        assert len(calls) == 1
        missing = client.post("/auth/login", data={"login": unknown, "password": "Wrong-pass-1"})
        assert len(calls) == 2  # the unknown login ran a (dummy) hash too
        same_page(wrong, missing)


def test_reset_and_resend_answer_the_same(reference, client, accounts, mailbox):
    accounts.register("269", "orlova269@example.ru")
    for url in ("/auth/forgot", "/auth/confirm/resend"):
        same_page(
            client.post(url, data={"login": "orlova269@example.ru"}),
            client.post(url, data={"login": "nobody@example.ru"}),
        )


def test_registration_with_a_taken_email_answers_like_a_new_one(reference, client, accounts, mailbox):
    accounts.register("269", "orlova269@example.ru")
    mailbox.clear()
    form = {"password": GOOD, "password2": GOOD, "consent": "y"}
    taken = client.post("/auth/register", data=form | {"plot_number": "270", "email": "orlova269@example.ru"})
    fresh = client.post("/auth/register", data=form | {"plot_number": "271", "email": "gromov271@example.ru"})
    same_page(taken, fresh, "orlova269@example.ru", "gromov271@example.ru")
    # The owner of the taken address is told; the newcomer gets the link.
    assert "Кто-то пытался зарегистрироваться" in mailbox.text(mailbox.to("orlova269@example.ru")[0])
    assert re.search(r"/auth/confirm/", mailbox.text(mailbox.to("gromov271@example.ru")[0]))


# --- Registration (issue 11): the page, the time and the hash say nothing about who has an account.


def count_hashes(monkeypatch) -> list:
    """Every password hash computed (a new hash or a check against one)."""
    calls = []
    for name in ("generate_password_hash", "check_password_hash"):
        real = getattr(snt.passwords, name)
        monkeypatch.setattr(snt.passwords, name, lambda *a, real=real, **k: calls.append(1) or real(*a, **k))
    return calls


def test_registration_answers_the_same_page_and_hashes_once_on_every_path(
    reference, client, accounts, mailbox, monkeypatch
):
    accounts.register("269", "orlova269@example.ru")
    mailbox.clear()
    calls = count_hashes(monkeypatch)
    form = {"password": GOOD, "password2": GOOD, "consent": "y"}
    pages = []
    for plot, email in [
        ("271", "gromov271@example.ru"),  # new: an account is made
        ("270", "orlova269@example.ru"),  # the email has an account
        ("269", "someone@example.ru"),  # the plot is another account's login
    ]:
        calls.clear()
        response = client.post("/auth/register", data=form | {"plot_number": plot, "email": email})
        assert response.status_code == 200
        assert len(calls) == 1, (plot, email)
        pages.append(page_text(response).replace(email, "…"))
    assert pages[0] == pages[1] == pages[2]
    assert "уже используется как логин" not in pages[2]


def test_registering_a_taken_login_plot_tells_both_addresses_by_email(reference, client, accounts, mailbox):
    accounts.register("269", "orlova269@example.ru")
    mailbox.clear()
    form = {"password": GOOD, "password2": GOOD, "consent": "y"}
    client.post("/auth/register", data=form | {"plot_number": "269", "email": "someone@example.ru"})
    [holder] = mailbox.to("orlova269@example.ru")
    assert "Кто-то пытался зарегистрировать участок № 269" in mailbox.text(holder)
    assert "someone@example.ru" not in mailbox.text(holder)
    [newcomer] = mailbox.to("someone@example.ru")
    text = mailbox.text(newcomer)
    assert "Участок № 269 уже служит логином другой учётной записи" in text
    assert "https://snt.example/contacts" in text and "/auth/confirm/" not in text
