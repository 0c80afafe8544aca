"""Builders the tests share: apps on a fresh database, the reference case, accounts made the way
people make them, page text, files as treasurers bring them, and one of every object an admin
route can name. Fixtures are in conftest.py."""

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, event, select
from werkzeug import Request, Response

from snt import create_app, figures
from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import (
    Account,
    Announcement,
    ContactMessage,
    Job,
    Meeting,
    Payment,
    Plot,
    PlotClaim,
    Reading,
    SmsMessage,
    Tariff,
    UnmatchedPayment,
)
from snt.payments.fees import accrue_fees
from snt.payments.requisites import Requisites
from snt.public import documents
from snt.public.services import submit_contact_message

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def xlsx_bytes() -> bytes:
    """A real (minimal) .xlsx made by openpyxl."""
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@dataclass
class World:
    member: object  # the test client of the member who owns 269 and claims 271
    claim_id: int
    member_id: int
    announcement_id: int
    document_id: int
    message_id: int
    job_id: int


def build_world(app, accounts) -> World:
    """Reference data, a member with a pending claim, an announcement, a document, a message."""
    member = accounts.member("269", "orlova269@example.ru")
    member.post("/my-data/edit", data={"plots": "269,271"})
    with app.app_context():
        claim_id = db.session.scalar(select(PlotClaim.id).where(PlotClaim.status == PlotClaim.PENDING))
        member_id = db.session.scalar(select(Account.id).where(Account.email == "orlova269@example.ru"))
        announcement = Announcement(title="Собрание", body="В субботу.", published_at=datetime(2022, 5, 1))
        db.session.add(announcement)
        db.session.commit()
        document = documents.upload(io.BytesIO(PDF), "Устав.pdf", "Устав 2019", "charter", True, by=None)
        message = submit_contact_message("Иван", "ivan@example.ru", "271", "Нет данных.", None)
        meeting = Meeting(held_on=date.today() + timedelta(days=60), place="Правление", agenda="Смета")
        db.session.add(meeting)
        job = Job(kind="receipts", title="Квитанции всем должникам (PDF)", state=Job.FAILED)
        db.session.add(job)
        plot = db.session.scalar(select(Plot).where(Plot.number == "271"))
        payment = Payment(plot=plot, paid_on=date(2022, 5, 4), amount=Decimal(100), kind="membership")
        unmatched = UnmatchedPayment(reference="1C:1", paid_on=date(2022, 5, 4), amount=Decimal(5))
        db.session.add_all([payment, unmatched])
        db.session.commit()
        assert meeting.id == 1  # the admin route tests name it by that id
        assert payment.id == 1 and unmatched.id == 1  # and these
        ids = announcement.id, document.id, message.id, job.id
    assert claim_id and member_id
    return World(member, claim_id, member_id, *ids)


def audit_actions(app) -> list[str]:
    from snt.models import AuditEntry

    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def message_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(ContactMessage.id))


# The suite runs on SQLite files by default; `make test-postgres` sets this to a real server's
# database, which every app made here empties first.
POSTGRES_URI = os.environ.get("SNT_TEST_DATABASE_URI", "")


on_postgres = pytest.mark.skipif(not POSTGRES_URI, reason="needs the PostgreSQL run")


sqlite_only = pytest.mark.skipif(bool(POSTGRES_URI), reason="SQLite-specific (pragmas, locking, backup API)")


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
        # Jobs run at once inside the request that starts them (Huey's immediate mode); the tests in
        # tests/test_jobs.py run a real worker process on Huey's SQLite storage instead.
        "TASK_QUEUE_IMMEDIATE": True,
    }
    app = create_app(config | overrides)
    app.instance_path = str(folder / "instance")
    with app.app_context():
        db.create_all()
    return app


