"""Сводка: what waits for the board, and how fresh the treasurer's data is."""

from flask import render_template

from snt.admin.blueprint import bp
from snt.board.summary import IMPORT_TITLES, summary


@bp.route("/")
def dashboard():
    return render_template("admin/dashboard.html", summary=summary(), import_titles=IMPORT_TITLES)
