"""`flask import-readings` and `flask replace-meter`: formats, bad input, re-import, --replace."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from snt.extensions import db
from snt.models import Charge, DataImport, Plot, Reading
from tests.helpers import DATA, counting_statements, page_text, write_csv, write_xlsx

SAMPLE = str(DATA / "readings-cp1251.csv")


def readings(app) -> dict[tuple[str, date], tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(
                Plot.number, Reading.taken_on, Reading.day, Reading.night, Reading.total, Reading.meter_start
            ).join(Reading.plot)
        )
        return {(r[0], r[1], r[5]): (r[2], r[3], r[4]) for r in rows}


def charges(app) -> dict[tuple[str, date], Decimal]:
    with app.app_context():
        rows = db.session.execute(
            select(Plot.number, Charge.period_start, Charge.amount)
            .join(Charge.plot)
            .where(Charge.kind == Charge.ELECTRICITY)
        )
        return {(r[0], r[1]): r[2] for r in rows}


def test_the_sample_file_cp1251_semicolon_russian_headers(app, registry, cli):
    output = cli("import-readings", SAMPLE)
    assert "новых показаний — 12; новых начислений за электроэнергию — 8" in output
    stored = readings(app)
    assert stored[("269", date(2022, 6, 1), False)] == (Decimal(9532), Decimal(3118), Decimal(12650))
    assert stored[("12а", date(2022, 4, 1), False)] == (
        Decimal("1200.5"),
        Decimal("800.25"),
        Decimal("2000.75"),
    )
    assert stored[("268", date(2022, 6, 1), False)] == (None, None, Decimal(15260))  # single-register meter
    billed = charges(app)
    assert billed[("269", date(2022, 5, 1))] == Decimal("4121.45")  # two-tariff: day-night total
    assert billed[("270", date(2022, 5, 1))] == Decimal("13.64")
    assert billed[("268", date(2022, 5, 1))] == Decimal("936.94")  # single rate: 158 × 5,93


def test_utf8_bom_comma_english_headers(app, registry, cli, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Date", "PLOT", "T1", "T2"],
            ["2022-04-01", "269", "9012", "2901"],
            ["2022-05-01", "269", "9532", "3118"],
        ],
        encoding="utf-8-sig",
        delimiter=",",
    )
    assert "новых показаний — 2" in cli("import-readings", path)
    assert charges(app)[("269", date(2022, 4, 1))] == Decimal("4121.45")


def test_xlsx_with_a_title_row_and_typed_cells(app, registry, cli, tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["Показания на 01.05.2022"],
            ["№ участка", "Дата", "День", "Ночь"],
            [269, date(2022, 4, 1), 9012, 2901],
            ["270", "01.04.2022", 344.5, 244],
            [269, date(2022, 5, 1), 9532, 3118.25],
        ],
    )
    assert "новых показаний — 3" in cli("import-readings", path)
    stored = readings(app)
    assert stored[("270", date(2022, 4, 1), False)] == (Decimal("344.5"), Decimal(244), Decimal("588.5"))
    assert stored[("269", date(2022, 5, 1), False)][1] == Decimal("3118.25")


def test_tab_separated(app, registry, cli, tmp_path):
    path = write_csv(
        tmp_path / "r.txt", [["участок", "дата", "сумма"], ["268", "01.04.2022", "15 040"]], delimiter="\t"
    )
    assert "новых показаний — 1" in cli("import-readings", path)


HEADER = ["Участок", "Дата", "День", "Ночь", "Сумма"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["999", "01.04.2022", "1", "1", ""]], "строка 2: участка № 999 нет в реестре"),
        (
            [["269", "01.04.2022", "9012", "2901", ""], ["269", "01.04.2022", "9012", "2901", ""]],
            "строка 3: участок 269 на 01.04.2022 уже есть в строке 2",
        ),
        (
            [["269", "01.04.2022", "9012", "2901", ""], ["269", "01.05.2022", "9000", "2901", ""]],
            "строка 3: показание на 01.05.2022 (день 9000, ночь 2901) меньше предыдущего на 01.04.2022",
        ),
        ([["269", "01.04.2022", "NaN", "2901", ""]], "строка 2: день: «NaN» — не число"),
        ([["269", "01.04.2022", "1e5", "2901", ""]], "строка 2: день: «1e5» — не число"),
        ([["269", "01.04.2022", "9012", "-5", ""]], "строка 2: ночь: «-5» — отрицательное число"),
        ([["269", "01.04.2022", "９０１２", "2901", ""]], "строка 2: день: «９０１２» — не число"),
        ([["269", "31.04.2022", "9012", "2901", ""]], "строка 2: «31.04.2022» — не дата"),
        ([["269", "01.04.2022", "9012", "", ""]], "строка 2: указано только «день»: нужны оба"),
        ([["269", "01.04.2022", "", "", "11913"]], "строка 2: у участка 269 двухтарифный счётчик"),
        ([["271", "01.04.2022", "", "", "100"]], "строка 2: участок 271 по реестру не электрифицирован"),
        ([["269", "01.04.2022", "9012", "2901", "12000"]], "строка 2: сумма 12000 не равна день + ночь"),
        ([["", "01.04.2022", "1", "1", ""]], "строка 2: не указан номер участка"),
    ],
)
def test_bad_rows_are_listed_and_nothing_is_written(app, registry, cli, tmp_path, rows, message):
    good = ["270", "01.04.2022", "344", "244", ""]
    path = write_csv(tmp_path / "bad.csv", [HEADER, *rows, good], encoding="utf-8")
    output = cli("import-readings", path, fails=True)
    assert message in output
    assert "Ничего не записано" in output
    assert readings(app) == {}  # not even the good row


def test_a_date_in_the_future(app, registry, cli, tmp_path):
    tomorrow = (date.today() + timedelta(days=1)).strftime("%d.%m.%Y")
    path = write_csv(tmp_path / "f.csv", [HEADER, ["269", tomorrow, "1", "1", ""]])
    assert f"строка 2: дата {tomorrow} ещё не наступила" in cli("import-readings", path, fails=True)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Дата", "День", "Ночь"], ["01.04.2022", "1", "1"]], "Не найдены столбцы «участок»"),
        ([["Участок", "Дата"], ["269", "01.04.2022"]], "Нужны столбцы «день» и «ночь» или столбец «сумма»"),
        ([["Участок", "Дата", "Дата", "Сумма"], ["1", "2", "3", "4"]], "два столбца «дата»: «Дата» и «Дата»"),
    ],
)
def test_bad_headers(app, registry, cli, tmp_path, rows, message):
    assert message in cli("import-readings", write_csv(tmp_path / "h.csv", rows), fails=True)


def test_unreadable_files(registry, cli, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "Файл пуст." in cli("import-readings", str(tmp_path / "empty.csv"), fails=True)
    (tmp_path / "fake.xlsx").write_bytes(b"not a workbook")
    assert "не читается как таблица Excel" in cli("import-readings", str(tmp_path / "fake.xlsx"), fails=True)
    assert "не читается" in cli("import-readings", str(tmp_path / "missing.csv"), fails=True)


def test_reimport_changes_nothing_and_says_so(app, registry, cli):
    cli("import-readings", SAMPLE)
    with app.app_context():
        imports = db.session.scalar(select(func.count()).select_from(DataImport))
    output = cli("import-readings", SAMPLE)
    assert "без изменений — 12" in output and "Ничего не изменилось" in output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DataImport)) == imports


def test_different_values_need_replace_which_prints_the_changes(app, registry, cli, tmp_path):
    cli("import-readings", SAMPLE)
    corrected = write_csv(tmp_path / "c.csv", [HEADER, ["269", "01.06.2022", "9540", "3118", ""]])
    refused = cli("import-readings", corrected, fails=True)
    assert (
        "строка 2: у участка 269 на 01.06.2022 уже загружено: день 9532, ночь 3118; в файле: день 9540, "
        "ночь 3118. Чтобы заменить, запустите с --replace" in refused
    )
    assert readings(app)[("269", date(2022, 6, 1), False)][0] == Decimal(9532)
    dry = cli("import-readings", corrected, "--replace", "--dry-run")
    assert "уч. 269, 01.06.2022: день 9532, ночь 3118 → день 9540, ночь 3118" in dry
    assert charges(app)[("269", date(2022, 5, 1))] == Decimal("4121.45")
    output = cli("import-readings", corrected, "--replace")
    assert "уч. 269, 01.06.2022: день 9532, ночь 3118 → день 9540, ночь 3118" in output
    assert "уч. 269, электроэнергия 01.05.2022–01.06.2022: 4 121,45 → 4 176,01" in output  # + 8 × 6,82
    assert charges(app)[("269", date(2022, 5, 1))] == Decimal("4176.01")


def test_a_spike_against_the_same_month_last_year(app, registry, cli, tmp_path):
    rows = [("01.05.2021", "100"), ("01.06.2021", "110"), ("01.05.2022", "500"), ("01.06.2022", "600")]
    output = cli(
        "import-readings", write_csv(tmp_path / "s.csv", [HEADER] + [["268", d, "", "", v] for d, v in rows])
    )
    assert (
        "строка 5: расход 100 кВт·ч за 01.05.2022–01.06.2022 больше чем в 5 раз выше, чем год назад (10 кВт·ч)"
        in output
    )
    assert "новых показаний — 4" in output


def test_latin_lookalike_in_a_plot_number_is_reported(app, registry, cli, tmp_path):
    path = write_csv(tmp_path / "l.csv", [HEADER, ["12A", "01.04.2022", "1200", "800", ""]])
    output = cli("import-readings", path)
    assert "строка 2: в номере участка «12A» латинская буква вместо русской; принято как «12а»" in output
    assert ("12а", date(2022, 4, 1), False) in readings(app)


def test_no_tariff_yet_warns_and_a_later_tariff_bills(app, cli, tmp_path):
    cli("import-plots", str(DATA / "registry-cp1251.csv"))
    assert "тариф на 01.05.2022 не задан" in cli("import-readings", SAMPLE)
    assert charges(app) == {}
    output = cli("set-tariff", "--from", "01.07.2021", "--single", "5,93", "--day", "6,82", "--night", "2,65")
    assert "начислено периодов, ожидавших тарифа — 8" in output
    assert charges(app)[("269", date(2022, 5, 1))] == Decimal("4121.45")


REPLACE_269 = [
    "replace-meter",
    "--plot",
    "269",
    "--date",
    "15.06.2022",
    "--final-day",
    "9600",
    "--final-night",
    "3150",
]


def test_meter_replacement_keeps_every_period_positive(app, registry, cli, tmp_path, accounts):
    cli("import-readings", SAMPLE)
    output = cli(*REPLACE_269)
    assert "старый снят при день 9600, ночь 3150, новый установлен с день 0, ночь 0" in output
    assert "уч. 269, электроэнергия 01.06.2022–15.06.2022: начислено 548,56" in output  # 68×6,82 + 32×2,65
    july = write_csv(tmp_path / "j.csv", [HEADER, ["269", "01.07.2022", "120", "40", ""]])
    assert "новых начислений за электроэнергию — 1" in cli("import-readings", july)
    assert charges(app)[("269", date(2022, 6, 15))] == Decimal("924.40")  # 120×6,82 + 40×2,65
    # Without the replacement the same file would be refused as lower than the previous reading.
    assert "меньше предыдущего" in cli(
        "import-readings",
        write_csv(tmp_path / "k.csv", [HEADER, ["270", "01.07.2022", "1", "1", ""]]),
        fails=True,
    )
    again = cli(*REPLACE_269)
    assert "Ничего не изменилось" in again
    client = accounts.member("269", "orlova269@example.ru")
    text = page_text(client.get("/my-data/electricity/"))
    assert "15 июня 2022 – 01 июля 2022 269 новый счётчик 0 0 0 120 40 160 120 40 160" in text
    assert "01 июня 2022 – 15 июня 2022 269 9532 3118 12650 9600 3150 12750 68 32 100" in text


def test_meter_replacement_bad_input(app, registry, cli):
    cli("import-readings", SAMPLE)
    lower = cli(*REPLACE_269[:-3], "9000", "--final-night", "3150", fails=True)
    assert "меньше предыдущего на 01.06.2022" in lower
    assert "нужны «день» и «ночь»" in cli(
        "replace-meter", "--plot", "269", "--date", "15.06.2022", "--final-total", "5", fails=True
    )
    assert "участка № 999 нет в реестре" in cli(
        "replace-meter", "--plot", "999", "--date", "15.06.2022", "--final-total", "5", fails=True
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Reading.meter_start.is_(True))) == 0


def _file_for(tmp_path, months: int) -> str:
    rows = [HEADER]
    for m in range(months):
        taken_on = date(2022 + m // 12, m % 12 + 1, 1).strftime("%d.%m.%Y")
        rows += [[n, taken_on, str(1000 + 10 * m), str(500 + 5 * m), ""] for n in ("269", "270", "12а")]
    return write_csv(tmp_path / f"m{months}.csv", rows)


def test_statements_do_not_grow_with_rows_per_plot(app, registry, cli, tmp_path):
    few, many = _file_for(tmp_path, 2), _file_for(tmp_path, 12)
    with counting_statements(app) as small:
        cli("import-readings", few, "--dry-run")
    with counting_statements(app) as large:
        cli("import-readings", many, "--dry-run")
    assert small.count == large.count, (small.count, large.count)
