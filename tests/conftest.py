import email
import email.policy
import os
import re
import socket
import threading
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, event

from snt import create_app
from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import Plot, Reading, Tariff
from snt.payments.fees import accrue_fees


class Mailbox:
    """An aiosmtpd handler: every message a real SMTP conversation delivered."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self.while_receiving = None  # a test's probe, run while the sender waits for our answer

    async def handle_DATA(self, server, session, envelope):
        if self.while_receiving is not None:
            self.while_receiving()
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def clear(self) -> None:
        self.messages.clear()
        self.while_receiving = None

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def text(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link(self, address: str, path_part: str) -> str:
        """The path of the last link containing `path_part` mailed to `address`."""
        for message in reversed(self.to(address)):
            found = re.findall(r"https?://[^/\s]+(\S*" + re.escape(path_part) + r"\S*)", self.text(message))
            if found:
                return found[-1]
        raise AssertionError(f"no link with {path_part!r} mailed to {address}")


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    with socket.socket() as probe:  # aiosmtpd's readiness check cannot use port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server[1].clear()
    return smtp_server[1]


# The suite runs on SQLite files by default; `make test-postgres` sets this to a real server's
# database, which every app made here empties first.
POSTGRES_URI = os.environ.get("SNT_TEST_DATABASE_URI", "")
on_postgres = pytest.mark.skipif(not POSTGRES_URI, reason="needs the PostgreSQL run")
sqlite_only = pytest.mark.skipif(bool(POSTGRES_URI), reason="SQLite-specific (pragmas, locking, backup API)")


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + POSTGRES_URI.rsplit('@', 1)[-1] if POSTGRES_URI else 'SQLite files'}"


def database_uri(folder) -> str:
    """Where a test app keeps its data: a SQLite file in `folder`, or the emptied PostgreSQL database."""
    if not POSTGRES_URI:
        return f"sqlite:///{folder / 'test.sqlite3'}"
    engine = create_engine(POSTGRES_URI)
    with engine.begin() as conn:
        # An earlier app's connection left "idle in transaction" would block the drop: fail, not hang.
        conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return POSTGRES_URI


def make_app(folder, smtp_port: int, **overrides):
    """A fresh app on its own empty database, mailing through the test SMTP server."""
    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_uri(folder),
        "WTF_CSRF_ENABLED": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_DEFAULT_SENDER": "noreply@snt.test",
        "SITE_URL": "https://snt.example",
        # A cheap hash keeps the suite fast; production uses scrypt (see DEFAULTS).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Per-address limits would trip tests that log in many times; tests/test_throttling.py
        # turns them on.
        "RATELIMIT_ENABLED": False,
    }
    app = create_app(config | overrides)
    app.instance_path = str(folder / "instance")
    with app.app_context():
        db.create_all()
    return app


def dispose(app) -> None:
    """Close the app's connections (on PostgreSQL the next test's cleanup would wait for them)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path, smtp_server):
    app = make_app(tmp_path, smtp_server[0].port)
    yield app
    dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def add_plot(
    number: str, email: str = "", two_tariff: bool = True, area: str = "7.2", street: str = "5"
) -> Plot:
    plot = Plot(
        number=number,
        street=street,
        area=Decimal(area),
        electrified=True,
        two_tariff=two_tariff,
        owner_name=f"Владелец {number}",
        email=email,
    )
    db.session.add(plot)
    return plot


REFERENCE_READINGS = {
    "269": [(9012, 2901), (9012, 2901), (9532, 3118)],
    "270": [(344, 244), (344, 244), (346, 244)],
}
REFERENCE_DATES = [date(2022, 4, 1), date(2022, 5, 1), date(2022, 6, 1)]


@pytest.fixture
def reference(app):
    """The reference case: plots 269 and 270, the 2022 tariff, three readings, the 2022 membership fee."""
    with app.app_context():
        add_reference_case()
        db.session.commit()


def add_reference_case() -> None:
    plots = [add_plot("269", email="orlova269@example.ru"), add_plot("270", email="orlova269@example.ru")]
    add_plot("271", email="gromov271@example.ru", two_tariff=False, area="8.5")
    db.session.add(
        Tariff(
            valid_from=date(2021, 7, 1), single=Decimal("5.93"), day=Decimal("6.82"), night=Decimal("2.65")
        )
    )
    for plot in plots:
        for taken_on, (day, night) in zip(REFERENCE_DATES, REFERENCE_READINGS[plot.number], strict=True):
            db.session.add(
                Reading(
                    plot=plot,
                    taken_on=taken_on,
                    day=Decimal(day),
                    night=Decimal(night),
                    total=Decimal(day + night),
                )
            )
    db.session.flush()
    bill_periods([p.id for p in plots])
    accrue_fees(2022, per_sotka=Decimal("1000"))


class Accounts:
    """Registers members the way a person does: the form, then the link from the email."""

    def __init__(self, app, mailbox):
        self.app = app
        self.mailbox = mailbox

    def register(self, plot: str, email: str, password: str = "Sad-2022-ok") -> None:
        client = self.app.test_client()
        response = client.post(
            "/auth/register",
            data={
                "plot_number": plot,
                "email": email,
                "password": password,
                "password2": password,
                "consent": "y",
            },
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        assert client.get(self.mailbox.link(email, "/auth/confirm/")).status_code == 302

    def login(self, login: str, password: str = "Sad-2022-ok"):
        client = self.app.test_client()
        response = client.post("/auth/login", data={"login": login, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    def member(self, plot: str, email: str, password: str = "Sad-2022-ok"):
        """A confirmed member, logged in: returns their test client."""
        self.register(plot, email, password)
        return self.login(plot, password)

    def staff(self, role: str = "board", email: str | None = None, password: str = "Sad-2022-ok"):
        """A board or treasurer account made as `flask create-user` makes it, logged in."""
        from snt.auth.services import create_account

        email = email or f"{role}@example.ru"
        with self.app.app_context():
            create_account(email, password, role)
        return self.login(email, password)


@pytest.fixture
def accounts(app, mailbox):
    return Accounts(app, mailbox)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


@contextmanager
def counting_statements(app):
    """Counts the SQL statements the app sends while the block runs."""
    with app.app_context():
        engine = db.engine
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def page_text(response) -> str:
    """The visible text of a page, tags removed and spaces collapsed (no-break spaces kept as spaces)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(strong|span|a|em|b|i|code|abbr)\b[^>]*>", "", html)  # inline tags add no space
    text = re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", unescape(text).replace("\u00a0", " ")).strip()


# --- The treasurer's shell (issue 3): files as treasurers bring them, commands as they type them.

DATA = Path(__file__).parent / "data"


def write_csv(path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ";") -> str:
    """A CSV file as Excel writes it; returns its path as a string, ready for a command line."""
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return str(path)


def write_xlsx(path, rows: list[list]) -> str:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return str(path)


@pytest.fixture
def cli(runner):
    """Runs a shell command; `fails=True` expects exit status 1. Returns the printed text
    (no-break spaces in amounts read as spaces)."""

    def run(*args: str, fails: bool = False) -> str:
        result = runner.invoke(args=list(args))
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == (1 if fails else 0), result.output
        return result.output.replace("\u00a0", " ")

    return run


@pytest.fixture
def registry(cli):
    """The sample registry (268–271, 12а) and the 2022 tariff, loaded through the commands."""
    cli("import-plots", str(DATA / "registry-cp1251.csv"))
    cli("set-tariff", "--from", "01.07.2021", "--single", "5,93", "--day", "6,82", "--night", "2,65")
