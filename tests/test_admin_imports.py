"""Загрузка файлов in the browser: upload → preview (the CLI's own report lines) → confirm the very
file previewed; bad files, other people's, expired, spent or altered tokens are refused."""

import re
import sqlite3
import threading
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update

from snt.database import writing
from snt.extensions import db
from snt.models import AuditEntry, DataImport, Payment, Plot, Reading, StagedImport
from tests.helpers import DATA, page_text, sqlite_only, write_csv, write_xlsx

MAY = [
    ["Участок", "Дата", "День", "Ночь", "Сумма"],
    ["269", "01.05.2022", 9012, 2901, None],
    ["270", "01.05.2022", 344, 244, None],
    ["268", "01.05.2022", None, None, 15102],
    ["269", "01.06.2022", 9532, 3118, None],
    ["270", "01.06.2022", 346, 244, None],
    ["268", "01.06.2022", None, None, 15260],
]
BUTTON = 'value="Загрузить в базу"'


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def upload(client, path: Path, kind: str = "readings", replace: bool = False, name: str | None = None):
    data = {"kind": kind, "file": (path.open("rb"), name or path.name)}
    if replace:
        data["replace"] = "y"
    return client.post("/admin/imports/", data=data, content_type="multipart/form-data")


def token_of(response) -> str:
    [token] = re.findall(r'name="token" type="hidden" value="([^"]+)"', response.get_data(as_text=True))
    return token


def confirm(client, token: str):
    """The confirmation starts a job (run at once in the tests) and shows its page."""
    return client.post("/admin/imports/confirm", data={"token": token}, follow_redirects=True)


HEADINGS = re.compile(
    r"^(Изменения:|Предупреждения \(\d+\):|Файл «.*»: найдено ошибок|Пропущен[оа] \d+ строк|"
    r"Пробный запуск|Записано\.|Ничего не изменилось)"
)


def cli_lines(output: str) -> list[str]:
    """What the page's table shows of each line of the CLI's report: its text without «ОШИБКА»,
    «строка N:» and «уч. N,» (the table has columns for those) and without the shell's headings."""
    items = []
    for line in output.splitlines():
        text = " ".join(line.split())
        if not text or HEADINGS.match(text):
            continue
        text = re.sub(r"^(ОШИБКА )?строка \d+: ", "", text)
        items.append(re.sub(r"^уч\. [0-9а-я]+[,:] ", "", text))
    return items


@pytest.fixture
def treasurer(accounts, registry):
    return accounts.staff("treasurer")


def test_excel_readings_preview_then_confirm(app, treasurer, cli, tmp_path):
    path = Path(write_xlsx(tmp_path / "показания-май.xlsx", MAY))
    preview = upload(treasurer, path)
    assert preview.status_code == 200
    text = page_text(preview)
    for line in cli_lines(cli("import-readings", str(path), "--dry-run")):
        assert line in text  # every line exactly as the shell prints it
    assert "новых показаний — 6; новых начислений за электроэнергию — 3" in text
    assert BUTTON in preview.get_data(as_text=True)
    assert count(app, Reading) == 0 and count(app, DataImport) == 1  # only the registry's import

    done = confirm(treasurer, token_of(preview))
    assert done.status_code == 200
    assert "Файл загружен в базу." in page_text(done)
    assert "6 изменений" in page_text(done)  # the count above the table: a row per new reading
    assert count(app, Reading) == 6
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import.readings")).one()
        assert (entry.actor, entry.object_label) == ("treasurer@example.ru", "показания-май.xlsx")
        assert "новых показаний — 6" in entry.details
        assert not list((Path(app.instance_path) / "uploads").iterdir())  # the file is not kept
    dashboard = page_text(treasurer.get("/admin/"))
    assert "Показания счётчиков: за " in dashboard and "показаний ещё нет" not in dashboard
    assert "Изменения реестра: реестр загружен" in dashboard  # import-plots writes kind "plots"
    assert "Журнал действий" in dashboard
    log = page_text(treasurer.get("/admin/audit/"))
    assert "Загружены показания счётчиков" in log and "Загружен реестр участков" in log


