"""Sessions: fresh on login, killed server-side on logout, cookie flags, remember-me, recent login."""

import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from snt.auth.accounts import create_account
from snt.extensions import db
from snt.models import Account
from tests.helpers import make_app, page_text

GOOD = "Sad-2022-ok"


def cookie_header(response, name: str) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    return header


def remember_login(app, login: str = "269"):
    client = app.test_client()
    response = client.post("/auth/login", data={"login": login, "password": GOOD, "remember": "y"})
    assert response.status_code == 302
    return client, response


def test_login_starts_a_fresh_session(reference, client, accounts):
    accounts.register("269", "orlova269@example.ru")
    with client.session_transaction() as session:
        session["planted"] = "by someone who handed this browser a session"
    client.post("/auth/login", data={"login": "269", "password": GOOD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


def test_cookies_are_httponly_lax_and_secure_over_https(app, reference, accounts):
    accounts.register("269", "orlova269@example.ru")
    _, response = remember_login(app)  # SITE_URL is https://snt.example in the tests
    for name in ("session", "remember_token"):
        header = cookie_header(response, name)
        assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" in header
    expires = parsedate_to_datetime(
        cookie_header(response, "remember_token").split("Expires=")[1].split(";")[0]
    )
    assert abs(expires - datetime.now(UTC) - timedelta(days=30)) < timedelta(minutes=1)


def test_cookies_are_not_secure_when_the_site_is_served_over_http(tmp_path, smtp_server):
    app = make_app(tmp_path, smtp_server[0].port, SITE_URL="http://127.0.0.1:5000")
    with app.app_context():
        create_account("chair@example.ru", GOOD, "board")
    response = app.test_client().post("/auth/login", data={"login": "chair@example.ru", "password": GOOD})
    assert response.status_code == 302
    assert "HttpOnly" in cookie_header(response, "session")
    assert "Secure" not in cookie_header(response, "session")


def test_remember_cookie_replayed_after_logout_gets_nothing(app, reference, accounts):
    accounts.register("269", "orlova269@example.ru")
    client, _ = remember_login(app)
    remember = client.get_cookie("remember_token").value

    # The cookie alone opens the cabinet in a new browser (so the check below can fail)...
    other = app.test_client()
    other.set_cookie("remember_token", remember)
    assert other.get("/my-data/").status_code == 200

    client.post("/auth/logout")
    thief = app.test_client()
    thief.set_cookie("remember_token", remember)
    assert thief.get("/my-data/").status_code == 302
    # ...and the browser that still had a session from it is logged out too.
    assert other.get("/my-data/").status_code == 302


def test_session_cookie_replayed_after_logout_elsewhere_gets_nothing(app, reference, accounts):
    phone = accounts.member("269", "orlova269@example.ru")
    cookie = phone.get_cookie("session").value
    laptop = accounts.login("269")
    laptop.post("/auth/logout")  # «Выйти» on one device ends every session of the account
    copy = app.test_client()
    copy.set_cookie("session", cookie)
    assert copy.get("/my-data/").status_code == 302


def test_changing_registration_data_needs_a_recent_login(app, reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    assert client.get("/my-data/edit").status_code == 200  # just logged in
    with client.session_transaction() as session:
        session["_login_at"] = int(time.time()) - 16 * 60  # the password was typed 16 minutes ago

    response = client.post("/my-data/edit", data={"plots": "269", "phone": "89991234567"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/reauthenticate?next=%2Fmy-data%2Fedit"
    with app.app_context():
        assert db.session.scalar(db.select(Account.phone)) == ""  # nothing saved

    page = client.get(response.headers["Location"])
    assert "Чтобы изменить эти данные, введите пароль ещё раз." in page_text(page)
    wrong = client.post(response.headers["Location"], data={"password": "Wrong-pass-1"})
    assert wrong.status_code == 422
    assert "Текущий пароль введён неверно." in page_text(wrong)
    right = client.post(response.headers["Location"], data={"password": GOOD})
    assert right.headers["Location"] == "/my-data/edit"
    assert client.post("/my-data/edit", data={"plots": "269", "phone": "89991234567"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Account.phone)) == "89991234567"


def test_a_remembered_login_is_never_recent(app, reference, accounts):
    accounts.register("269", "orlova269@example.ru")
    client, _ = remember_login(app)
    browser = app.test_client()  # a new browser session, logged in by the remember cookie only
    browser.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert browser.get("/my-data/").status_code == 200
    assert browser.get("/my-data/edit").headers["Location"].startswith("/auth/reauthenticate")


def test_a_password_reset_logs_out_every_session(reference, accounts, mailbox):
    phone = accounts.member("269", "orlova269@example.ru")
    assert phone.get("/my-data/").status_code == 200
    other = phone.application.test_client()
    other.post("/auth/forgot", data={"login": "269"})
    link = mailbox.link("orlova269@example.ru", "/auth/reset/")
    other.post(link, data={"password": "New-pass-2022", "password2": "New-pass-2022"})
    assert phone.get("/my-data/").status_code == 302
