"""Payment QR codes (ГОСТ Р 56042-2014) for each plot and kind with an amount due."""

import io
from dataclasses import dataclass
from decimal import Decimal

import segno
from markupsafe import Markup
from sqlalchemy import func, select

from snt.billing import BalanceRow
from snt.extensions import db
from snt.models import Charge, Reading
from snt.money import format_quantity
from snt.payments.requisites import Requisites, qr_payload
from snt.payments.services import PlotStatus, row_label


@dataclass(frozen=True)
class PaymentCode:
    plot_number: str
    label: str
    amount: Decimal
    purpose: str
    payload: str

    def svg(self, scale: int = 3) -> Markup:
        """Inline SVG: no image library, no extra request."""
        return Markup(segno.make(self.payload, error="m", encoding="utf-8").svg_inline(scale=scale))

    def png(self, scale: int = 4) -> bytes:
        out = io.BytesIO()
        segno.make(self.payload, error="m", encoding="utf-8").save(out, kind="png", scale=scale)
        return out.getvalue()


def _latest_readings(plot_ids: list[int]) -> dict[int, Reading]:
    """The newest reading of each plot: one query."""
    newest = (
        select(Reading.plot_id, func.max(Reading.taken_on).label("taken_on"))
        .where(Reading.plot_id.in_(plot_ids))
        .group_by(Reading.plot_id)
        .subquery()
    )
    query = select(Reading).join(
        newest, (Reading.plot_id == newest.c.plot_id) & (Reading.taken_on == newest.c.taken_on)
    )
    return {r.plot_id: r for r in db.session.scalars(query)}


def _purpose(row: BalanceRow, plot_number: str, reading: Reading | None) -> tuple[str, dict[str, str]]:
    purpose = f"{row_label(row)}, участок {plot_number}"
    extra: dict[str, str] = {}
    if row.kind == Charge.ELECTRICITY and reading is not None:
        if reading.day is not None and reading.night is not None:
            purpose += f", Т1 {format_quantity(reading.day)}, Т2 {format_quantity(reading.night)}"
        else:
            purpose += f", показание {format_quantity(reading.total)}"
        month = reading.taken_on.month - 1 or 12
        year = reading.taken_on.year if reading.taken_on.month > 1 else reading.taken_on.year - 1
        extra["PaymPeriod"] = f"{month:02d}{year}"
    return purpose, extra


def payment_codes(statuses: list[PlotStatus], requisites: Requisites | None) -> dict[tuple, PaymentCode]:
    """(plot id, kind, year, title) → its QR code, for rows with an amount due; empty without requisites."""
    if requisites is None:
        return {}
    readings = _latest_readings([s.plot.id for s in statuses])
    codes = {}
    for status in statuses:
        for row in status.rows:
            if row.due <= 0:
                continue
            purpose, extra = _purpose(row, status.plot.number, readings.get(status.plot.id))
            codes[(status.plot.id, row.kind, row.year, row.title)] = PaymentCode(
                plot_number=status.plot.number,
                label=row_label(row),
                amount=row.due,
                purpose=purpose,
                payload=qr_payload(requisites, status.plot.number, row.due, purpose, extra),
            )
    return codes
