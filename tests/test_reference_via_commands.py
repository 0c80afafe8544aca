"""The reference case loaded only through the treasurer's commands gives the seed's figures on the member's pages."""

import pytest

from snt.models import utcnow
from snt.templating import ru_date_short
from tests.helpers import electricity_rows, page_text, write_csv, write_xlsx


@pytest.fixture
def loaded(cli, tmp_path):
    registry = write_xlsx(
        tmp_path / "реестр.xlsx",
        [
            [
                "Участок",
                "Улица",
                "Площадь, сот.",
                "Электрификация",
                "Новый счетчик",
                "Владелец",
                "Эл. почта",
                "Телефон",
            ],
            [269, 5, 7.2, "Да", "Да", "Орлова Наталья Викторовна", "orlova269@example.ru", "89031221105"],
            [270, 5, 7.2, "Да", "Да", "Орлова Наталья Викторовна", "orlova269@example.ru", "89031221105"],
        ],
    )
    cli("import-plots", registry)
    cli("set-tariff", "--from", "01.07.2021", "--single", "5,93", "--day", "6,82", "--night", "2,65")
    rows = [["Участок", "Дата", "Т1", "Т2"]]
    for taken_on, values in [
        ("01.04.2022", [("269", "9 012", "2 901"), ("270", "344", "244")]),
        ("01.05.2022", [("269", "9 012", "2 901"), ("270", "344", "244")]),
        ("01.06.2022", [("269", "9 532", "3 118"), ("270", "346", "244")]),
    ]:
        rows += [[number, taken_on, day, night] for number, day, night in values]
    cli("import-readings", write_csv(tmp_path / "показания.csv", rows, encoding="cp1251"))
    cli("accrue-fees", "--year", "2022", "--per-sotka", "1000")


def test_the_member_sees_the_seed_figures(loaded, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "270,269"})
    periods = electricity_rows(page_text(client.get("/my-data/electricity/")))
    assert list(periods) == ["01 мая 2022 – 01 июня 2022", "01 апреля 2022 – 01 мая 2022"]
    may_june = periods["01 мая 2022 – 01 июня 2022"]
    assert (
        "269 9012 2901 11913 9532 3118 12650 520 217 737 4 370,41 3 546,40 575,05 4 121,45 к оплате"
        in may_june
    )
    assert "270 344 244 588 346 244 590 2 0 2 11,86 13,64 0,00 13,64 к оплате" in may_june
    assert (
        "269 9012 2901 11913 9012 2901 11913 0 0 0 0,00 0,00 0,00 0,00"
        in periods["01 апреля 2022 – 01 мая 2022"]
    )
    payments = page_text(client.get("/my-data/payments/"))
    assert f"Статус моих оплат от {ru_date_short(utcnow())}" in payments  # the date of the newest import
    assert "Общая информация 5 Да Да 7,2 11 321,45 0,00" in payments
    assert "Членские взносы 2022 7 200,00 0,00" in payments
    assert "Электроэнергия 2022 4 121,45 0,00" in payments
    assert "Общая информация 5 Да Да 7,2 7 213,64 0,00" in payments
