"""«Нераспознанные платежи»: statement payments without a plot, assigned (or marked «не наш
платёж») by the treasurer; snt.payments.unmatched does the work and the audit."""

from flask import flash, redirect, render_template, url_for

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.treasurer_forms import AssignUnmatchedForm, ForeignPaymentForm
from snt.models import KIND_TITLES
from snt.money import format_money
from snt.payments import unmatched


def _page(errors: dict[int, list[str]] | None = None, status: int = 200):
    waiting = unmatched.open_unmatched()
    forms = {}
    for item in waiting:
        form = AssignUnmatchedForm(formdata=None, prefix=f"u{item.id}", kind=item.guessed_kind)
        form.plot.errors = list((errors or {}).get(item.id, []))
        forms[item.id] = form
    return render_template(
        "admin/unmatched.html",
        waiting=waiting,
        forms=forms,
        foreign_forms={item.id: ForeignPaymentForm(formdata=None, prefix=f"f{item.id}") for item in waiting},
        resolved=unmatched.resolved_unmatched(),
        kind_titles=KIND_TITLES,
    ), status


def _messages(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


@bp.route("/payments/unmatched/")
@treasurer_required
def unmatched_payments():
    return _page()


@bp.post("/payments/unmatched/<int:item_id>/assign")
@treasurer_required
def unmatched_assign(item_id: int):
    form = AssignUnmatchedForm(prefix=f"u{item_id}")
    if not form.validate_on_submit():
        return _page({item_id: _messages(form)}, 422)
    try:
        payment = unmatched.assign(item_id, form.plot.data, form.kind.data, acting_account())
    except unmatched.UnmatchedError as exc:
        return _page({item_id: [str(exc)]}, 422)
    flash(
        f"Платёж {format_money(payment.amount)} ₽ отнесён на участок № {payment.plot.number}: "
        f"{KIND_TITLES[payment.kind].lower()}.",
        "success",
    )
    return redirect(url_for("admin.unmatched_payments"))


@bp.post("/payments/unmatched/<int:item_id>/foreign")
@treasurer_required
def unmatched_foreign(item_id: int):
    form = ForeignPaymentForm(prefix=f"f{item_id}")
    if not form.validate_on_submit():
        return _page({item_id: _messages(form)}, 422)
    try:
        item = unmatched.mark_foreign(item_id, acting_account())
    except unmatched.UnmatchedError as exc:
        return _page({item_id: [str(exc)]}, 422)
    flash(f"Платёж {format_money(item.amount)} ₽ отмечен: не наш платёж.", "success")
    return redirect(url_for("admin.unmatched_payments"))
