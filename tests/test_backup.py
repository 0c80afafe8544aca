"""`flask backup`: a consistent copy while the site runs, and a restore that shows the same pages."""

import shutil
import sqlite3
import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select

from snt.database import write_transaction
from snt.extensions import db
from snt.models import Account, ContactMessage, Plot
from snt.settings import save_settings
from tests.helpers import (
    POSTGRES_URI,
    Accounts,
    dispose,
    make_app,
    on_postgres,
    page_text,
    sqlite_only,
)


def on_postgres_run() -> bool:
    return bool(POSTGRES_URI)


PAGES = ["/my-data/", "/my-data/payments/", "/my-data/electricity/"]


def cabinet(client) -> dict[str, str]:
    return {url: page_text(client.get(url)) for url in PAGES}


@sqlite_only
def test_backup_then_restore_into_a_fresh_instance_shows_the_same_pages(
    tmp_path, app, reference, accounts, mailbox, runner, smtp_server
):
    member = accounts.member("269", "orlova269@example.ru")
    member.post("/my-data/edit", data={"plots": "269,270", "phone": "89991234567"})
    member.get("/my-data/")  # shows the one-off «Данные сохранены.»
    before = cabinet(member)
    assert (
        "4 370,41" in before["/my-data/electricity/"] and "ожидает подтверждения" not in before["/my-data/"]
    )

    result = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    assert result.exit_code == 0, result.output
    assert "Копия базы записана в" in result.output and "integrity_check: ok" in result.output

    # Restore by hand: the service is stopped, the file goes into a fresh instance/.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(tmp_path / "copy.sqlite3", fresh / "test.sqlite3")
    restored = make_app(fresh, smtp_server[0].port)
    again = Accounts(restored, mailbox).login("269")
    assert cabinet(again) == before


@sqlite_only
def test_backup_is_consistent_while_the_site_writes(tmp_path, app, runner):
    stop = threading.Event()
    written = []

    def keep_writing():
        with app.app_context():
            while not stop.is_set():
                with write_transaction():
                    db.session.add(ContactMessage(name="n", email="a@example.ru", text="x" * 2000))
                written.append(1)
            db.session.remove()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 50:  # the writer is busy before the backup starts
            threading.Event().wait(0.01)
        results = [runner.invoke(args=["backup", str(tmp_path / f"copy{i}.sqlite3")]) for i in range(3)]
    finally:
        stop.set()
        writer.join()
    assert [r.exit_code for r in results] == [0, 0, 0], [r.output for r in results]
    counts = []
    for i in range(3):
        copy = sqlite3.connect(tmp_path / f"copy{i}.sqlite3")
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        counts.append(copy.execute("SELECT count(*) FROM contact_message").fetchone()[0])
        copy.close()
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(ContactMessage))
    assert 50 <= counts[0] <= counts[1] <= counts[2] <= total


@sqlite_only
def test_backup_into_a_folder_gets_a_dated_name(tmp_path, app, runner):
    folder = tmp_path / "backups"
    folder.mkdir()
    result = runner.invoke(args=["backup", str(folder)])
    assert result.exit_code == 0, result.output
    [made] = list(folder.iterdir())
    assert made.name.startswith("test-") and made.suffix == ".sqlite3"


@sqlite_only
def test_backup_refuses_to_overwrite_or_to_write_over_the_database(tmp_path, app, runner):
    target = tmp_path / "copy.sqlite3"
    target.write_text("an older backup")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert f"Файл {target} уже есть. Укажите другой путь или добавьте --overwrite." in result.output
    assert target.read_text() == "an older backup"
    assert runner.invoke(args=["backup", str(target), "--overwrite"]).exit_code == 0

    result = runner.invoke(args=["backup", str(tmp_path / "test.sqlite3")])
    assert result.exit_code == 1
    assert "Это файл самой базы" in result.output

    for missing in (f"{tmp_path}/no-such-folder/copy.sqlite3", f"{tmp_path}/no-such-folder/"):
        result = runner.invoke(args=["backup", missing])
        assert result.exit_code == 1
        assert f"Папки {tmp_path}/no-such-folder" in result.output and "нет" in result.output
    assert not (tmp_path / "no-such-folder").exists()


