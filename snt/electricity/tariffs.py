"""Tariffs: set one in force from a date, list them. A new tariff never rewrites billed periods."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from snt.dates import ru_day
from snt.electricity.services import bill_periods
from snt.electricity.timeline import electricity_charges
from snt.extensions import db
from snt.models import Account, Charge, Reading, Tariff
from snt.money import format_money
from snt.reports import Report, report_unit


@dataclass
class TariffLine:
    tariff: Tariff
    charges: int  # electricity charges billed with it


def describe(valid_from: date, single: Decimal, day: Decimal, night: Decimal) -> str:
    return (
        f"с {ru_day(valid_from)}: однотарифный {format_money(single)}, день {format_money(day)}, "
        f"ночь {format_money(night)} ₽/кВт·ч"
    )


@report_unit(record=False)
def set_tariff(
    valid_from: date,
    single: Decimal,
    day: Decimal,
    night: Decimal,
    *,
    dry_run: bool = False,
    by: Account | None = None,
) -> Report:
    """Add the tariff in force from `valid_from` and bill the periods that had no tariff yet.

    A tariff already used by charges cannot be changed: set a new one from another date.
    """
    report = Report("tariff", dry_run=dry_run, by=by)
    for label, rate in (("однотарифный", single), ("день", day), ("ночь", night)):
        if rate <= 0:
            report.error(None, f"Тариф «{label}» должен быть больше нуля.")
    if report.errors:
        return report
    tariff = db.session.scalar(select(Tariff).where(Tariff.valid_from == valid_from))
    if tariff is not None and (tariff.single, tariff.day, tariff.night) == (single, day, night):
        return report
    if tariff is not None:
        used = db.session.scalar(select(func.count()).where(Charge.tariff_id == tariff.id))
        if used:
            report.error(
                None,
                f"Тариф с {ru_day(valid_from)} уже применён к {used} начислениям и не меняется: "
                "задайте новый тариф с другой даты.",
            )
            return report
        report.changes.append(
            f"тариф {describe(valid_from, tariff.single, tariff.day, tariff.night)} → "
            f"{describe(valid_from, single, day, night)}"
        )
        tariff.single, tariff.day, tariff.night = single, day, night
    else:
        tariff = Tariff(valid_from=valid_from, single=single, day=day, night=night)
        db.session.add(tariff)
        report.changes.append(f"новый тариф {describe(valid_from, single, day, night)}")
    db.session.flush()
    older = db.session.scalar(
        select(func.count()).where(
            Charge.kind == Charge.ELECTRICITY,
            Charge.period_start >= valid_from,
            Charge.tariff_id != tariff.id,
        )
    )
    if older:
        report.warn(
            None,
            f"{older} периодов с {ru_day(valid_from)} уже начислены по прежнему тарифу и не пересчитываются",
        )
    _bill_unbilled(report)
    return report


def _bill_unbilled(report: Report) -> None:
    """Periods whose readings came before any tariff covered them are billed now."""
    plot_ids = list(db.session.scalars(select(Reading.plot_id).distinct()))
    before = electricity_charges(plot_ids)
    bill_periods(plot_ids)
    db.session.flush()
    added = len(set(electricity_charges(plot_ids)) - set(before))
    report.count("начислено периодов, ожидавших тарифа", added)


def tariff_list() -> list[TariffLine]:
    """Every tariff, oldest first, with how many charges it billed: one query."""
    query = (
        select(Tariff, func.count(Charge.id))
        .outerjoin(Charge, Charge.tariff_id == Tariff.id)
        .group_by(Tariff.id)
        .order_by(Tariff.valid_from)
    )
    return [TariffLine(tariff, count) for tariff, count in db.session.execute(query)]
