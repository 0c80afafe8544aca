"""Тарифы and Взносы in the browser: the shell's services behind forms with Russian validation;
fees are previewed (plots and total) and accrued only on confirmation of that very preview."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from snt.extensions import db
from snt.models import AuditEntry, Charge, Plot, Tariff
from tests.helpers import page_text


@pytest.fixture
def treasurer(accounts, reference):
    return accounts.staff("treasurer")


def charges(app, year: int) -> list[Decimal]:
    with app.app_context():
        return list(db.session.scalars(select(Charge.amount).where(Charge.year == year)))


def actors(app, action: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.actor).where(AuditEntry.action == action)))


def test_tariffs_are_listed_and_set(app, treasurer):
    page = page_text(treasurer.get("/admin/tariffs/"))
    assert "с 01.07.2021: однотарифный 5,93, день 6,82, ночь 2,65 ₽/кВт·ч" in page
    form = {"valid_from": "01.07.2022", "single": "6,17", "day": "7,09", "night": "2,76"}
    response = treasurer.post("/admin/tariffs/", data=form, follow_redirects=True)
    text = page_text(response)
    assert "новый тариф с 01.07.2022: однотарифный 6,17, день 7,09, ночь 2,76 ₽/кВт·ч" in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Tariff)) == 2
    assert actors(app, "tariff.set") == ["treasurer@example.ru"]
    again = treasurer.post("/admin/tariffs/", data=form, follow_redirects=True)
    assert "Такой тариф с этой даты уже задан: ничего не изменилось." in page_text(again)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("valid_from", "32.13.2022", "Дата: «32.13.2022» — не дата (нужно ДД.ММ.ГГГГ"),
        ("valid_from", "", "Укажите дату, например 01.07.2022."),
        ("single", "пять", "Однотарифный: "),
        ("day", "-6,82", "День: "),
        ("night", "0", "Ночь: должно быть больше нуля."),
        ("valid_from", "01.07.2021", "Тариф с 01.07.2021 уже применён к 4 начислениям и не меняется"),
    ],
)
def test_tariff_form_refuses_bad_input(app, treasurer, field, value, message):
    form = {"valid_from": "01.07.2022", "single": "6,17", "day": "7,09", "night": "2,76", field: value}
    response = treasurer.post("/admin/tariffs/", data=form)
    assert response.status_code == 422
    assert message in page_text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Tariff)) == 1


def fees_form(response) -> dict[str, str]:
    """The hidden fields of the «Начислить» form under the preview."""
    html = response.get_data(as_text=True)
    form = html[html.index('<section class="report"') :]
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form[: form.index("</form>")]))


def test_fees_preview_then_confirm(app, treasurer, cli):
    data = {
        "year": "2023",
        "mode": "per_sotka",
        "rate": "1 000",
        "kind": "membership",
        "title": "",
        "preview": "y",
    }
    preview = treasurer.post("/admin/fees/", data=data)
    assert preview.status_code == 200
    text = page_text(preview)
    shell = cli("accrue-fees", "--year", "2023", "--per-sotka", "1000", "--dry-run").splitlines()
    for line in shell[:-1]:  # the same report, but as a table: no «Изменения:» heading
        assert line == "Изменения:" or " ".join(line.split()) in text
    assert "«Членские взносы» за 2023: 3 начисления на сумму 22 900,00 ₽" in text
    assert "3 изменения" in text  # the count at the top of the table of plots
    assert "Участок Что Подробности 269 изменение Членские взносы за 2023: 7 200,00 ₽" in text
    assert charges(app, 2023) == []

    confirm = fees_form(preview) | {"submit": "y"}
    done = treasurer.post("/admin/fees/", data=confirm, follow_redirects=True)
    assert "Взносы начислены." in page_text(done)
    assert "270 изменение Членские взносы за 2023: 7 200,00 ₽" in page_text(done)
    assert sorted(charges(app, 2023)) == [Decimal("7200.00"), Decimal("7200.00"), Decimal("8500.00")]
    assert actors(app, "fees.accrue") == ["treasurer@example.ru"]

    twice = treasurer.post("/admin/fees/", data=confirm)  # a second click
    assert twice.status_code == 409 and "Пока вы смотрели расчёт, данные изменились" in page_text(twice)
    assert len(charges(app, 2023)) == 3


def test_fees_confirmation_of_an_outdated_preview_accrues_nothing(app, treasurer):
    data = {"year": "2023", "mode": "fixed", "rate": "500", "kind": "target", "title": "Ремонт дороги"}
    preview = treasurer.post("/admin/fees/", data=data | {"preview": "y"})
    assert "«Ремонт дороги» за 2023: 3 начисления на сумму 1 500,00 ₽" in page_text(preview)
    with app.app_context():  # a plot is added meanwhile: the total would differ from the preview
        db.session.add(Plot(number="300", area=Decimal(6)))
        db.session.commit()
    response = treasurer.post("/admin/fees/", data=fees_form(preview) | {"submit": "y"})
    assert response.status_code == 409
    text = page_text(response)
    assert "Ничего не начислено: проверьте новый расчёт ниже." in text
    assert "«Ремонт дороги» за 2023: 4 начисления на сумму 2 000,00 ₽" in text
    assert charges(app, 2023) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": "20a2"}, "«20a2» — не год: нужны четыре цифры, например 2022."),
        ({"year": "1999"}, "Год 1999 вне разумных пределов (2000–2100)."),
        ({"rate": ""}, "Ставка: "),
        ({"rate": "-5"}, "Ставка: «-5»"),
        ({"rate": "1e5"}, "Ставка: "),
        ({"mode": "other"}, "Неверный вариант."),
    ],
)
def test_fees_form_refuses_bad_input(app, treasurer, change, message):
    data = {"year": "2023", "mode": "per_sotka", "rate": "1000", "kind": "membership", "preview": "y"}
    response = treasurer.post("/admin/fees/", data=data | change)
    assert response.status_code == 422
    assert message in page_text(response)
    assert 'value="Начислить"' not in response.get_data(as_text=True)
    assert charges(app, 2023) == [] and charges(app, 1999) == []


def test_treasurer_menu(accounts, reference):
    board = page_text(accounts.staff("board").get("/admin/"))
    assert "Загрузка файлов" not in board and "Рассылка SMS" not in board
    treasurer = page_text(accounts.staff("treasurer").get("/admin/"))
    for item in ("Загрузка файлов", "Тарифы", "Взносы", "Рассылка SMS"):
        assert item in treasurer


def test_plots_without_area_are_named(app, treasurer):
    with app.app_context():
        db.session.execute(update(Plot).where(Plot.number == "271").values(area=Decimal(0)))
        db.session.commit()
    data = {"year": "2023", "mode": "per_sotka", "rate": "1000", "kind": "membership", "preview": "y"}
    assert "у участка 271 площадь 0: взнос не начислен" in page_text(
        treasurer.post("/admin/fees/", data=data)
    )
