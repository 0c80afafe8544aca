"""Выгрузки: the registry and the debtors as CSV or XLSX. Each download is audited, since the
files carry owners' phones and emails."""

from flask import Response, abort, render_template, request

from snt.admin.blueprint import acting_account, bp
from snt.registry import exports


@bp.route("/exports/")
def exports_page():
    return render_template("admin/exports.html")


@bp.route("/exports/<name>.<fmt>")
def export(name: str, fmt: str):
    if name not in exports.TABLES or fmt not in exports.FORMATS:
        abort(404)
    file = exports.export(name, fmt, request.args.get("q", "")[:100], acting_account())
    return Response(
        file.body,
        mimetype=file.mimetype,
        headers={"Content-Disposition": f"attachment; filename={file.filename}"},
    )
