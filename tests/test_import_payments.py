"""`flask import-payments`: tables and 1C bank statements; the reference makes re-import harmless."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from snt.extensions import db
from snt.imports.bank1c import plots_in
from snt.models import AuditEntry, Payment, Plot
from tests.helpers import DATA, write_csv, write_xlsx

HEADER = ["plot", "date", "amount", "purpose", "reference"]


def payments(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(Plot.number, Payment.paid_on, Payment.amount, Payment.kind, Payment.reference)
            .join(Payment.plot)
            .order_by(Payment.id)
        )
        return [tuple(r) for r in rows]


def test_the_sample_file_reports_its_zero_payment_and_writes_nothing(app, registry, cli):
    output = cli("import-payments", str(DATA / "payments-utf8bom.csv"), fails=True)
    assert "строка 4: сумма 0: оплаты без денег не бывает" in output
    assert "Ничего не записано" in output
    assert payments(app) == []


def test_the_sample_file_without_its_bad_row(app, registry, cli, tmp_path):
    text = (
        (DATA / "payments-utf8bom.csv").read_bytes().replace(b"269,2022-05-04,0.00,electricity,P-0003\n", b"")
    )
    (tmp_path / "p.csv").write_bytes(text)
    output = cli("import-payments", str(tmp_path / "p.csv"))
    assert "уч. 12а, 03.05.2022: 5 000,00 ₽, членские взносы" in output
    assert payments(app) == [
        ("268", date(2022, 4, 18), Decimal("6000.00"), "membership", "P-0001"),
        ("12а", date(2022, 5, 3), Decimal("5000.00"), "membership", "P-0002"),
    ]
    again = cli("import-payments", str(tmp_path / "p.csv"))
    assert "без изменений — 2" in again and "Ничего не изменилось" in again
    assert len(payments(app)) == 2


def test_skip_bad_rows_loads_the_rest_and_names_the_skipped_line(app, registry, cli):
    sample = str(DATA / "payments-utf8bom.csv")
    dry = cli("import-payments", sample, "--skip-bad-rows", "--dry-run")
    assert "Пропущена 1 строка с ошибками:" in dry and "строка 4: сумма 0: оплаты без денег не бывает" in dry
    assert payments(app) == []
    output = cli("import-payments", sample, "--skip-bad-rows")
    assert "Пропущена 1 строка с ошибками:" in output and "новых оплат — 2" in output
    assert "Записано." in output
    assert [p[4] for p in payments(app)] == ["P-0001", "P-0002"]
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "import.payments" and "пропущены строки с ошибками: 4" in entry.details


def test_skip_bad_rows_cannot_skip_a_whole_file_error(app, registry, cli, tmp_path):
    path = write_csv(tmp_path / "p.csv", [["Участок", "Дата"], ["269", "12.05.2022"]])
    output = cli("import-payments", path, "--skip-bad-rows", fails=True)
    assert "Ничего не записано" in output and "Пропущен" not in output
    assert payments(app) == []


def test_russian_purposes_cp1251_and_no_reference_column(app, registry, cli, tmp_path):
    rows = [
        ["Участок", "Дата", "Сумма", "Назначение"],
        ["269", "12.05.2022", "7 200,00", "Членские"],
        ["269", "12.05.2022", "500", "целевые"],
        ["270", "04.06.2022", "13,64", "Электроэнергия"],
    ]
    path = write_csv(tmp_path / "p.csv", rows, encoding="cp1251")
    assert "новых оплат — 3" in cli("import-payments", path)
    assert [(p[0], p[2], p[3]) for p in payments(app)] == [
        ("269", Decimal("7200.00"), "membership"),
        ("269", Decimal("500.00"), "target"),
        ("270", Decimal("13.64"), "electricity"),
    ]
    assert "Ничего не изменилось" in cli("import-payments", path)  # identified by their own data
    assert len(payments(app)) == 3


def test_xlsx(app, registry, cli, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", [HEADER, [269, date(2022, 5, 12), 7200, "membership", "B-1"]])
    assert "новых оплат — 1" in cli("import-payments", path)
    assert payments(app) == [("269", date(2022, 5, 12), Decimal("7200.00"), "membership", "B-1")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["269", "2022-05-12", "-100", "membership", "X"], "строка 2: сумма: «-100» — отрицательное число"),
        (["269", "2022-05-12", "0", "membership", "X"], "строка 2: сумма 0"),
        (["269", "2022-05-12", "100", "за воду", "X"], "строка 2: назначение «за воду» не понятно"),
        (["999", "2022-05-12", "100", "membership", "X"], "строка 2: участка № 999 нет в реестре"),
        (["269", "2099-05-12", "100", "membership", "X"], "строка 2: дата 12.05.2099 ещё не наступила"),
        (["269", "2022-05-12", "1e5", "membership", "X"], "строка 2: сумма: «1e5» — не число"),
    ],
)
def test_bad_rows(app, registry, cli, tmp_path, row, message):
    good = ["270", "2022-05-12", "100", "membership", "G"]
    output = cli(
        "import-payments", write_csv(tmp_path / "p.csv", [HEADER, good, row], delimiter=","), fails=True
    )
    assert message.replace("строка 2", "строка 3") in output
    assert payments(app) == []


def test_a_reference_reused_with_other_data_is_an_error(app, registry, cli, tmp_path):
    cli(
        "import-payments",
        write_csv(tmp_path / "a.csv", [HEADER, ["269", "2022-05-12", "100", "membership", "R"]]),
    )
    output = cli(
        "import-payments",
        write_csv(tmp_path / "b.csv", [HEADER, ["270", "2022-05-12", "100", "membership", "R"]]),
        fails=True,
    )
    assert (
        "документ «R» уже загружен с другими данными: уч. 269, 12.05.2022, 100,00, членские взносы" in output
    )
    duplicate = [HEADER, ["269", "2022-05-13", "1", "target", "D"], ["270", "2022-05-13", "1", "target", "D"]]
    assert "строка 3: документ «D» уже есть в строке 2" in cli(
        "import-payments", write_csv(tmp_path / "c.csv", duplicate), fails=True
    )


def test_the_1c_statement_sample(app, registry, cli):
    output = cli("import-payments", str(DATA / "statement-1c-cp1251.txt"))
    assert (
        "строка 42: не распознан — в назначении нет номера участка: «Взнос» (документ № 3 от 25.05.2022, "
        "НЕИЗВЕСТНЫЙ ПЛАТЕЛЬЩИК, 0,00 ₽); он в списке «Нераспознанные платежи», отнесите его на участок там"
        in output
    )
    assert "новых оплат — 2; нераспознанных платежей в списке — 1" in output
    assert payments(app) == [
        (
            "269",
            date(2022, 5, 12),
            Decimal("7200.00"),
            "membership",
            "1C:512:12.05.2022:40817810400001234567",
        ),
        (
            "268",
            date(2022, 5, 20),
            Decimal("4400.00"),
            "electricity",
            "1C:77:20.05.2022:40817810500007654321",
        ),
    ]
    assert "без изменений — 3" in cli("import-payments", str(DATA / "statement-1c-cp1251.txt"))
    assert len(payments(app)) == 2


def _statement(documents: list[dict]) -> bytes:
    lines = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows",
        "РасчСчет=40703810938000001234",
    ]
    for doc in documents:
        lines.append("СекцияДокумент=Платежное поручение")
        lines += [f"{k}={v}" for k, v in doc.items()]
        lines.append("КонецДокумента")
    lines.append("КонецФайла")
    return "\r\n".join(lines).encode("cp1251")


def test_1c_lists_what_it_cannot_place_and_ignores_outgoing(app, registry, cli, tmp_path):
    ours = {"ПолучательСчет": "40703810938000001234", "Дата": "12.05.2022", "Сумма": "100.00"}
    docs = [
        {**ours, "Номер": "1", "ПлательщикСчет": "1", "НазначениеПлатежа": "Оплата за свет уч.12A (латинская A)"},
        {**ours, "Номер": "2", "ПлательщикСчет": "2", "НазначениеПлатежа": "Целевой взнос 269 уч"},
        {**ours, "Номер": "3", "ПлательщикСчет": "3", "НазначениеПлатежа": "взносы участки 269 и 270"},
        {**ours, "Номер": "4", "ПлательщикСчет": "4", "НазначениеПлатежа": "уч. 269 и уч. 270 взносы"},
        {**ours, "Номер": "5", "ПлательщикСчет": "5", "НазначениеПлатежа": "уч. 555 членские"},
        {**ours, "Номер": "6", "ПлательщикСчет": "6", "НазначениеПлатежа": "уч. 270 подарок"},
        {"Номер": "7", "Дата": "13.05.2022", "Сумма": "999.00", "ПлательщикСчет": "40703810938000001234",
         "ПолучательСчет": "40702810000000000001", "НазначениеПлатежа": "Оплата вывоза мусора"},
    ]  # fmt: skip
    (tmp_path / "v.txt").write_bytes(_statement(docs))
    output = cli("import-payments", str(tmp_path / "v.txt"))
    assert "латинская буква в номере участка; принято как «12а»" in output
    assert "в назначении нет номера участка: «взносы участки 269 и 270»" in output
    assert "в назначении несколько участков (269, 270)" in output
    assert "участка № 555 нет в реестре" in output
    assert "не понятно, за что платёж" in output
    assert (
        "расходных документов пропущено — 1; новых оплат — 2; нераспознанных платежей в списке — 4" in output
    )
    assert [(p[0], p[3]) for p in payments(app)] == [("12а", "electricity"), ("269", "target")]


@pytest.mark.parametrize(
    ("purpose", "plots"),
    [
        ("Членские взносы за 2022 г. уч. 269 Орлова Н.В.", ["269"]),
        ("Оплата электроэнергии участок №268 за май", ["268"]),
        ("269 уч, электроэнергия", ["269"]),
        ("уч.12а членские", ["12а"]),
        ("Участок N 44", ["44"]),
        ("Электроэнергия за 05.2022 уч. 269", ["269"]),  # «2022 уч» is the period's year
        ("Взнос", []),
        ("за учёт 2022", []),
    ],
)
def test_plot_in_a_payment_purpose(purpose, plots):
    assert list(plots_in(purpose)) == plots
