"""Сообщения с сайта: the inbox, read / handled marks, a reply by email."""

from flask import abort, flash, redirect, render_template, request, url_for

from snt.admin.blueprint import acting_account, bp
from snt.admin.forms import ActionForm, ReplyForm
from snt.extensions import db
from snt.models import ContactMessage
from snt.public import inbox


@bp.route("/messages/")
def messages():
    kind = request.args.get("show", "")
    if kind not in inbox.FILTERS:
        kind = ""
    pagination = db.paginate(inbox.messages_query(kind), per_page=50, error_out=False)
    return render_template("admin/messages.html", pagination=pagination, kind=kind, filters=inbox.FILTERS)


@bp.route("/messages/<int:message_id>", methods=["GET", "POST"])
def message(message_id: int):
    """Opening a message marks it read; the reply form is on the same page."""
    item = db.get_or_404(ContactMessage, message_id)
    if request.method == "GET" and not item.is_read:
        inbox.set_read(item, True)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            inbox.reply(item, form.text.data, acting_account(), handled=form.handled.data)
        except inbox.InboxError as exc:
            form.text.errors.append(str(exc))
        else:
            flash(f"Ответ отправлен на {item.email}.", "success")
            return redirect(url_for("admin.message", message_id=item.id))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/message.html", item=item, form=form, action_form=ActionForm()), status


@bp.post("/messages/<int:message_id>/unread")
def message_unread(message_id: int):
    item = db.get_or_404(ContactMessage, message_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    inbox.set_read(item, False)
    flash("Сообщение отмечено непрочитанным.", "info")
    return redirect(url_for("admin.messages"))


@bp.post("/messages/<int:message_id>/handled")
def message_handled(message_id: int):
    item = db.get_or_404(ContactMessage, message_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    handled = item.handled_at is None
    inbox.set_handled(item, handled, acting_account())
    flash("Сообщение отмечено обработанным." if handled else "Сообщение снова ждёт ответа.", "success")
    return redirect(url_for("admin.message", message_id=item.id))
