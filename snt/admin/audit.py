"""Журнал действий: who did what and when, newest first."""

from flask import render_template, request

from snt import audit
from snt.admin.blueprint import bp
from snt.extensions import db


@bp.route("/audit/")
def audit_log():
    action = request.args.get("action", "")
    if action not in audit.ACTIONS:
        action = ""
    actor = request.args.get("actor", "")[:100]
    pagination = db.paginate(audit.entries_query(action, actor), per_page=50, error_out=False)
    return render_template(
        "admin/audit.html",
        pagination=pagination,
        action=action,
        actor=actor,
        actions=audit.ACTIONS,
        action_title=audit.action_title,
        source_words=audit.source_words,
        is_shell=audit.is_shell,
    )
