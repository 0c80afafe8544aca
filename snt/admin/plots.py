"""Реестр участков: search, debt filter, a plot's history; editing is the treasurer's."""

import re
import secrets
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.forms import PersonForm, PlotForm
from snt.admin.treasurer_forms import MeterReplacementForm, PaymentEntryForm, ReversalForm
from snt.extensions import db
from snt.imports.meters import MeterValues, replace_meter
from snt.models import KIND_TITLES, Person, Plot
from snt.money import format_money, format_quantity
from snt.payments.entry import EntryError, enter_payment, reverse_payment
from snt.payments.entry import plot_payment as find_payment
from snt.payments.services import row_label
from snt.registry import services as registry
from snt.reports import report_lines


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


@bp.route("/plots/<number>/payments/<int:payment_id>/reverse", methods=["GET", "POST"])
@treasurer_required
def payment_reverse(number: str, payment_id: int):
    """«Сторнировать оплату»: a negative twin with the reason, never a deletion."""
    plot = _plot(number)
    payment = find_payment(plot, payment_id)
    if payment is None:
        abort(404)
    form = ReversalForm(
        formdata=request.form if request.method == "POST" else None, amount=str(payment.amount)
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                reverse_payment(payment.id, form.amount.data, form.reason.data, acting_account())
            except EntryError as exc:
                form.reason.errors = [*form.reason.errors, str(exc)]
            else:
                flash(f"Оплата сторнирована: уч. {plot.number}, {format_money(payment.amount)} ₽.", "success")
                return redirect(url_for("admin.plot_history", number=plot.number))
    return render_template(
        "admin/payment_reverse.html", plot=plot, payment=payment, form=form, kind_titles=KIND_TITLES
    ), status


@bp.route("/plots/<number>/edit", methods=["GET", "POST"])
@treasurer_required
def plot_edit(number: str):
    plot = _plot(number)
    form = PlotForm(obj=plot if request.method == "GET" else None)
    if request.method == "GET":
        form.area.data = format_quantity(plot.area)
        if plot.owners:
            owner = plot.owners[0]
            form.postal_address.data, form.is_member.data = owner.postal_address, owner.is_member
            form.member_since.data = owner.member_since
    if form.validate_on_submit():
        changes = registry.update_plot(plot, form.values(), by=acting_account())
        if changes:
            flash(f"Участок № {plot.number} сохранён: " + "; ".join(changes) + ".", "success")
        else:
            flash("Ничего не изменилось.", "info")
        return redirect(url_for("admin.plot_history", number=plot.number))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/plot_edit.html", plot=plot, form=form), status


@bp.route("/plots/<number>/replace-meter", methods=["GET", "POST"])
@treasurer_required
def replace_meter_page(number: str):
    """The same service as `replace-meter` in the shell; a GET may prefill it (from an import)."""
    plot = _plot(number)
    form = MeterReplacementForm(formdata=request.form if request.method == "POST" else request.args)
    lines: list[str] = []
    status = 200
    if request.method == "POST" and form.validate():
        values = {name: getattr(form, name).value for name in _METER_FIELDS}
        final = MeterValues(values["final_day"], values["final_night"], values["final_total"])
        initial = None
        if any(values[k] is not None for k in ("initial_day", "initial_night", "initial_total")):
            initial = MeterValues(values["initial_day"], values["initial_night"], values["initial_total"])
        report = replace_meter(plot.number, form.on.value, final, initial, by=acting_account())
        if report.ok:
            flash(" ".join(report_lines(report, shell=False)), "success")
            return redirect(url_for("admin.plot_history", number=plot.number))
        lines, status = report_lines(report, shell=False), 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/replace_meter.html", plot=plot, form=form, lines=lines), status


_METER_FIELDS = ("final_day", "final_night", "final_total", "initial_day", "initial_night", "initial_total")


@bp.route("/persons/<int:person_id>")
@bp.route("/persons/new", defaults={"person_id": None})
def person(person_id: int | None):
    """An owner: the board reads, the treasurer edits (a co-owner is added from a plot's page)."""
    found = db.get_or_404(Person, person_id) if person_id is not None else None
    form = PersonForm(obj=found)
    form.plots.data = ", ".join(p.number for p in found.plots) if found else request.args.get("plot", "")[:10]
    return _person_page(found, form, 200)


@bp.route("/persons/<int:person_id>/save", methods=["POST"])
@bp.route("/persons/new/save", methods=["POST"], defaults={"person_id": None})
@treasurer_required
def person_save(person_id: int | None):
    found = db.get_or_404(Person, person_id) if person_id is not None else None
    form = PersonForm()
    if form.validate_on_submit():
        try:
            saved = registry.save_person(found, form.values(), form.plot_numbers(), by=acting_account())
        except registry.PersonError as exc:
            form.plots.errors = [str(exc)]
        else:
            flash(f"Владелец «{saved.full_name}» сохранён.", "success")
            return redirect(url_for("admin.person", person_id=saved.id))
    return _person_page(found, form, 422)


def _person_page(found: Person | None, form: PersonForm, status: int):
    editable = acting_account().role == "treasurer"
    return render_template("admin/person.html", person=found, form=form, editable=editable), status
