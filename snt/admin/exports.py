"""Выгрузки: the registry and the debtors as CSV or XLSX. Each download is audited, since the
files carry owners' phones and emails."""

from datetime import date

from flask import Response, abort, render_template, request

from snt import audit
from snt.admin import acting_account, bp
from snt.database import write_transaction
from snt.registry import exports

TABLES = {"registry": exports.registry_table, "debtors": exports.debtors_table}
FORMATS = {
    "csv": (exports.to_csv, "text/csv; charset=utf-8"),
    "xlsx": (exports.to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
FILE_NAMES = {"registry": "reestr", "debtors": "dolzhniki"}


@bp.route("/exports/")
def exports_page():
    return render_template("admin/exports.html")


@bp.route("/exports/<name>.<fmt>")
def export(name: str, fmt: str):
    if name not in TABLES or fmt not in FORMATS:
        abort(404)
    query = request.args.get("q", "")[:100]
    table = TABLES[name](query)
    write, mimetype = FORMATS[fmt]
    body = write(table)
    with write_transaction():
        audit.record(f"export.{name}", acting_account(), details=f"{fmt.upper()}, строк: {len(table.rows)}")
    filename = f"{FILE_NAMES[name]}-{date.today():%Y-%m-%d}.{fmt}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )
