"""Реестр участков: search, debt filter, a plot's history; editing is the treasurer's."""

import re
import secrets
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.forms import PlotForm
from snt.admin.treasurer_forms import PaymentEntryForm
from snt.extensions import db
from snt.models import Plot
from snt.money import format_money, format_quantity
from snt.payments.entry import EntryError, enter_payment
from snt.payments.services import row_label
from snt.registry import services as registry


def _page_number() -> int:
    value = request.args.get("page", "1")
    # ASCII digits only: «²».isdigit() is true, but int() refuses it
    return max(int(value), 1) if re.fullmatch(r"[0-9]{1,9}", value) else 1


@bp.route("/plots/")
def plots():
    query = request.args.get("q", "")[:100]
    debt = request.args.get("debt", "")
    if debt not in registry.DEBT_FILTERS:
        debt = ""
    return render_template(
        "admin/plots.html",
        pagination=registry.plots_page(query, debt, _page_number()),
        query=query,
        debt=debt,
        debt_filters=registry.DEBT_FILTERS,
    )


def _plot(number: str) -> Plot:
    return db.one_or_404(select(Plot).where(Plot.number == number))


@bp.route("/plots/<number>")
def plot_history(number: str, form: PaymentEntryForm | None = None, status: int = 200):
    history = registry.plot_history(_plot(number))
    if form is None:
        form = PaymentEntryForm(
            formdata=None, token=secrets.token_hex(16), paid_on=date.today().strftime("%d.%m.%Y")
        )
    return render_template(
        "admin/plot_history.html",
        h=history,
        row_label=row_label,
        balance_text=registry.balance_text,
        payment_form=form,
    ), status


@bp.post("/plots/<number>/payment")
@treasurer_required
def plot_payment(number: str):
    """«Внести оплату»: a payment the treasurer enters by hand; source «внесено казначеем»."""
    plot = _plot(number)
    form = PaymentEntryForm()
    if form.validate_on_submit():
        try:
            enter_payment(
                plot, form.paid_on.value, form.amount.value, form.kind.data, form.purpose.data or "",
                form.token.data, acting_account(),
            )  # fmt: skip
        except EntryError as exc:
            form.amount.errors = [*form.amount.errors, str(exc)]
        else:
            flash(f"Оплата внесена: уч. {plot.number}, {format_money(form.amount.value)} ₽.", "success")
            return redirect(url_for("admin.plot_history", number=plot.number))
    return plot_history(number, form=form, status=422)


@bp.route("/plots/<number>/edit", methods=["GET", "POST"])
@treasurer_required
def plot_edit(number: str):
    plot = _plot(number)
    form = PlotForm(obj=plot if request.method == "GET" else None)
    if request.method == "GET":
        form.area.data = format_quantity(plot.area)
    if form.validate_on_submit():
        changes = registry.update_plot(plot, form.values(), by=acting_account())
        if changes:
            flash(f"Участок № {plot.number} сохранён: " + "; ".join(changes) + ".", "success")
        else:
            flash("Ничего не изменилось.", "info")
        return redirect(url_for("admin.plot_history", number=plot.number))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/plot_edit.html", plot=plot, form=form), status
