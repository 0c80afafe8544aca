"""Реестр участков: search, debt filter, a plot's history; editing is the treasurer's."""

import secrets
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from snt import registry
from snt.admin import acting_account, bp, treasurer_required
from snt.admin.forms import PlotForm
from snt.admin.treasurer_forms import PaymentEntryForm
from snt.extensions import db
from snt.models import Plot
from snt.money import format_money, format_quantity
from snt.payments.entry import EntryError, enter_payment
from snt.payments.services import row_label

PAGE_SIZE = 100


def _page_number() -> int:
    value = request.args.get("page", "1")
    return max(int(value), 1) if value.isdigit() else 1


@bp.route("/plots/")
def plots():
    query = request.args.get("q", "")[:100]
    debt = request.args.get("debt", "")
    if debt not in registry.DEBT_FILTERS:
        debt = ""
    found = registry.find_plots(query)
    page = _page_number()
    if debt:  # the filter needs every plot's balance
        statuses = registry.with_balances(found, debt)
        total = len(statuses)
        statuses = statuses[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    else:  # balances only for the plots on this page
        total = len(found)
        statuses = registry.with_balances(found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return render_template(
        "admin/plots.html",
        statuses=statuses,
        query=query,
        debt=debt,
        debt_filters=registry.DEBT_FILTERS,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        total=total,
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
