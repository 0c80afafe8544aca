"""Тарифы: set the electricity tariff in force from a date (as `flask set-tariff`), list them."""

from flask import flash, redirect, render_template, url_for

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.treasurer_forms import TariffForm
from snt.electricity.tariffs import describe, set_tariff, tariff_list
from snt.reports import report_lines


@bp.route("/tariffs/", methods=["GET", "POST"])
@treasurer_required
def tariffs():
    form = TariffForm()
    if form.validate_on_submit():
        report = set_tariff(
            form.valid_from.value,
            form.single.value,
            form.day.value,
            form.night.value,
            by=acting_account(),
        )
        if report.ok:
            if report.changed:
                flash(" ".join(report_lines(report)), "success")
            else:
                flash("Такой тариф с этой даты уже задан: ничего не изменилось.", "info")
            return redirect(url_for("admin.tariffs"))
        form.valid_from.errors.extend(str(issue) for issue in report.errors)
    return render_template(
        "admin/tariffs.html", form=form, tariffs=tariff_list(), describe=describe
    ), 422 if form.is_submitted() else 200