def test_restore_drill_backup_then_a_new_instance_from_it_shows_the_same_pages(
    tmp_path, app, reference, accounts, mailbox, smtp_server
):
    """On either database: `flask backup`, an empty new instance, `flask restore`, the same cabinet."""
    member = accounts.member("269", "orlova269@example.ru")
    member.post("/my-data/edit", data={"plots": "269,270", "phone": "89991234567"})
    member.get("/my-data/")
    before = cabinet(member)
    assert "4 370,41" in before["/my-data/electricity/"]

    copy = tmp_path / "backups"
    copy.mkdir()
    result = app.test_cli_runner().invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    [made] = list(copy.iterdir())
    check = "pg_restore --list" if on_postgres_run() else "integrity_check"
    assert f"проверка {check}: ok" in result.output
    dispose(app)

    # A new instance: an empty database (on PostgreSQL the same server database, emptied).
    fresh = make_app(tmp_path / "fresh", smtp_server[0].port)
    with fresh.app_context():
        assert db.session.scalar(select(func.count()).select_from(ContactMessage)) == 0
    result = fresh.test_cli_runner().invoke(args=["restore", str(made), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"База восстановлена из {made}" in result.output
    again = Accounts(fresh, mailbox).login("269")
    assert cabinet(again) == before
    dispose(fresh)


def test_restore_refuses_a_file_that_is_not_a_copy_and_changes_nothing(tmp_path, app, reference, runner):
    bogus = tmp_path / "bogus.dump"
    bogus.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code == 1
    if on_postgres_run():
        assert "Проверка копии: pg_restore завершился с ошибкой" in result.output
    else:
        assert f"Файл {bogus} — не копия базы SQLite" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Plot)) == 3


def test_restore_asks_before_replacing_the_database(tmp_path, app, reference, runner):
    folder = tmp_path / "b"
    folder.mkdir()
    assert runner.invoke(args=["backup", str(folder)]).exit_code == 0
    [made] = list(folder.iterdir())
    result = runner.invoke(args=["restore", str(made)], input="n\n")
    assert result.exit_code == 1
    assert "База будет заменена копией. Сайт остановлен?" in result.output


def test_keep_days_deletes_only_dated_copies_older_than_that(tmp_path, app, runner):
    folder = tmp_path / "b"
    folder.mkdir()
    suffix = ".dump" if on_postgres_run() else ".sqlite3"
    old = folder / f"test-20200101-030000{suffix}"
    recent = folder / f"test-{(datetime.now() - timedelta(days=2)):%Y%m%d-%H%M%S}{suffix}"
    foreign = folder / "notes-20200101-030000.txt"
    for path in (old, recent, foreign):
        path.write_text("x")
    result = runner.invoke(args=["backup", str(folder), "--keep-days", "7"])
    assert result.exit_code == 0, result.output
    assert "Удалено копий старше 7 дн.: 1." in result.output
    assert not old.exists() and recent.exists() and foreign.exists()
    assert len(list(folder.iterdir())) == 3  # recent, foreign and the new copy


def test_prune_keeps_as_many_days_as_the_board_set(tmp_path, app, runner):
    with app.app_context():
        save_settings({"backup_keep_days": "10"}, by=None)
    folder = tmp_path / "b"
    folder.mkdir()
    suffix = ".dump" if on_postgres_run() else ".sqlite3"
    stamp = "%Y%m%d-%H%M%S"
    eleven = folder / f"test-{(datetime.now() - timedelta(days=11)):{stamp}}{suffix}"
    nine = folder / f"test-{(datetime.now() - timedelta(days=9)):{stamp}}{suffix}"
    for path in (eleven, nine):
        path.write_text("x")
    result = runner.invoke(args=["backup", str(folder), "--prune"])
    assert result.exit_code == 0, result.output
    assert "Удалено копий старше 10 дн.: 1." in result.output
    assert not eleven.exists() and nine.exists()


def test_a_failed_nightly_backup_mails_the_board(tmp_path, app, runner, mailbox):
    with app.app_context():
        db.session.add(Account(email="chair@example.ru", role="board", password_hash="x"))
        db.session.commit()
    missing = f"{tmp_path}/unmounted-disk/"
    result = runner.invoke(args=["backup", missing, "--prune", "--notify-board"])
    assert result.exit_code == 1
    assert f"Папки {missing} нет" in result.output
    [letter] = mailbox.to("chair@example.ru")
    assert letter["Subject"].endswith("резервная копия не сделана")
    text = mailbox.text(letter)
    assert "Ночная резервная копия базы сайта" in text and f"Причина: Папки {missing} нет" in text


@on_postgres
def test_backup_on_postgres_is_a_pg_dump_checked_by_pg_restore(tmp_path, app, reference, runner):
    target = tmp_path / "snt.dump"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert (
        f"Копия базы записана в {target}" in result.output
        and "проверка pg_restore --list: ok" in result.output
    )
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert ":snt_test@" not in result.output  # no password in the text
