"""«Статус моих оплат» for a member: the summary and each plot's block (its lines, QR codes and
receipt link) drawn once per ledger version and day (snt.figures) for the plots asked. The drawn
part holds no session data (no form, no CSRF token), only what the member's plots show."""

from datetime import date, datetime

from flask import get_template_attribute
from markupsafe import Markup

from snt import figures
from snt.models import Plot
from snt.payments import services
from snt.payments.qr import payment_codes, plot_code
from snt.payments.requisites import Requisites


def status_body(plots: list[Plot]) -> tuple[bool, Markup, datetime | None]:
    """(whether any plot has lines to show, the drawn summary and plot blocks, the newest import's
    date) for `plots`, already checked by snt.registry.access."""
    statuses, requisites, imported_at = services.member_page(plots)
    key = ("status_body", tuple(p.id for p in plots), date.today())
    return bool(statuses), figures.kept(key, lambda: _draw(statuses, requisites)), imported_at


def _draw(statuses: list[services.PlotStatus], requisites: Requisites | None) -> Markup:
    if not statuses:
        return Markup()
    summary = get_template_attribute("_macros/payments.html", "summary")
    plot_status = get_template_attribute("_macros/payments.html", "plot_status")
    codes = payment_codes(statuses, requisites)
    parts = [summary(statuses, services.total_due(statuses))]
    for s in statuses:
        parts.append(
            plot_status(
                s,
                services.row_label,
                codes=codes,
                receipt=True,
                plot_code=plot_code(s, requisites),
                requisites=requisites,
            )
        )
    return Markup("\n").join(parts)
