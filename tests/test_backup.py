"""`flask backup`: a consistent copy while the site runs, and a restore that shows the same pages."""

import shutil
import sqlite3
import threading

from sqlalchemy import func, select

from snt.database import write_transaction
from snt.extensions import db
from snt.models import ContactMessage
from tests.helpers import Accounts, make_app, on_postgres, page_text, sqlite_only

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

    # Restore as the README says: the service is stopped, the file goes into a fresh instance/.
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


@on_postgres
def test_backup_on_postgres_explains_pg_dump(tmp_path, app, runner):
    result = runner.invoke(args=["backup", str(tmp_path / "snt.dump")])
    assert result.exit_code == 1
    assert "резервную копию делает pg_dump" in result.output
    assert f"pg_dump --format=custom --file={tmp_path / 'snt.dump'}" in result.output
    assert "pg_restore" in result.output
    assert ":snt_test@" not in result.output  # no password in the text
