"""Arbitrary files for the treasurer's importers: a report, never an exception; on any error,
nothing written (checked on SQLite and on PostgreSQL, which refuses NUL in text)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from snt.extensions import db
from snt.imports.payments import import_payments
from snt.imports.plots import import_plots
from snt.imports.readings import import_readings
from snt.models import Charge, DataImport, Payment, Plot, Reading
from tests.helpers import CHARACTERS, FUZZ

TODAY = date(2022, 7, 1)
TABLES = (Plot, Reading, Charge, Payment, DataImport)


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(t)) for t in TABLES)


def cell(*plausible: str):
    return st.one_of(st.sampled_from(plausible), st.text(CHARACTERS, max_size=12))


def csv_file(header: str, cells: list) -> st.SearchStrategy[bytes]:
    row = st.tuples(*cells).map(";".join)
    rows = st.lists(row, min_size=1, max_size=6).map("\n".join)
    encoding = st.sampled_from(["utf-8", "utf-8-sig", "cp1251"])
    return st.tuples(rows, encoding).map(lambda t: (header + "\n" + t[0]).encode(t[1], errors="replace"))


# Street and owner are stored as typed: any text, so arbitrary text reaches the database.
FREE_TEXT = st.text(CHARACTERS, max_size=60).map(lambda t: t.replace(";", ",").replace("\n", " "))
READINGS = csv_file(
    "участок;дата;день;ночь",
    [cell("269", "270", "271", "999"), cell("01.07.2022", "2022-06-15", "31.02.2022"),
     cell("9600", "9 600,5", "-1", "1e5"), cell("3150", "0", "NaN")],
)  # fmt: skip
PAYMENTS = csv_file(
    "участок;дата;сумма;назначение;номер документа",
    [cell("269", "270"), cell("01.06.2022", "2099-01-01"), cell("1 500,00", "0", "-5"),
     cell("электроэнергия", "членские взносы 2022"), FREE_TEXT],
)  # fmt: skip
STATEMENT = st.tuples(st.sampled_from(["269", "270"]), FREE_TEXT).map(
    lambda t: (
        "1CClientBankExchange\nРасчСчет=40703810538000001234\nСекцияДокумент=Платежное поручение\n"
        f"Номер={t[1]}\nДата=01.06.2022\nСумма=1500.00\nПолучательСчет=40703810538000001234\n"
        f"НазначениеПлатежа=Членские взносы 2022, участок {t[0]}\nКонецДокумента\nКонецФайла\n"
    ).encode("cp1251", errors="replace")
)
PLOTS = csv_file(
    "участок;улица;площадь;владелец;эл. почта;телефон",
    [st.sampled_from(["269", "300", "12а"]), FREE_TEXT, st.sampled_from(["7,2", ""]), FREE_TEXT,
     cell("a@example.ru", ""), cell("89991234567", "")],
)  # fmt: skip
RAW = st.binary(max_size=400)


@pytest.mark.parametrize(
    ("importer", "files", "filename"),
    [
        (import_readings, READINGS, "pokazaniya.csv"),
        (import_payments, PAYMENTS, "oplaty.csv"),
        (import_plots, PLOTS, "reestr.csv"),
        (import_readings, RAW, "pokazaniya.xlsx"),
        (import_payments, RAW, "vypiska.txt"),
        (import_payments, STATEMENT, "kl_to_1c.txt"),
    ],
    ids=["readings", "payments", "plots", "readings-xlsx-bytes", "payments-raw-bytes", "payments-1c"],
)
def test_importers_with_arbitrary_files(app, reference, importer, files, filename):
    @FUZZ
    @given(data=files)
    def check(data: bytes) -> None:
        with app.app_context():
            before = counts()
            kwargs = {} if importer is import_plots else {"today": TODAY}
            report = importer(data, filename, **kwargs)
            after = counts()
            db.session.rollback()
        if report.errors:
            assert not report.written and after == before, report.errors

    check()


def test_a_nul_in_a_cell_is_an_error_with_its_line_and_nothing_is_written(app, reference):
    with app.app_context():
        before = counts()
        report = import_plots("участок;владелец\n300;Иванов\n301;Ив\x00анов\n".encode(), "reestr.csv")
        assert [(e.line, e.message[:40]) for e in report.errors] == [
            (3, "в строке есть невидимые управляющие симв")
        ]
        assert counts() == before
