"""`flask copy-database --to URI`: the demo partnership moved from SQLite into a new database
(the PostgreSQL server in the PostgreSQL run, another SQLite file otherwise) shows the same."""

from flask_migrate import upgrade
from sqlalchemy import func, select

from snt import create_app
from snt.extensions import db
from tests.helpers import Accounts, database_uri, dispose, page_text

PAGES = ["/my-data/", "/my-data/payments/", "/my-data/electricity/"]


def site(uri: str, smtp_port: int):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": uri,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_port,
        }
    )


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables
        }


def cabinet(app, mailbox) -> dict[str, str]:
    member = Accounts(app, mailbox).login("269", "Anikino-269")
    return {url: page_text(member.get(url)) for url in PAGES}


def test_the_demo_data_copied_to_a_new_database_shows_the_same_pages(tmp_path, smtp_server, mailbox):
    source = site(f"sqlite:///{tmp_path / 'snt.sqlite3'}", smtp_server[0].port)
    runner = source.test_cli_runner()
    with source.app_context():
        upgrade()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    before = cabinet(source, mailbox)
    assert "4 370,41" in before["/my-data/electricity/"]

    target_uri = database_uri(tmp_path / "new")  # the emptied PostgreSQL database, or a new file
    if target_uri.startswith("sqlite"):
        (tmp_path / "new").mkdir()
    result = runner.invoke(args=["copy-database", "--to", target_uri])
    assert result.exit_code == 0, result.output
    assert "число строк совпало" in result.output

    target = site(target_uri, smtp_server[0].port)
    assert counts(target) == counts(source)
    assert sum(counts(target).values()) > 100
    assert cabinet(target, mailbox) == before
    # New rows get ids after the copied ones (PostgreSQL's sequences were moved on).
    created = target.test_cli_runner().invoke(
        args=["create-user", "--email", "new@example.ru", "--role", "board", "--password-stdin"],
        input="Novyi-2026\n",
    )
    assert created.exit_code == 0, created.output

    again = runner.invoke(args=["copy-database", "--to", target_uri])
    assert again.exit_code == 1 and "копировать можно только в пустую" in again.output
    dispose(source)
    dispose(target)
