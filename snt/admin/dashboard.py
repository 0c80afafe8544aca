"""Сводка: the month's steps and their state, what waits for the board, the debts."""

from flask import render_template

from snt.admin.blueprint import bp
from snt.board.summary import summary

# Steps done on pages only the treasurer opens: the board sees their state without a link.
TREASURER_PAGES = frozenset({"admin.imports", "admin.fees", "admin.sms"})


@bp.route("/")
def dashboard():
    return render_template("admin/dashboard.html", summary=summary(), treasurer_pages=TREASURER_PAGES)
