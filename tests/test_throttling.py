"""Throttling before the password hash runs: per address (Flask-Limiter) and per login (database)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

import snt.passwords
from snt import throttle
from snt.extensions import db
from snt.models import LoginThrottle, utcnow
from tests.helpers import Accounts, add_reference_case, dispose, make_app, page_text

GOOD = "Sad-2022-ok"


@pytest.fixture
def limited_app(tmp_path, smtp_server):
    """The app with its per-address limits on, as in production."""
    app = make_app(tmp_path, smtp_server[0].port, RATELIMIT_ENABLED=True)
    with app.app_context():
        add_reference_case()
        db.session.commit()
    yield app
    dispose(app)


@pytest.fixture
def hashes(monkeypatch):
    """Counts the real password checks (werkzeug's, as snt.passwords calls it)."""
    calls = []
    real = snt.passwords.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        calls.append(password)
        return real(pwhash, password)

    monkeypatch.setattr(snt.passwords, "check_password_hash", counting)
    return calls


def login(client, login: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        "/auth/login", data={"login": login, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_many_wrong_passwords_from_one_address_get_429_and_no_hash(limited_app, hashes):
    client = limited_app.test_client()
    # Ten different logins from one address: the per-address limit (10 per minute) is what stops it.
    for i in range(10):
        assert login(client, f"guess{i}@example.ru", "Wrong-pass-1").status_code == 422
    assert len(hashes) == 10
    response = login(client, "guess10@example.ru", "Wrong-pass-1")
    assert response.status_code == 429
    assert "Слишком много попыток. Подождите немного и попробуйте снова." in page_text(response)
    assert int(response.headers["Retry-After"]) > 0
    assert len(hashes) == 10  # refused before the password was hashed
    # Another address is not affected.
    assert login(client, "guess11@example.ru", "Wrong-pass-1", address="198.51.100.1").status_code == 422


def test_one_login_guessed_from_many_addresses_is_locked_before_hashing(limited_app, mailbox, hashes):
    Accounts(limited_app, mailbox).register("269", "orlova269@example.ru")
    client = limited_app.test_client()
    hashes.clear()
    for i in range(5):
        response = login(client, "269", f"Wrong-pass-{i}", address=f"198.51.100.{i}")
        assert response.status_code == 422
    assert len(hashes) == 5
    # The fifth failure locked the login for 15 s: the right password from a new address is not
    # even checked.
    response = login(client, "269", GOOD, address="198.51.100.99")
    assert response.status_code == 429
    assert "Слишком много неудачных попыток входа с этим логином. Попробуйте снова через 15 секунд" in (
        page_text(response)
    )
    assert response.headers["Retry-After"] == "15"
    assert len(hashes) == 5
    # The same lock under the other name of the account.
    assert login(client, "orlova269@example.ru", GOOD, address="198.51.100.98").status_code == 429

    with limited_app.app_context():  # the 15 seconds have passed
        db.session.execute(update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert login(client, "269", GOOD, address="198.51.100.97").status_code == 302
    with limited_app.app_context():  # a success forgets the failures
        assert db.session.scalars(select(LoginThrottle)).all() == []


def test_each_further_failure_doubles_the_delay_up_to_a_cap(app):
    with app.test_request_context():
        delays = [throttle.record_failure("account:1") for _ in range(12)]
    assert delays == [0, 0, 0, 0, 15, 30, 60, 120, 240, 480, 900, 900]


def test_a_password_reset_clears_the_lock(app, client, reference, accounts, mailbox):
    accounts.register("269", "orlova269@example.ru")
    for i in range(5):
        login(client, "269", f"Wrong-pass-{i}", address=f"198.51.100.{i}")
    assert login(client, "269", GOOD).status_code == 429
    client.post("/auth/forgot", data={"login": "269"})
    link = mailbox.link("orlova269@example.ru", "/auth/reset/")
    client.post(link, data={"password": "New-pass-2022", "password2": "New-pass-2022"})
    assert login(client, "269", "New-pass-2022").status_code == 302


def test_an_unknown_login_is_locked_exactly_like_a_real_one(app, client, reference, accounts, hashes):
    accounts.register("269", "orlova269@example.ru")
    answers = {}
    for name in ("269", "270"):  # 270 has no account
        for i in range(5):
            login(client, name, f"Wrong-pass-{i}", address=f"198.51.100.{i}")
        answers[name] = login(client, name, "Wrong-pass-x")
    assert answers["269"].status_code == answers["270"].status_code == 429
    assert page_text(answers["269"]) == page_text(answers["270"])
    # Typed differently, still the same login: « 270 » is locked too.
    assert login(client, " 270 ", "Wrong-pass-y").status_code == 429


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (
            "/auth/register",
            {"plot_number": "270", "email": "x@example.ru", "password": GOOD, "password2": GOOD},
        ),
        ("/auth/forgot", {"login": "269"}),
        ("/auth/confirm/resend", {"login": "269"}),
    ],
)
def test_forms_that_send_mail_share_a_limit_per_address(limited_app, mailbox, url, data):
    client = limited_app.test_client()
    for _ in range(5):
        assert client.post(url, data=data).status_code in (200, 422)
    sent = len(mailbox.messages)
    response = client.post("/auth/forgot", data={"login": "269"})  # any of them counts
    assert response.status_code == 429
    assert "Слишком много попыток" in page_text(response)
    assert len(mailbox.messages) == sent


def test_contact_form_is_limited_per_address(limited_app):
    client = limited_app.test_client()
    form = {"name": "Иван", "email": "ivan@example.ru", "text": "Когда собрание?"}
    for _ in range(5):
        assert client.post("/contacts", data=form).status_code == 302
    assert client.post("/contacts", data=form).status_code == 429
    assert client.get("/contacts").status_code == 200  # reading the page is never limited


def proxied(tmp_path, smtp_server, proxies: int):
    return make_app(tmp_path / str(proxies), smtp_server[0].port, RATELIMIT_ENABLED=True, PROXY_COUNT=proxies)


def test_behind_nginx_limits_count_the_real_client_address(tmp_path, smtp_server):
    client = proxied(tmp_path, smtp_server, proxies=1).test_client()
    for member in range(3):  # three members behind one proxy, 10 attempts each: none refused
        for i in range(10):
            response = client.post(
                "/auth/login",
                data={"login": f"m{member}-{i}@example.ru", "password": "Wrong-pass-1"},
                headers={"X-Forwarded-For": f"192.0.2.{member + 1}"},
            )
            assert response.status_code == 422


def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_limit(tmp_path, smtp_server):
    client = proxied(tmp_path, smtp_server, proxies=0).test_client()
    codes = [
        client.post(
            "/auth/login",
            data={"login": f"x{i}@example.ru", "password": "Wrong-pass-1"},
            headers={"X-Forwarded-For": f"192.0.2.{i}"},
        ).status_code
        for i in range(11)
    ]
    assert codes == [422] * 10 + [429]
