"""Bank requisites and printed receipts."""

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from snt.cli.helpers import fail
from snt.payments.receipt import receipt_plots, write_receipts
from snt.payments.requisites import FIELD_TITLES as FIELDS
from snt.payments.requisites import Requisites, RequisitesError, current_requisites, update_requisites


@click.group("requisites", cls=AppGroup)
def requisites_group() -> None:
    """Банковские реквизиты товарищества (для QR-кодов и квитанций)."""


@requisites_group.command("show")
def requisites_show() -> None:
    """Показать сохранённые реквизиты."""
    current = current_requisites()
    if current is None:
        click.echo("Реквизиты не заданы: QR-коды для оплаты не показываются.")
        return
    for key, title in FIELDS.items():
        click.echo(f"{title}: {getattr(current, key)}")


@requisites_group.command("set")
@click.option("--name", required=True, help="Наименование получателя, например «СНТ «Аникино»».")
@click.option("--inn", required=True, help="ИНН получателя, 10 цифр.")
@click.option("--kpp", required=True, help="КПП получателя, 9 цифр.")
@click.option("--account", required=True, help="Расчётный счёт, 20 цифр.")
@click.option("--bank-name", required=True, help="Наименование банка.")
@click.option("--bik", required=True, help="БИК банка, 9 цифр.")
@click.option("--corr-account", required=True, help="Корреспондентский счёт, 20 цифр.")
def requisites_set(**values: str) -> None:
    """Проверить реквизиты, как это делает банк (контрольные разряды), и сохранить."""
    try:
        changes = update_requisites(Requisites(**values), by=None)
    except RequisitesError as exc:
        fail("\n".join(f"{FIELDS[k]}: {v}" for k, v in exc.problems.items()))
    click.echo("Реквизиты сохранены." if changes else "Ничего не изменилось.")


@click.command("receipts")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Файл PDF, куда записать.",
)
@click.option("--plot", "numbers", multiple=True, help="Только эти участки (можно повторять).")
@click.option("--all", "include_paid", is_flag=True, help="И участки без долга.")
@with_appcontext
def receipts_command(out: Path, numbers: tuple[str, ...], include_paid: bool) -> None:
    """Один PDF: по квитанции на каждый участок с долгом (или на все участки с --all)."""
    try:
        plot_ids = receipt_plots(numbers)
        with click.progressbar(length=len(plot_ids), label="Квитанции") as bar:
            count = write_receipts(out, plot_ids, include_paid, progress=bar.update)
    except ValueError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"Файл «{out}» не записывается: {exc.strerror or exc}.")
    click.echo(f"Квитанций: {count}, файл {out}")


COMMANDS = [requisites_group, receipts_command]
