"""Payment QR codes (ГОСТ Р 56042-2014): one per plot for its whole amount due (the purpose in
the combined form of snt.payments.purpose), and one per kind and year behind «По отдельности»."""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from markupsafe import Markup
from sqlalchemy import select

from snt import billing
from snt.billing import BalanceRow
from snt.extensions import db
from snt.models import Charge, Reading
from snt.money import format_quantity
from snt.payments.purpose import Part, combined_purpose
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
        """Inline SVG: no image library, no extra request. Drawn once per payload (see _svg)."""
        return Markup(_svg(self.payload, scale))

    def png(self, scale: int = 4) -> bytes:
        out = io.BytesIO()
        import segno

        segno.make(self.payload, error="m", encoding="utf-8").save(out, kind="png", scale=scale)
        return out.getvalue()


@lru_cache(maxsize=256)
def _svg(payload: str, scale: int) -> str:
    """The drawing of a code, kept while its payload is asked for again: the payload holds all a
    code depends on (the requisites, the plot, the amount, the purpose with its readings), so a new
    payment, import or requisites change asks for another one; 256 codes are a few megabytes."""
    import segno  # here: the site's start does not pay for the QR library

    return segno.make(payload, error="m", encoding="utf-8").svg_inline(scale=scale)


def _period_readings(statuses: list[PlotStatus]) -> dict[tuple[int, int], tuple[billing.Settled, Reading]]:
    """(plot id, year) -> the newest unpaid electricity period of that year and its end reading.

    A 2021 debt's code carries the 2021 period's readings, not today's. One query."""
    newest: dict[tuple[int, int], tuple[billing.Settled, date]] = {}
    for status in statuses:
        allocation = status.kinds.get(Charge.ELECTRICITY)
        for item in allocation.charges if allocation else []:
            end = item.charge.end
            if item.left > 0 and end is not None:
                newest[(status.plot.id, item.charge.year)] = (item, end)  # charges come oldest first
    readings = end_readings({(plot_id, end) for (plot_id, _), (_, end) in newest.items()})
    return {
        key: (item, readings[(key[0], end)])
        for key, (item, end) in newest.items()
        if (key[0], end) in readings
    }


def end_readings(ends: set[tuple[int, date]]) -> dict[tuple[int, date], Reading]:
    """(plot id, date) -> the reading that ends a period there (not a new meter's first). One query."""
    if not ends:
        return {}
    query = select(Reading).where(
        Reading.plot_id.in_({plot_id for plot_id, _ in ends}),
        Reading.taken_on.in_({on for _, on in ends}),
        Reading.meter_start.is_(False),
    )
    return {(r.plot_id, r.taken_on): r for r in db.session.scalars(query) if (r.plot_id, r.taken_on) in ends}


def reading_text(reading: Reading) -> str:
    if reading.day is not None and reading.night is not None:
        return f"Т1 {format_quantity(reading.day)}, Т2 {format_quantity(reading.night)}"
    return f"показание {format_quantity(reading.total)}"


def _purpose(
    row: BalanceRow, plot_number: str, period: tuple[billing.Settled, Reading] | None
) -> tuple[str, dict[str, str]]:
    purpose = f"{row_label(row)}, участок {plot_number}"
    extra: dict[str, str] = {}
    if row.kind == Charge.ELECTRICITY and period is not None:
        item, reading = period
        purpose += f", {reading_text(reading)}"
        extra["PaymPeriod"] = f"{item.charge.month:%m%Y}"
    return purpose, extra


def payment_codes(statuses: list[PlotStatus], requisites: Requisites | None) -> dict[tuple, PaymentCode]:
    """(plot id, kind, year, title) → its QR code, for rows with an amount due; empty without requisites."""
    if requisites is None:
        return {}
    periods = _period_readings(statuses)
    codes = {}
    for status in statuses:
        for row in status.rows:
            if row.due <= 0:
                continue
            purpose, extra = _purpose(row, status.plot.number, periods.get((status.plot.id, row.year)))
            codes[(status.plot.id, row.kind, row.year, row.title)] = PaymentCode(
                plot_number=status.plot.number,
                label=row_label(row),
                amount=row.due,
                purpose=purpose,
                payload=qr_payload(requisites, status.plot.number, row.due, purpose, extra),
            )
    return codes


def plot_parts(status: PlotStatus) -> list[Part]:
    """What the plot owes, one part per kind; a fee's year is named when all of it is one year's."""
    parts = []
    for kind in Charge.KINDS:
        allocation = status.kinds.get(kind)
        if allocation is None or allocation.due <= 0:
            continue
        years = {item.charge.year for item in allocation.charges if item.left > 0}
        year = years.pop() if kind != Charge.ELECTRICITY and len(years) == 1 else None
        parts.append(Part(kind, year, allocation.due))
    return parts


def plot_code(status: PlotStatus, requisites: Requisites | None) -> PaymentCode | None:
    """One code paying the plot's whole amount due, its purpose in the fixed combined form."""
    parts = plot_parts(status)
    if requisites is None or not parts:
        return None
    total = sum((p.amount for p in parts), billing.ZERO)
    purpose = combined_purpose(status.plot.number, parts)
    return PaymentCode(
        plot_number=status.plot.number,
        label=f"Участок {status.plot.number}, всего",
        amount=total,
        purpose=purpose,
        payload=qr_payload(requisites, status.plot.number, total, purpose),
    )