def test_a_file_with_errors_lists_them_like_the_shell_and_cannot_be_confirmed(app, treasurer, cli, tmp_path):
    rows = [
        *MAY,
        ["271", "01.06.2022", 1, 1, None],
        ["999", "01.06.2022", 1, 1, None],
        ["270", "завтра", 1, 1],
    ]
    path = Path(write_csv(tmp_path / "bad.csv", [[str(c or "") for c in row] for row in rows]))
    response = upload(treasurer, path)
    assert response.status_code == 422
    text = page_text(response)
    output = cli("import-readings", str(path), fails=True)
    assert "Файл «bad.csv»: найдено ошибок — 3. Ничего не записано." in output
    shell = cli_lines(output)
    for line in shell:
        assert line in text
    assert "3 ошибки" in text  # the count above the table, then a row per line, in line order
    assert "Строка Участок Что Подробности 8 271 ошибка участок 271 по реестру не электрифицирован" in text
    assert text.index("8 271 ошибка") < text.index("9 999 ошибка") < text.index("10 270 ошибка")
    assert "В файле есть ошибки — загрузить его нельзя." in text
    assert BUTTON not in response.get_data(as_text=True)
    # Only the load without the three bad lines is offered, on purpose, listing them.
    assert skip_fields(response)["skipped"] == "8,9,10"
    assert "Строки, которые будут пропущены" in text and "3 пропущенные строки" in text
    assert "8 271 строка пропущена участок 271 по реестру не электрифицирован" in text
    # Kept for «Загрузить без строк с ошибками» only; nothing is written until that is chosen.
    assert count(app, Reading) == 0 and count(app, StagedImport) == 1


def test_the_server_rechecks_on_confirm(app, treasurer, tmp_path):
    path = Path(write_xlsx(tmp_path / "may.xlsx", MAY))
    token = token_of(upload(treasurer, path))
    with app.app_context():  # meanwhile someone marks 268 as not electrified
        db.session.execute(update(Plot).where(Plot.number == "268").values(electrified=False))
        db.session.commit()
    response = confirm(treasurer, token)
    text = page_text(response)
    assert "Состояние: готово" in text  # the job ran to its end and found the errors
    assert "данные в базе изменились, и теперь в нём есть ошибки" in text
    assert "4 268 ошибка участок 268 по реестру не электрифицирован" in text
    assert count(app, Reading) == 0 and BUTTON not in response.get_data(as_text=True)