def command_in_fresh_process(app, *args: str) -> tuple[str, str]:
    """Run `flask args…` on the app's database in a fresh process (its connections are closed
    first): its exit code and whether the mappers got configured ("0 False"), and its output."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    dispose(app)
    code = (
        "import sys\n"
        "from snt import create_app\n"
        "from snt.models import Plot\n"
        "app = create_app({'SQLALCHEMY_DATABASE_URI': sys.argv[1], 'SECRET_KEY': 'test-secret'})\n"
        "result = app.test_cli_runner().invoke(args=sys.argv[2:])\n"
        "print(result.exit_code, Plot.__mapper__.configured)\n"
        "print(result.output, end='')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, uri, *args], capture_output=True, check=True, text=True
    )
    status, output = done.stdout.split("\n", 1)
    return status, output


def dispose(app) -> None:
    """Close the app's connections (on PostgreSQL the next test's cleanup would wait for them)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
        from snt.auth.accounts import create_account

        email = email or f"{role}@example.ru"
        with self.app.app_context():
            create_account(email, password, role)
        return self.login(email, password)


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args, **kwargs):
        self.count += 1
        self.statements.append(statement)


@contextmanager
def counting_statements(app):
    """Counts the SQL statements the app sends while the block runs. Figures the app keeps between
    requests (snt.figures) are dropped first: the count is of the work of computing them."""
    with app.app_context():
        engine = db.engine
        figures.forget()
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


def _admin_routes() -> list[tuple[str, str, str]]:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((rule.endpoint, rule.rule, method))
    return sorted(routes)


ROUTES = _admin_routes()


def _url(app, rule: str, world) -> str:
    """Fill the rule's arguments with objects that exist in the world."""
    samples = {
        "claim_id": world.claim_id,
        "account_id": world.member_id,
        "announcement_id": world.announcement_id,
        "document_id": world.document_id,
        "message_id": world.message_id,
        "job_id": world.job_id,
        "person_id": 1,  # an owner of the reference plots
        "meeting_id": 1,  # build_world's meeting
        "number": "271",
        "slug": "board",
        "name": "registry",
        "fmt": "csv",
        "submission_id": 1,
        "ballot_id": 1,
        "mark_id": 1,
        "entry_id": 1,
        "payment_id": 1,
        "item_id": 1,
    }
    [found] = [r for r in app.url_map.iter_rules() if r.rule == rule]
    missing = set(found.arguments) - set(samples)
    assert not missing, f"add a sample value for {missing} of {rule} to this test"
    with app.test_request_context():
        return app.url_map.bind("localhost").build(found.endpoint, {a: samples[a] for a in found.arguments})


# Sberbank's BIK and correspondent account; a settlement account whose key fits that BIK.
GOOD_REQUISITES = Requisites(
    name="СНТ «Аникино»",
    inn="7707083893",
    kpp="500001001",
    account="40703810538000001234",
    bank_name="ПАО Сбербанк",
    bik="044525225",
    corr_account="30101810400000000225",
)


SBER = GOOD_REQUISITES  # Sberbank's BIK and correspondent account, a settlement account that fits them


FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# Any character but lone surrogates (a browser cannot send them), with control characters,
# a BOM and a right-to-left override drawn often.
CHARACTERS = st.one_of(
    st.characters(exclude_categories=["Cs"]), st.sampled_from("\x00\x01\x1f\r\n\t\ufeff\u202e")
)


