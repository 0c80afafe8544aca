"""The main (transformer) meter: imported with the readings under a reserved name, kept out of
everything about plots, and the losses report checked against a month computed by hand."""

from sqlalchemy import func, select

from snt.extensions import db
from snt.models import Charge, MainReading, Plot
from tests.helpers import DATA, page_text, write_csv

HEADER = ["Участок", "Дата", "T1 (день)", "T2 (ночь)", "Сумма"]
MAIN = [  # as tests/data/main-meter-cp1251.csv, with each reserved name
    ["ОБЩИЙ", "01.04.2022", "", "", "100 000"],
    ["общий", "01.05.2022", "", "", "100 300"],
    ["MAIN", "01.06.2022", "", "", "101 500"],
]


def load(cli, tmp_path) -> str:
    cli("import-readings", str(DATA / "readings-cp1251.csv"))
    return cli("import-readings", write_csv(tmp_path / "main.csv", [HEADER, *MAIN]))


def test_the_sample_main_meter_file(registry, cli):
    cli("import-readings", str(DATA / "readings-cp1251.csv"))
    assert "новых показаний общего счётчика — 3" in cli(
        "import-readings", str(DATA / "main-meter-cp1251.csv")
    )
    assert "2022-05\t1200\t1007,25\t192,75\t16,1\t1 143,01" in cli("report", "losses")


def test_losses_for_may_computed_by_hand(app, registry, cli, tmp_path):
    output = load(cli, tmp_path)
    assert "новых показаний общего счётчика — 3" in output
    # May 2022 (01.05–01.06): main 101 500 − 100 300 = 1 200 kWh. Members, from the sample file:
    # 268: 15 260 − 15 102 = 158; 269: 520 + 217 = 737; 270: 2 + 0 = 2;
    # 12а: (1 340 − 1 260,5) + (861 − 830,25) = 79,5 + 30,75 = 110,25. Sum 1 007,25.
    # Losses 1 200 − 1 007,25 = 192,75 kWh = 16,0625 % → 16,1 %; × 5,93 ₽ = 1 143,0075 → 1 143,01 ₽.
    report = cli("report", "losses", "--from", "2022-05", "--to", "2022-05")
    assert "2022-05\t1200\t1007,25\t192,75\t16,1\t1 143,01" in report
    # April: main 300; members 268: 62, 12а: 60 + 30 = 90, 269 and 270: 0 → 152; losses 148 (49,3 %).
    everything = cli("report", "losses")
    assert "2022-04\t300\t152\t148\t49,3\t877,64" in everything
    # Plot 271 is not electrified: four electrified plots, four read, nothing marked incomplete.
    assert "показания" not in everything


def test_the_main_meter_is_no_plot(app, registry, cli, tmp_path, accounts):
    load(cli, tmp_path)
    cli("accrue-fees", "--year", "2022", "--per-sotka", "1000")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MainReading)) == 3
        assert db.session.scalar(select(func.count()).select_from(Plot)) == 5
        assert (
            db.session.scalar(select(func.count()).select_from(Charge).where(Charge.kind == "membership"))
            == 5
        )
    assert "ОБЩИЙ" not in cli("check-readings", "--period", "2022-05").upper()
    assert "ОБЩИЙ" not in cli("report", "debtors").upper()
    board = accounts.staff("board")
    for url in ("/admin/plots/", "/admin/exports/registry.csv", "/admin/exports/debtors.csv"):
        assert "общий" not in board.get(url).get_data(as_text=True).lower()
    register = app.test_client().post(
        "/auth/register", data={"plot_number": "ОБЩИЙ", "email": "x@example.ru"}
    )
    assert "не номер участка" in page_text(register)


def test_main_meter_rows_are_checked_like_a_plots(app, registry, cli, tmp_path):
    load(cli, tmp_path)
    lower = write_csv(tmp_path / "lower.csv", [HEADER, ["ОБЩИЙ", "01.07.2022", "", "", "99 000"]])
    assert "меньше предыдущего" in cli("import-readings", lower, fails=True)
    changed = write_csv(tmp_path / "changed.csv", [HEADER, ["Общий", "01.06.2022", "", "", "101 600"]])
    assert "у общего счётчика на 01.06.2022 уже загружено: сумма 101500" in cli(
        "import-readings", changed, fails=True
    )
    output = cli("import-readings", changed, "--replace")
    assert "общий счётчик, 01.06.2022: сумма 101500 → сумма 101600" in output
    again = cli("import-readings", str(tmp_path / "main.csv"), "--replace")
    assert "101600 → сумма 101500" in again


def test_losses_page_and_bad_months(app, registry, cli, tmp_path, accounts):
    assert "Нет показаний общего счётчика" in cli("report", "losses", fails=True)
    load(cli, tmp_path)
    text = page_text(accounts.staff("board").get("/admin/losses/?from=2022-05&to=2022-05"))
    assert "05.2022 1200 1007,25 192,75 16,1 1 143,01" in text
    assert "04.2022" not in text
    assert "«май» — не период" in cli("report", "losses", "--from", "май", fails=True)
    bad = accounts.login("board@example.ru").get("/admin/losses/?from=май")
    assert bad.status_code == 400 and "«май» — не период: нужен год и месяц, например 2022-05." in page_text(
        bad
    )