def test_a_token_is_spent_once_even_by_two_clicks_at_once(app, accounts, treasurer, tmp_path):
    """Two clicks on «Загрузить в базу»: the second reads the staged row before the first commits.

    The interleaving is forced, not raced: the second click stops right after reading the row and
    goes on only when the first has committed and deleted the file. On PostgreSQL that order can
    happen; on SQLite the second click holds the write lock (BEGIN IMMEDIATE) from its first read,
    so the first click cannot even start until it ends, and the test checks that instead.
    """
    path = Path(write_xlsx(tmp_path / "may.xlsx", MAY))
    token = token_of(upload(treasurer, path))
    second = accounts.login("treasurer@example.ru")  # the same treasurer in another tab
    row_read, first_done = threading.Event(), threading.Event()
    responses = {}
    second_thread = threading.Thread(target=lambda: responses.update(second=confirm(second, token)))

    def stop_after_reading_the_row(conn, cursor, statement, parameters, context, executemany):
        if (  # only the second click stops, right after its SELECT of the staged row in its write unit
            threading.current_thread() is second_thread
            and writing()  # (its job runs at once in its thread; the checks before the unit read freely)
            and statement.lstrip().upper().startswith("SELECT")
            and ("staged_import" in statement)
        ):
            row_read.set()
            assert first_done.wait(timeout=30)

    with app.app_context():
        engine = db.engine
        sqlite = engine.dialect.name == "sqlite"
    event.listen(engine, "after_cursor_execute", stop_after_reading_the_row)
    try:
        second_thread.start()
        assert row_read.wait(timeout=30)
        if sqlite:  # the write lock is held: no other writer can begin, so the bad order cannot happen
            probe = sqlite3.connect(engine.url.database, timeout=0)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                probe.execute("BEGIN IMMEDIATE")
            probe.close()
            first_done.set()
            second_thread.join()
            responses["first"] = confirm(treasurer, token)
        else:  # the second click's job is recorded for this file: the first is refused at once
            responses["first"] = confirm(treasurer, token)
            first_done.set()
            second_thread.join()
    finally:
        first_done.set()
        event.remove(engine, "after_cursor_execute", stop_after_reading_the_row)
    done, refused = responses["second"], responses["first"]
    assert done.status_code == 200 and "Файл загружен в базу." in page_text(done)
    assert refused.status_code == 409
    assert "Файл «may.xlsx» уже загружен" in page_text(refused)
    assert "Повторно ничего не записано." in page_text(refused)
    assert count(app, Reading) == 6
    assert count(app, DataImport) == 2  # the registry and this file, once
    again = confirm(treasurer, token)
    assert again.status_code == 409 and count(app, Reading) == 6


def test_refused_tokens(app, accounts, treasurer, tmp_path):
    path = Path(write_xlsx(tmp_path / "may.xlsx", MAY))
    other = accounts.staff("treasurer", email="zam@example.ru")

    token = token_of(upload(treasurer, path))
    response = confirm(other, token)
    assert response.status_code == 403
    assert "Этот файл загрузил и проверил другой член правления" in page_text(response)

    with app.app_context():
        staged = db.session.scalars(select(StagedImport)).one()
        staged.created_at -= timedelta(hours=2)
        db.session.commit()
    response = confirm(treasurer, token)
    assert response.status_code == 410 and "Проверка файла «may.xlsx» устарела" in page_text(response)

    token = token_of(upload(treasurer, path))
    stored = Path(app.instance_path) / "uploads" / token
    stored.write_bytes(stored.read_bytes() + b"\0")  # altered on the server after the preview
    response = confirm(treasurer, token)  # the job finds it: the file is checked outside the request
    assert "Состояние: ошибка" in page_text(response)
    assert "на сервере изменился после проверки" in page_text(response)

    assert confirm(treasurer, "no-such-token").status_code == 404
    empty = treasurer.post("/admin/imports/confirm", data={})
    assert empty.status_code == 422 and "Сначала загрузите и проверьте файл." in page_text(empty)
    assert count(app, Reading) == 0


def test_replace_is_an_option_of_the_form(app, treasurer, tmp_path):
    token = token_of(upload(treasurer, Path(write_xlsx(tmp_path / "may.xlsx", MAY))))
    assert confirm(treasurer, token).status_code == 200
    fixed = [row[:] for row in MAY]
    fixed[4][2] = 9530  # 269 on 01.06.2022: day 9532 was a typo
    path = Path(write_xlsx(tmp_path / "may-fixed.xlsx", fixed))
    without = upload(treasurer, path)
    assert without.status_code == 422
    assert "у участка 269 на 01.06.2022 уже загружено: день 9532, ночь 3118" in page_text(without)
    with_replace = upload(treasurer, path, replace=True)
    text = page_text(with_replace)
    assert "269 изменение 01.06.2022: день 9532, ночь 3118 → день 9530, ночь 3118" in text
    assert "Уже загруженные показания на те же даты будут заменены." in text
    assert confirm(treasurer, token_of(with_replace)).status_code == 200
    with app.app_context():
        day = db.session.scalar(select(Reading.day).join(Reading.plot).where(Plot.number == "269"))
        assert (
            db.session.scalar(
                select(Reading.day)
                .join(Reading.plot)
                .where(Plot.number == "269", Reading.taken_on == date(2022, 6, 1))
            )
            == 9530
            and day is not None
        )