def fill(app, plots: int, months: int) -> None:
    with app.app_context():
        db.session.add(
            Tariff(
                valid_from=date(2020, 1, 1),
                single=Decimal("5.93"),
                day=Decimal("6.82"),
                night=Decimal("2.65"),
            )
        )
        created = [add_plot(str(100 + i), email="member@example.ru") for i in range(plots)]
        for plot in created:
            for m in range(months + 1):
                taken_on = date(2020 + m // 12, m % 12 + 1, 1)
                db.session.add(
                    Reading(
                        plot=plot,
                        taken_on=taken_on,
                        day=Decimal(100 * m),
                        night=Decimal(40 * m),
                        total=Decimal(140 * m),
                    )
                )
                db.session.add(
                    Payment(plot=plot, paid_on=taken_on, amount=Decimal("100"), kind="electricity")
                )
        db.session.flush()
        bill_periods([p.id for p in created])
        for year in range(2020, 2020 + months // 12 + 1):
            accrue_fees(year, per_sotka=Decimal("1000"))
        db.session.commit()


def electricity_rows(text: str) -> dict[str, list[str]]:
    """Period heading -> the text of that period's block."""
    parts = re.split(r"(\d\d [а-я]+ \d{4} – \d\d [а-я]+ \d{4})", text)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


EXPECTED = {
    ("79031221105", "СНТ Аникино, уч. 269: Т1 520, Т2 217. К оплате 4121.45. Оплатить до 5 числа."),
    ("79031221105", "СНТ Аникино, уч. 270: Т1 2, Т2 0. К оплате 13.64. Оплатить до 5 числа."),
    ("79165551268", "СНТ Аникино: расход 158 кВт·ч. К оплате 936.94. Оплатить до 5 числа."),
    ("79250001122", "СНТ Аникино: Т1 79,5, Т2 30,75. К оплате 623.68. Оплатить до 5 числа."),
}


def statuses(app) -> Counter:
    with app.app_context():
        return Counter(db.session.scalars(select(SmsMessage.status)))


FLAG_268 = "уч. 268: расход 898 кВт·ч — больше чем в 5 раз выше обычного за год (62)"


class Gateway:
    """sms.ru as far as we use it; `trouble` on call N: "500", "late" (delivers, answers too late)
    or "hang" (answers too late without delivering)."""

    def __init__(self):
        self.delivered: list[tuple[str, str]] = []
        self.calls = 0
        self.trouble: dict[int, str] = {}
        self.slow_call_over = threading.Event()

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        form = request.form
        assert form["api_id"] == "test-key" and form["json"] == "1"
        trouble = self.trouble.get(self.calls)
        if trouble == "500":
            return Response("Internal Server Error", status=500)
        if trouble != "hang":
            self.delivered.append((form["to"], form["msg"]))
        if trouble in ("late", "hang"):
            time.sleep(1.0)
            self.slow_call_over.set()
        body = {
            "status": "OK",
            "status_code": 100,
            "sms": {form["to"]: {"status": "OK", "status_code": 100, "sms_id": f"000-{self.calls}"}},
            "balance": 100.5,
        }
        return Response(json.dumps(body), content_type="application/json")


def whole_form(**typed: str) -> dict[str, str]:
    """«Настройки» as a browser posts it: every setting at its default, `typed` changed."""
    from snt.settings import SPECS, display

    form = {s.key: display(s, s.default) for s in SPECS if s.kind != "bool"}
    form |= {s.key: "1" for s in SPECS if s.kind == "bool" and s.default}
    return form | typed


# --- Readings members pass (issue 15) ------------------------------------------------------------


def jpeg_with_gps(size=(2400, 1800)) -> bytes:
    """A phone photo: EXIF with the camera's date, its model and a GPS position."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 180, 90))
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    exif.get_ifd(0x8769)[0x9003] = "2022:06:24 18:05:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (55.0, 45.0, 21.0), "E", (37.0, 36.0, 56.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def send_reading(client, plot="269", photo: bytes | None = None, **values):
    """Post «Передать показания» for `plot` as the page's form does (fields named u<plot>-…)."""
    data = {f"u{plot}-{name}": value for name, value in values.items()}
    if photo is not None:
        data[f"u{plot}-photo"] = (io.BytesIO(photo), "IMG_0001.JPG")
    return client.post(f"/my-data/readings/{plot}", data=data, content_type="multipart/form-data")


def link_href(response, text: str) -> str:
    """The address of the page's link whose text is `text` (a button-like link, as a person clicks it)."""
    html = response.get_data(as_text=True)
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>\s*' + re.escape(text) + r"\s*</a>", html)
    assert found, f"no link «{text}» on the page"
    return found[0]
