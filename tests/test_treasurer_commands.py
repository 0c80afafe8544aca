"""The registry, tariffs, fees and the debtors report, through the shell."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from snt.extensions import db
from snt.imports.files import Column, FileFormatError, read_table
from snt.models import Charge, Person, Plot, Tariff
from snt.notices.services import segments
from tests.helpers import DATA, page_text, write_csv

REGISTRY = str(DATA / "registry-cp1251.csv")
HEADER = ["Участок", "Улица", "Площадь", "Электрификация", "Счётчик", "Владелец", "Эл. почта", "Телефон"]


def plot(app, number: str) -> Plot:
    with app.app_context():
        found = db.session.scalar(select(Plot).where(Plot.number == number))
        db.session.expunge_all()
        return found


def test_the_sample_registry(app, cli):
    output = cli("import-plots", REGISTRY)
    assert "добавлено участков — 5" in output
    p269, p271, p12a = plot(app, "269"), plot(app, "271"), plot(app, "12а")
    assert (p269.street, p269.area, p269.two_tariff, p269.phone) == ("5", Decimal("7.2"), True, "89031221105")
    assert p269.email == "orlova269@example.ru" and p269.owner_name == "Орлова Наталья Викторовна"
    assert (p271.electrified, p271.two_tariff, p271.email, p271.phone) == (False, False, "", "")
    assert p12a.phone == "89250001122"  # «+7 (925) 000-11-22»
    assert plot(app, "268").phone == "89165551268"  # «8 916 555-12-68»
    assert "Ничего не изменилось" in cli("import-plots", REGISTRY)


def test_registry_updates_and_reports_plots_missing_from_the_file(app, cli, tmp_path):
    cli("import-plots", REGISTRY)
    rows = [HEADER, ["269", "5", "7,5", "Да", "двухтарифный", "Орлова Н. В.", "orlova269@example.ru", ""]]
    output = cli("import-plots", write_csv(tmp_path / "r.csv", rows))
    assert (
        "уч. 269: площадь 7,2 → 7,5; владелец «Орлова Наталья Викторовна» → «Орлова Н. В.»; телефон «89031221105» → —"
        in output
    )
    assert "в файле нет 4 участков из базы (они не удалены): 12а, 268, 270, 271" in output
    assert plot(app, "270") is not None and plot(app, "269").area == Decimal("7.5")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["5", "1", "abc", "Да", "", "", "", ""], "строка 2: площадь: «abc» — не число"),
        (["5", "1", "6", "может", "", "", "", ""], "строка 2: электрификация: «может» — не понятно"),
        (["5", "1", "6", "Да", "", "", "не-почта", ""], "строка 2: «не-почта» — не адрес электропочты"),
        (["5", "1", "6", "Да", "", "", "", "12345"], "строка 2: «12345» — не номер телефона"),
        (["5z", "1", "6", "Да", "", "", "", ""], "строка 2: «5z» — не номер участка"),
    ],
)
def test_bad_registry_rows(app, cli, tmp_path, row, message):
    output = cli(
        "import-plots",
        write_csv(tmp_path / "r.csv", [HEADER, row, ["6", "1", "6", "", "", "", "", ""]]),
        fails=True,
    )
    assert message in output
    assert plot(app, "6") is None


def test_registry_duplicate_rows(cli, tmp_path):
    rows = [HEADER, ["5", "1", "6", "", "", "", "", ""], ["5", "1", "6", "", "", "", "", ""]]
    assert "строка 3: участок 5 уже есть в строке 2" in cli(
        "import-plots", write_csv(tmp_path / "r.csv", rows), fails=True
    )


def test_tariffs_set_list_and_never_rewrite_billed_periods(app, registry, cli):
    cli("import-readings", str(DATA / "readings-cp1251.csv"))
    output = cli("set-tariff", "--from", "01.05.2022", "--single", "7", "--day", "8", "--night", "3")
    assert "новый тариф с 01.05.2022: однотарифный 7,00, день 8,00, ночь 3,00 ₽/кВт·ч" in output
    assert "4 периодов с 01.05.2022 уже начислены по прежнему тарифу и не пересчитываются" in output
    listing = cli("tariffs")
    assert "с 01.07.2021: однотарифный 5,93, день 6,82, ночь 2,65 ₽/кВт·ч (начислений: 8)" in listing
    assert "с 01.05.2022: однотарифный 7,00, день 8,00, ночь 3,00 ₽/кВт·ч (начислений: 0)" in listing
    with app.app_context():
        may = db.session.scalar(
            select(Charge)
            .join(Charge.plot)
            .where(Plot.number == "269", Charge.period_start == date(2022, 5, 1))
        )
        assert may.amount == Decimal("4121.45")
    refused = cli(
        "set-tariff", "--from", "01.07.2021", "--single", "6", "--day", "7", "--night", "3", fails=True
    )
    assert "Тариф с 01.07.2021 уже применён к 8 начислениям и не меняется" in refused
    assert "Ничего не изменилось" in cli(
        "set-tariff", "--from", "01.05.2022", "--single", "7", "--day", "8", "--night", "3"
    )
    with app.app_context():
        assert db.session.query(Tariff).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "01.13.2022", "--single", "1", "--day", "1", "--night", "1"],
            "--from: «01.13.2022» — не дата",
        ),
        (
            ["--from", "01.07.2022", "--single", "5.9.3", "--day", "1", "--night", "1"],
            "--single: «5.9.3» — не число",
        ),
        (["--from", "01.07.2022", "--single", "0", "--day", "1", "--night", "1"], "должен быть больше нуля"),
    ],
)
def test_bad_tariffs(cli, args, message):
    assert message in cli("set-tariff", *args, fails=True)


def test_accrue_fees_is_idempotent_per_year_kind_and_title(app, registry, cli):
    output = cli("accrue-fees", "--year", "2022", "--per-sotka", "1000")
    assert "«Членские взносы» за 2022: 5 начислений на сумму 33 400,00 ₽" in output
    assert "Ничего не изменилось" in cli("accrue-fees", "--year", "2022", "--per-sotka", "1000")
    other = cli("accrue-fees", "--year", "2022", "--per-sotka", "1100")
    assert "у 5 участков «Членские взносы» за 2022 уже начислены в другой сумме" in other
    target = cli("accrue-fees", "--year", "2022", "--fixed", "500", "--title", "Ремонт дороги")
    assert "«Ремонт дороги» за 2022: 5 начислений на сумму 2 500,00 ₽" in target
    with app.app_context():
        kinds = db.session.execute(
            select(Charge.kind, Charge.title, Charge.amount).join(Charge.plot).where(Plot.number == "269")
        ).all()
    assert sorted(kinds) == [
        ("membership", "", Decimal("7200.00")),
        ("target", "Ремонт дороги", Decimal("500.00")),
    ]
    assert "--per-sotka" in cli("accrue-fees", "--year", "2022", fails=True)


def test_report_debtors(app, registry, cli, tmp_path):
    cli("import-readings", str(DATA / "readings-cp1251.csv"))
    cli("accrue-fees", "--year", "2022", "--per-sotka", "1000")
    cli("import-payments", str(DATA / "statement-1c-cp1251.txt"))  # 269 pays 7 200 membership
    output = cli("report", "debtors")
    assert "269\tОрлова Наталья Викторовна\t0,00\t0,00\t4 121,45\t4 121,45" in output
    assert "270\tОрлова Наталья Викторовна\t7 200,00\t0,00\t13,64\t7 213,64" in output
    assert "Должников: 5" in output
    cli("report", "debtors", "--csv", str(tmp_path / "d.csv"))
    text = (tmp_path / "d.csv").read_bytes().decode("utf-8-sig")
    assert "Участок;Владелец;Членские взносы;Целевые взносы;Электроэнергия;Всего к оплате;Предоплата" in text
    assert "269;Орлова Наталья Викторовна;0,00;0,00;4121,45;4121,45;0,00" in text
    with app.app_context():  # co-owners, in the order they were added; a nameless one left out
        plot = db.session.scalar(select(Plot).where(Plot.number == "270"))
        plot.owners += [Person(full_name=""), Person(full_name="Орлов Пётр Ильич")]
        db.session.commit()
    output = cli("report", "debtors")
    assert "270\tОрлова Наталья Викторовна, Орлов Пётр Ильич\t7 200,00\t0,00\t13,64\t7 213,64" in output


COLUMNS = [Column("plot", "участок", r"участ\w*|plot", required=True), Column("day", "день", r"день|t1")]


def test_encodings_are_checked_by_their_headers():
    cp1251 = "Участок;T1 (день)\n269;5\n".encode("cp1251")
    assert read_table(cp1251, "x.csv", COLUMNS).rows[0].values == {"plot": "269", "day": "5"}
    koi8 = "Участок;День\n269;5\n".encode("koi8-r")  # decodes as cp1251 into nonsense headers
    with pytest.raises(FileFormatError, match="Не найдены столбцы «участок»"):
        read_table(koi8, "x.csv", COLUMNS)


def test_sms_segments():
    assert segments("а" * 70) == 1 and segments("а" * 71) == 2 and segments("а" * 135) == 3
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2


def test_a_registry_import_naming_another_owner_sends_verified_claims_back(app, cli, accounts, tmp_path):
    """Issue 11: the file replaces 269's email with a new owner's; 270 keeps Orlova's."""
    cli("import-plots", REGISTRY)
    orlova = accounts.member("269", "orlova269@example.ru")
    orlova.post("/my-data/edit", data={"plots": "269,270"})
    assert "269 — подтверждён" in page_text(orlova.get("/my-data/"))
    rows = [
        HEADER,
        ["269", "5", "7,2", "Да", "двухтарифный", "Сидоров Пётр", "sidorov@example.ru", ""],
        ["270", "5", "7,2", "Да", "двухтарифный", "Орлова Н. В.", "orlova269@example.ru", ""],
    ]
    output = cli("import-plots", write_csv(tmp_path / "r.csv", rows))
    assert "уч. 269:" in output and "снова ждут подтверждения правлением: 269" in output
    profile = page_text(orlova.get("/my-data/"))
    assert "269 — ожидает подтверждения правлением" in profile
    assert "270 — подтверждён" in profile