def test_a_bank_statement_and_the_registry(app, treasurer, cli):
    statement = DATA / "statement-1c-cp1251.txt"
    preview = upload(treasurer, statement, kind="payments")
    text = page_text(preview)
    for line in cli_lines(cli("import-payments", str(statement), "--dry-run")):
        assert line in text
    assert "не распознан — " in text  # the payment naming no plot is listed for the treasurer, not guessed
    assert confirm(treasurer, token_of(preview)).status_code == 200
    assert count(app, Payment) > 0

    same = upload(treasurer, DATA / "registry-cp1251.csv", kind="plots")
    assert "Всё из этого файла уже есть в базе — загружать нечего." in page_text(same)
    assert 'name="token"' not in same.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        (
            "устав.pdf",
            b"%PDF-1.4",
            422,
            "Файл «устав.pdf» не подходит: загрузите таблицу Excel (.xlsx) или CSV",
        ),
        ("big.csv", b"x" * 2048, 413, "Файл слишком большой: можно не больше 1,0 КБ."),
        ("old.xls", b"\xd0\xcf\x11\xe0", 422, "Старый формат .xls не читается"),
        ("broken.xlsx", b"PK\x03\x04garbage", 422, "Файл не читается как таблица Excel (.xlsx)."),
    ],
)
def test_wrong_type_or_size(app, treasurer, tmp_path, name, content, status, message):
    app.config["IMPORT_MAX_BYTES"] = 1024
    path = tmp_path / "file"
    path.write_bytes(content)
    response = upload(treasurer, path, name=name)
    assert response.status_code == status
    assert message in page_text(response)
    assert count(app, StagedImport) == 0


def test_the_form_says_what_is_missing(treasurer):
    response = treasurer.post("/admin/imports/", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    text = page_text(response)
    assert "Выберите, что в файле: показания, оплаты, реестр или начальные остатки." in text
    assert "Выберите файл." in text


def skip_fields(response) -> dict[str, str]:
    html = response.get_data(as_text=True)
    form = html[html.index('action="/admin/imports/confirm-without-bad-rows"') :]
    return dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form[: form.index("</form>")]))


def test_payments_without_the_bad_row_on_purpose(app, treasurer):
    preview = upload(treasurer, DATA / "payments-utf8bom.csv", kind="payments")
    assert preview.status_code == 422
    text = page_text(preview)
    assert BUTTON not in preview.get_data(as_text=True)  # all-or-nothing stays the default
    assert "Загрузить без строк с ошибками" in text
    assert "4 269 строка пропущена сумма 0: оплаты без денег не бывает" in text
    assert count(app, Payment) == 0
    fields = skip_fields(preview)
    assert fields["skipped"] == "4"
    done = treasurer.post("/admin/imports/confirm-without-bad-rows", data=fields)
    assert done.status_code == 200
    text = page_text(done)
    assert "Файл загружен в базу." in text and "1 пропущенная строка" in text
    assert "4 269 строка пропущена сумма 0: оплаты без денег не бывает" in text
    assert "новых оплат — 2" in text
    assert count(app, Payment) == 2
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert "пропущены строки с ошибками: 4" in entry.details
    again = treasurer.post("/admin/imports/confirm-without-bad-rows", data=fields)
    assert again.status_code == 409 and count(app, Payment) == 2


def test_without_bad_rows_refuses_lines_other_than_those_shown(app, treasurer):
    fields = skip_fields(upload(treasurer, DATA / "payments-utf8bom.csv", kind="payments"))
    refused = treasurer.post("/admin/imports/confirm-without-bad-rows", data={**fields, "skipped": "3,4"})
    assert refused.status_code == 409 and "уже не те, что были при проверке" in page_text(refused)
    assert count(app, Payment) == 0


