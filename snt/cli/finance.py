"""Bank requisites and printed receipts."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from snt.cli import fail
from snt.extensions import db
from snt.models import Plot
from snt.payments.qr import payment_codes
from snt.payments.receipt import receipts_pdf
from snt.payments.services import payment_status
from snt.requisites import Requisites, RequisitesError, current_requisites, save_requisites

FIELDS = {
    "name": "Наименование получателя",
    "inn": "ИНН",
    "kpp": "КПП",
    "account": "Расчётный счёт",
    "bank_name": "Банк",
    "bik": "БИК",
    "corr_account": "Корреспондентский счёт",
}


@click.group("requisites", cls=AppGroup)
def requisites_group() -> None:
    """The partnership's bank requisites (for QR codes and receipts)."""


@requisites_group.command("show")
def requisites_show() -> None:
    current = current_requisites()
    if current is None:
        click.echo("Реквизиты не заданы: QR-коды для оплаты не показываются.")
        return
    for key, title in FIELDS.items():
        click.echo(f"{title}: {getattr(current, key)}")


@requisites_group.command("set")
@click.option("--name", required=True, help="Наименование получателя, например «СНТ «Аникино»».")
@click.option("--inn", required=True)
@click.option("--kpp", required=True)
@click.option("--account", required=True, help="Расчётный счёт, 20 цифр.")
@click.option("--bank-name", required=True)
@click.option("--bik", required=True)
@click.option("--corr-account", required=True, help="Корреспондентский счёт, 20 цифр.")
def requisites_set(**values: str) -> None:
    """Check the requisites as banks do (control keys) and save them."""
    try:
        save_requisites(Requisites(**values))
    except RequisitesError as exc:
        fail("\n".join(f"{FIELDS[k]}: {v}" for k, v in exc.problems.items()))
    db.session.commit()
    click.echo("Реквизиты сохранены.")


@click.command("receipts")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plot", "numbers", multiple=True, help="Только эти участки (можно повторять).")
@click.option("--all", "include_paid", is_flag=True, help="И участки без долга.")
@with_appcontext
def receipts_command(out: Path, numbers: tuple[str, ...], include_paid: bool) -> None:
    """One PDF with a receipt per plot with an amount due (or every plot with --all)."""
    query = select(Plot).order_by(Plot.sort_key)
    if numbers:
        query = query.where(Plot.number.in_(numbers))
    statuses = payment_status(list(db.session.scalars(query)))
    if not include_paid:
        statuses = [s for s in statuses if s.due > 0]
    if not statuses:
        fail("Нет участков с суммой к оплате.")
    requisites = current_requisites()
    codes = payment_codes(statuses, requisites)
    items = [(s, [c for key, c in codes.items() if key[0] == s.plot.id]) for s in statuses]
    out.write_bytes(receipts_pdf(current_app.config["NAME"], requisites, items))
    click.echo(f"Квитанций: {len(items)}, файл {out}")


COMMANDS = [requisites_group, receipts_command]
