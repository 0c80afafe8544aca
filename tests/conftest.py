import email
import email.policy
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from snt.extensions import db
from tests.helpers import (
    DATA,
    POSTGRES_URI,
    Accounts,
    Gateway,
    add_reference_case,
    dispose,
    make_app,
    write_csv,
)


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


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + POSTGRES_URI.rsplit('@', 1)[-1] if POSTGRES_URI else 'SQLite files'}"


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


@pytest.fixture
def reference(app):
    """The reference case: plots 269 and 270, the 2022 tariff, three readings, the 2022 membership fee."""
    with app.app_context():
        add_reference_case()
        db.session.commit()


@pytest.fixture
def accounts(app, mailbox):
    return Accounts(app, mailbox)


# --- The treasurer's shell (issue 3): files as treasurers bring them, commands as they type them.


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


@pytest.fixture
def members(app, registry, cli, accounts):
    """Four plots with consenting owners; Орлова has two plots, so her messages name them."""
    cli("import-readings", str(DATA / "readings-cp1251.csv"))
    for plot, address, phone, plots in [
        ("269", "orlova269@example.ru", "89031221105", "269,270"),
        ("268", "petrov268@example.ru", "+7 916 555-12-68", "268"),
        ("12а", "belova12a@example.ru", "89250001122", "12а"),
    ]:
        client = accounts.member(plot, address)
        data = {"plots": plots, "full_name": "", "contact_persons": "", "phone": phone, "sms_consent": "y"}
        assert client.post("/my-data/edit", data=data).status_code == 302
    # A verified member without consent gets nothing.
    accounts.member("271", "gromov@example.ru")


@pytest.fixture
def gateway(app, httpserver):
    gateway = Gateway()
    httpserver.expect_request("/sms/send", method="POST").respond_with_handler(gateway)
    app.config.update(
        SMS_BACKEND="smsru", SMSRU_URL=httpserver.url_for("/"), SMSRU_API_ID="test-key", SMSRU_TIMEOUT=0.3
    )
    return gateway


@pytest.fixture
def spike(members, cli, tmp_path):
    """Plot 268's June reading corrected to 16 000: May uses 898 kWh, over 5× its April (62)."""
    fixed = write_csv(tmp_path / "fix.csv", [["Участок", "Дата", "Сумма"], ["268", "01.06.2022", "16000"]])
    cli("import-readings", fixed, "--replace")