def test_the_sample_readings_load_after_a_meter_replacement_in_the_browser(app, runner):
    """On the demo data 12а's readings in the file are lower than those stored: a replacement."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    client = app.test_client()
    client.post("/auth/login", data={"login": "treasurer@example.ru", "password": "Kaznachei-2022"})
    registry = upload(client, DATA / "registry-cp1251.csv", kind="plots")  # the samples come as a set
    registered = client.post(
        "/admin/imports/confirm", data={"token": token_of(registry)}, follow_redirects=True
    )
    assert registered.status_code == 200 and "Состояние: готово" in page_text(registered)
    sample = DATA / "readings-cp1251.csv"
    preview = upload(client, sample, replace=True)
    assert preview.status_code == 422
    text = page_text(preview)
    assert "Участок 12а: показание ниже прежнего. Это замена счётчика?" in text
    html = preview.get_data(as_text=True)
    [link] = re.findall(r'href="(/admin/plots/12%D0%B0/replace-meter\?[^"]+)"', html)
    form = client.get(unescape(link))
    assert form.status_code == 200
    fields = {
        re.search(r'name="(\w+)"', tag)[1]: unescape(re.search(r'value="([^"]*)"', tag)[1])
        for tag in re.findall(r'<input [^>]*type="text"[^>]*>', form.get_data(as_text=True))
    }
    assert fields["on"] == "01.04.2022"
    assert (fields["initial_day"], fields["initial_night"]) == ("1200,5", "800,25")
    done = client.post(unescape(link).split("?")[0], data=fields)
    assert done.status_code == 302, page_text(done)
    assert "замена счётчика 01.04.2022" in page_text(client.get(done.headers["Location"]))
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "meter.replace" and entry.actor == "treasurer@example.ru"
    again = upload(client, sample, replace=True)
    assert again.status_code == 200, page_text(again)
    confirmed = client.post("/admin/imports/confirm", data={"token": token_of(again)}, follow_redirects=True)
    assert "Файл загружен в базу." in page_text(confirmed)


@sqlite_only  # the write lock is SQLite's; PostgreSQL writers never wait for readers
def test_the_job_checks_the_file_without_the_write_lock(app, treasurer, tmp_path):
    """Issue 12 item 3: an import job checks the whole file outside the write transaction. At the
    moment its check is done (its read transaction still open), a web writer on a connection of its
    own takes the write lock at once (no waiting: timeout 0) and commits; the check itself wrote
    nothing, not even into a savepoint; then the job's write unit imports the file."""
    from snt.imports.staging import import_checked

    path = Path(write_xlsx(tmp_path / "may.xlsx", MAY))
    token = token_of(upload(treasurer, path))
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    statements: list[str] = []
    wrote: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.startswith("UPDATE job "):  # the job starts (or reports): what follows is its check
            statements.clear()
        else:
            statements.append(statement.split(None, 1)[0].upper())

    def web_writer(sender, report):
        assert report.ok and not report.written
        checked = list(statements)
        assert not {"INSERT", "UPDATE", "DELETE", "SAVEPOINT"} & set(checked), checked
        writer = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")  # "database is locked" if the check held the lock
            writer.execute("UPDATE plot SET street = 'Лесная' WHERE number = '269'")
            writer.execute("COMMIT")
            wrote.append("269")
        finally:
            writer.close()

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    import_checked.connect(web_writer)
    try:
        text = page_text(confirm(treasurer, token))
    finally:
        import_checked.disconnect(web_writer)
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    assert wrote == ["269"]
    assert "Состояние: готово" in text and "Файл загружен в базу." in text
    assert count(app, Reading) == 6
    with app.app_context():
        assert db.session.scalar(select(Plot.street).where(Plot.number == "269")) == "Лесная"
