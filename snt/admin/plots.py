"""Реестр участков: search, debt filter, a plot's history; editing is the treasurer's."""

import re

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.forms import PersonForm, PlotForm
from snt.extensions import db
from snt.models import Person, Plot
from snt.money import format_quantity
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
def plot_history(number: str):
    history = registry.plot_history(_plot(number))
    return render_template(
        "admin/plot_history.html",
        h=history,
        row_label=row_label,
        balance_text=registry.balance_text,
    )


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
