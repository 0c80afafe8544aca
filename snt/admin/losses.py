"""Потери: the main meter against the members' meters, month by month."""

from flask import render_template, request

from snt.admin.blueprint import bp
from snt.electricity.checks import month_start
from snt.electricity.losses import losses


@bp.route("/losses/")
def losses_page():
    since, until = request.args.get("from", "").strip()[:20], request.args.get("to", "").strip()[:20]
    try:
        first = month_start(since) if since else None
        last = month_start(until) if until else None
    except ValueError as exc:
        page = render_template("admin/losses.html", months=[], since=since, until=until, error=f"{exc}.")
        return page, 400
    months = losses(first, last)
    return render_template("admin/losses.html", months=months, since=since, until=until, error="")
