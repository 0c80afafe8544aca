"""Bank requisites and printed receipts."""

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from snt.cli.helpers import fail
from snt.payments.receipt import debtors_receipts
from snt.payments.requisites import FIELD_TITLES as FIELDS
from snt.payments.requisites import Requisites, RequisitesError, current_requisites, update_requisites


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
        changes = update_requisites(Requisites(**values), by=None)
    except RequisitesError as exc:
        fail("\n".join(f"{FIELDS[k]}: {v}" for k, v in exc.problems.items()))
    click.echo("Реквизиты сохранены." if changes else "Ничего не изменилось.")


@click.command("receipts")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plot", "numbers", multiple=True, help="Только эти участки (можно повторять).")
@click.option("--all", "include_paid", is_flag=True, help="И участки без долга.")
@with_appcontext
def receipts_command(out: Path, numbers: tuple[str, ...], include_paid: bool) -> None:
    """One PDF with a receipt per plot with an amount due (or every plot with --all)."""
    try:
        pdf, count = debtors_receipts(numbers, include_paid)
    except ValueError as exc:
        fail(str(exc))
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        fail(f"Файл «{out}» не записывается: {exc.strerror or exc}.")
    click.echo(f"Квитанций: {count}, файл {out}")


COMMANDS = [requisites_group, receipts_command]
