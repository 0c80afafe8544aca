"""Throttling before the password hash runs: per address (Flask-Limiter) and per login (database)."""

from datetime import timedelta
from pathlib import Path

import pytest

import snt.passwords
from snt import DEFAULTS, throttle
from snt.extensions import db
from snt.models import utcnow
from tests.helpers import add_reference_case, dispose, make_app, page_text

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


class Clock:
    """The throttle's clock, moved by the test: no test waits for real time to pass."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(throttle, "utcnow", clock)
    return clock


ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


def test_wrong_passwords_from_one_address_never_lock_the_owner_out_elsewhere(
    app, reference, accounts, hashes, clock
):
    """A day of guessing 269 from one address, as fast as the site lets it, against its owner."""
    accounts.register("269", "orlova269@example.ru")
    attacker, owner = app.test_client(), app.test_client()
    hashes.clear()
    started, answers = clock.now, []
    while clock.now - started < timedelta(days=1):
        response = login(attacker, "269", f"Wrong-pass-{len(answers)}", address=ATTACKER)
        answers.append(response.status_code)
        if response.status_code == 429:  # wait exactly as long as told, then guess again
            clock.advance(int(response.headers["Retry-After"]))
        # Whenever the owner comes, from home, the right password works.
        assert login(owner, "269", GOOD, address=OWNER).status_code == 302
        owner.post("/auth/logout")
    # Ten wrong passwords a day from one address, the first five at once, then pauses of 15 s to
    # 4 min; after the tenth, this address is done with this login for the day.
    assert answers.count(422) == app.config["LOGIN_ADDRESS_DAILY_FAILURES"] == 10
    assert answers[:6] == [422] * 5 + [429]
    assert len([h for h in hashes if h.startswith("Wrong")]) == 10
    # Even the right password is not checked from the attacker's address while it is locked.
    clock.advance(-60)
    assert login(attacker, "269", GOOD, address=ATTACKER).status_code == 429


def test_one_login_gets_at_most_the_daily_number_of_wrong_guesses(
    app, reference, accounts, mailbox, hashes, clock
):
    """A botnet: every guess from a new address. The login's daily ceiling holds all the same."""
    accounts.register("269", "orlova269@example.ru")
    client = app.test_client()
    hashes.clear()
    ceiling = app.config["LOGIN_DAILY_FAILURES"]
    assert ceiling == 200
    for i in range(ceiling):
        assert (
            login(client, "269", f"Wrong-pass-{i}", address=f"10.{i // 250}.{i % 250}.1").status_code == 422
        )
        clock.advance(60)
    assert len(hashes) == ceiling
    for address in ("10.9.9.9", OWNER):  # one more guess, or the owner: no password is checked now
        response = login(client, "269", GOOD, address=address)
        assert response.status_code == 429
        assert (
            "Попробуйте снова через 21 час или восстановите пароль по ссылке «Забыли пароль?»"
            in page_text(response)
        )
    assert len(hashes) == ceiling
    # The owner's way in: a reset link from the mailbox clears every count of the login.
    client.post("/auth/forgot", data={"login": "269"})
    link = mailbox.link("orlova269@example.ru", "/auth/reset/")
    client.post(link, data={"password": "New-pass-2022", "password2": "New-pass-2022"})
    assert login(client, "269", "New-pass-2022", address=OWNER).status_code == 302


def test_the_daily_ceiling_ends_with_its_day(app, reference, accounts, hashes, clock):
    app.config["LOGIN_DAILY_FAILURES"] = 3
    accounts.register("269", "orlova269@example.ru")
    client = app.test_client()
    for i in range(3):
        login(client, "269", f"Wrong-pass-{i}", address=f"10.0.0.{i}")
    assert login(client, "269", GOOD, address=OWNER).status_code == 429
    clock.advance(24 * 3600 - 1)
    assert login(client, "269", GOOD, address=OWNER).status_code == 429
    clock.advance(1)
    assert login(client, "269", GOOD, address=OWNER).status_code == 302


def test_an_ipv6_subscriber_counts_as_one_address(app, reference, accounts, clock):
    """A /64 is one customer's: cycling through its addresses gives no more guesses."""
    accounts.register("269", "orlova269@example.ru")
    client = app.test_client()
    codes = [
        login(client, "269", f"Wrong-pass-{i}", address=f"2001:db8:1:2::{i + 1:x}").status_code
        for i in range(7)
    ]
    assert codes == [422] * 5 + [429] * 2
    assert login(client, "269", GOOD, address="2001:db8:1:3::1").status_code == 302  # another /64


def test_the_docs_state_the_daily_ceiling():
    readme = (Path(__file__).parent.parent / "docs" / "development.md").read_text(encoding="utf-8")
    assert f"не больше {DEFAULTS['LOGIN_DAILY_FAILURES']} неверных паролей в сутки" in readme


def test_each_further_failure_doubles_the_delay_up_to_a_cap(app, clock):
    with app.test_request_context():
        delays = [throttle.record_failure("account:1", OWNER) for _ in range(12)]
    day = 24 * 3600
    assert delays == [0, 0, 0, 0, 15, 30, 60, 120, 240, day, day, day]
    app.config["LOGIN_ADDRESS_DAILY_FAILURES"] = 100
    with app.test_request_context():
        delays = [throttle.record_failure("account:2", OWNER) for _ in range(12)]
    assert delays == [0, 0, 0, 0, 15, 30, 60, 120, 240, 480, 900, 900]


def test_a_password_reset_clears_the_lock(app, client, reference, accounts, mailbox):
    accounts.register("269", "orlova269@example.ru")
    for i in range(5):
        login(client, "269", f"Wrong-pass-{i}")
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
            login(client, name, f"Wrong-pass-{i}")
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


def test_page_reads_are_never_limited_and_posts_still_are(limited_app):
    """Reads skip the limiter (snt/extensions.py): reads between the login form's POSTs neither
    reset nor use up their count, and an address over its limit still reads pages."""
    client = limited_app.test_client()
    same = {"REMOTE_ADDR": "203.0.113.7"}  # the address login() posts from
    for i in range(10):
        assert client.get("/auth/login", environ_base=same).status_code == 200
        assert login(client, f"guess{i}@example.ru", "Wrong-pass-1").status_code == 422
        assert client.get("/", environ_base=same).status_code == 200
    assert login(client, "guess10@example.ru", "Wrong-pass-1").status_code == 429
    for _ in range(20):
        assert client.get("/auth/login", environ_base=same).status_code == 200
    assert login(client, "guess11@example.ru", "Wrong-pass-1").status_code == 429


def test_behind_nginx_the_very_first_request_counts_the_real_client_address(tmp_path, smtp_server):
    """The site is registered on the first request (snt.SiteOnDemand), the proxy fix with it: the
    first request already goes through that fix, so it counts for the member's own address."""
    client = proxied(tmp_path, smtp_server, proxies=1).test_client()
    codes = [
        client.post(
            "/auth/login",
            data={"login": f"x{i}@example.ru", "password": "Wrong-pass-1"},
            headers={"X-Forwarded-For": "192.0.2.9"},
        ).status_code
        for i in range(11)
    ]
    assert codes == [422] * 10 + [429]
