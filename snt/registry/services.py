"""The board's view of the registry: finding plots, their balances, editing a plot, and one
plot's whole history («почему у меня такая сумма?»). Balances come from payments.services."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from snt import audit, billing
from snt.database import writes
from snt.electricity.services import PeriodGroup, bill_periods, electricity_table
from snt.extensions import db
from snt.models import KIND_TITLES, Account, Charge, Payment, Person, Plot, PlotClaim, Reading
from snt.money import format_money, format_quantity
from snt.pagination import ListPagination
from snt.payments.ledger import charge_date
from snt.payments.services import SOURCE_TITLES, PlotStatus, is_opening_debt, payment_status
from snt.plots import normalise_plot_number
from snt.registry import claims

DEBT_FILTERS = {
    "": "все участки",
    "debt": "с долгом",
    "clear": "без долга",
    "prepaid": "с предоплатой",
}


def find_plots(query: str = "") -> list[Plot]:
    """Plots in natural order whose number, street, owner, email or phone match `query`.

    Filtered in Python: SQLite's LIKE and lower() ignore the case of Cyrillic letters, and the
    registry of a partnership is a few thousand rows at most. One query.
    """
    plots = list(db.session.scalars(select(Plot).order_by(Plot.sort_key)))
    text = query.strip().casefold()
    if not text:
        return plots
    return [p for p in plots if _matches(p, text)]


def _matches(plot: Plot, text: str) -> bool:
    """A number or street matches whole; a name or email by a part; a phone by 4+ digits."""
    if plot.number == text or plot.street.casefold() == text:
        return True
    if text.isdigit():
        return len(text) >= 4 and any(text in o.phone for o in plot.owners)
    return text in plot.owner_name.casefold() or any(text in e for e in plot.emails)


def with_balances(plots: list[Plot], debt: str = "") -> list[PlotStatus]:
    """The plots' balances (two queries for any number of plots), filtered by DEBT_FILTERS."""
    statuses = payment_status(plots)
    if debt == "debt":
        return [s for s in statuses if s.due > 0]
    if debt == "clear":
        return [s for s in statuses if s.due == 0]
    if debt == "prepaid":
        return [s for s in statuses if s.prepaid > 0]
    return statuses


PLOT_FIELDS = {
    "street": "улица",
    "area": "площадь",
    "electrified": "электрификация",
    "two_tariff": "новый счётчик",
    "owner_name": "владелец",
    "email": "электропочта",
    "phone": "телефон",
    "cadastral_number": "кадастровый номер",
}
# Fields of the plot's first owner (a Person), edited on the plot's form too.
OWNER_FIELDS = {
    "postal_address": "почтовый адрес",
    "is_member": "член товарищества",
    "member_since": "член товарищества с",
}


PAGE_SIZE = 100


def plots_page(query: str, debt: str, page: int) -> ListPagination:
    """A page of the registry's plots found by `query` as PlotStatus, filtered by `debt` (a key of
    DEBT_FILTERS, or "" for all). The search is in Python (see find_plots); the debt filter needs
    every found plot's balance, until balances are summed in SQL; without it only the page's
    plots get theirs."""
    found = find_plots(query)
    if debt:
        return ListPagination(
            items=with_balances(found, debt), page=page, per_page=PAGE_SIZE, error_out=False
        )
    pagination = ListPagination(items=found, page=page, per_page=PAGE_SIZE, error_out=False)
    pagination.items = with_balances(pagination.items)
    return pagination


@writes
def update_plot(plot: Plot, values: dict, by: Account | None) -> list[str]:
    """Set the plot's registry fields (already validated); audited. Returns the changes as text.

    A new owner (claims.owner_changed) sends the plot's verified claims back to the board."""
    changes, touched = [], set()
    old_owner, old_email = plot.owner_name, plot.email
    for name, title in PLOT_FIELDS.items():
        old, new = getattr(plot, name), values[name]
        if old != new:
            changes.append(f"{title}: {_show(old)} → {_show(new)}")
            touched.add(name)
            setattr(plot, name, new)
    changes += _update_first_owner(plot, values)
    if "two_tariff" in touched:
        # The meter type picks which cost is due: bill the plot's periods as the importer would.
        recomputed = bill_periods([plot.id])
        if recomputed:
            changes.append(f"пересчитано начислений за электроэнергию: {recomputed}")
    if claims.owner_changed(old_owner, plot.owner_name, old_email, plot.email):
        reopened = claims.reopen_claims_of_new_owner(plot)
        if reopened:
            changes.append(
                "снова ждут подтверждения правлением: " + ", ".join(c.account.login for c in reopened)
            )
    if changes:
        audit.record("plot.edit", by, plot, label=f"участок {plot.number}", details="; ".join(changes))
    return changes


PERSON_FIELDS = {
    "full_name": "ФИО",
    "email": "электропочта",
    "phone": "телефон",
    "postal_address": "почтовый адрес",
    "is_member": "член товарищества",
    "member_since": "член товарищества с",
}


class PersonError(ValueError):
    """A Russian message for the form: nothing was saved."""


@writes
def save_person(person: Person | None, values: dict, plot_numbers: list[str], by: Account | None) -> Person:
    """Create or change an owner and the plots they own (co-owners stay on each plot); audited.

    Raises PersonError for a plot number the registry lacks; then nothing is saved."""
    numbers = []
    for text in plot_numbers:
        try:
            numbers.append(normalise_plot_number(text))
        except ValueError as exc:
            raise PersonError(str(exc)) from exc
    plots = {p.number: p for p in db.session.scalars(select(Plot).where(Plot.number.in_(numbers)))}
    unknown = [n for n in numbers if n not in plots]
    if unknown:
        raise PersonError("Нет в реестре участков: " + ", ".join(unknown) + ".")
    is_new = person is None
    if person is None:
        person = Person()
        db.session.add(person)
    changes = []
    for name, title in PERSON_FIELDS.items():
        old, new = getattr(person, name), values[name]
        if old != new:
            if not is_new:
                changes.append(f"{title}: {_show(old)} → {_show(new)}")
            setattr(person, name, new)
    old_numbers = [p.number for p in person.plots]
    person.plots = sorted(plots.values(), key=lambda p: p.sort_key)
    new_numbers = [p.number for p in person.plots]
    if old_numbers != new_numbers:
        changes.append(f"участки: {', '.join(old_numbers) or '—'} → {', '.join(new_numbers)}")
    db.session.flush()
    audit.record(
        "person.create" if is_new else "person.edit",
        by,
        person,
        label=f"{person.full_name}, уч. {', '.join(new_numbers)}",
        details="; ".join(changes),
    )
    return person


def _update_first_owner(plot: Plot, values: dict) -> list[str]:
    """The owner fields of the plot form set its first owner (a plot with no owner on record gets
    none from these fields alone)."""
    if not plot.owners:
        return []
    owner, changes = plot.owners[0], []
    for name, title in OWNER_FIELDS.items():
        old, new = getattr(owner, name), values[name]
        if old != new:
            changes.append(f"{title}: {_show(old)} → {_show(new)}")
            setattr(owner, name, new)
    return changes


def _show(value) -> str:
    if isinstance(value, bool):
        return "Да" if value else "Нет"
    if isinstance(value, Decimal):
        return format_quantity(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return value or "—"


@dataclass
class LedgerRow:
    """A line of one charge kind's account: a charge or a payment and the balance after it."""

    when: date | None
    text: str
    charged: Decimal | None = None
    paid: Decimal | None = None
    balance: Decimal = billing.ZERO
    payment_id: int | None = None  # a payment the treasurer may still reverse


@dataclass
class Ledger:
    kind: str
    title: str
    rows: list[LedgerRow] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return self.rows[-1].balance if self.rows else billing.ZERO


@dataclass
class PlotHistory:
    plot: Plot
    status: PlotStatus
    ledgers: list[Ledger]
    periods: list[PeriodGroup]
    readings: list[Reading]
    claims: list[PlotClaim]


def plot_history(plot: Plot) -> PlotHistory:
    """Everything that makes up the plot's balance, on one page; a fixed number of queries."""
    charges = list(
        db.session.scalars(
            select(Charge).where(Charge.plot_id == plot.id).options(selectinload(Charge.tariff))
        )
    )
    payments = list(db.session.scalars(select(Payment).where(Payment.plot_id == plot.id)))
    readings = list(
        db.session.scalars(
            select(Reading).where(Reading.plot_id == plot.id).order_by(Reading.taken_on.desc(), Reading.id)
        )
    )
    claims = list(
        db.session.scalars(
            select(PlotClaim)
            .join(PlotClaim.account)
            .options(contains_eager(PlotClaim.account))
            .where(PlotClaim.plot_id == plot.id)
            .order_by(PlotClaim.created_at)
        )
    )
    return PlotHistory(
        plot=plot,
        status=payment_status([plot])[0],
        ledgers=_ledgers(charges, payments),
        periods=electricity_table([plot]),
        readings=readings,
        claims=claims,
    )


def _ledgers(charges: list[Charge], payments: list[Payment]) -> list[Ledger]:
    """Per kind, charges and payments in date order with the running balance (charged − paid).

    A yearly fee counts from the 1st of January of its year, an electricity charge from the end
    of its period; on the same day a charge comes before a payment.
    """
    ledgers = []
    reversed_ids = {p.reverses_id for p in payments if p.reverses_id is not None}
    for kind in Charge.KINDS:
        entries: list[tuple[tuple, LedgerRow]] = []
        for c in charges:
            if c.kind != kind:
                continue
            when = charge_date(c)
            entries.append(((when, 0, c.id), LedgerRow(when=when, text=_charge_text(c), charged=c.amount)))
        paid_on = {p.id: p.paid_on for p in payments}
        for p in payments:
            if p.kind == kind:
                row = LedgerRow(when=p.paid_on, text=_payment_text(p, paid_on, reversed_ids), paid=p.amount)
                if p.source not in (Payment.REVERSAL, Payment.OPENING) and p.id not in reversed_ids:
                    row.payment_id = p.id
                entries.append(((p.paid_on, 1, p.id), row))
        if not entries:
            continue
        ledger = Ledger(kind=kind, title=KIND_TITLES.get(kind, kind))
        balance = billing.ZERO
        for _, row in sorted(entries, key=lambda e: e[0]):
            balance += (row.charged or billing.ZERO) - (row.paid or billing.ZERO)
            row.balance = balance
            ledger.rows.append(row)
        ledgers.append(ledger)
    return ledgers


def _payment_text(p: Payment, paid_on: dict[int, date], reversed_ids: set[int]) -> str:
    if p.reverses_id is not None:
        return f"Сторно оплаты от {paid_on[p.reverses_id]:%d.%m.%Y}, причина: «{p.purpose}»"
    text = "Оплата" + (f" (документ {p.reference})" if p.reference else "")
    text += f", {SOURCE_TITLES.get(p.source, p.source)}" + (f": «{p.purpose}»" if p.purpose else "")
    return text + (" — сторнирована" if p.id in reversed_ids else "")


def _charge_text(charge: Charge) -> str:
    if charge.kind == Charge.ELECTRICITY and charge.period_start and charge.period_end:
        return f"Электроэнергия {charge.period_start:%d.%m.%Y} – {charge.period_end:%d.%m.%Y}" + (
            f" (тариф с {charge.tariff.valid_from:%d.%m.%Y})" if charge.tariff else ""
        )
    title = charge.title or KIND_TITLES.get(charge.kind, charge.kind)
    return title if is_opening_debt(title) else f"{title} за {charge.year} год"


def balance_text(value: Decimal) -> str:
    """A running balance in words: a debt, a prepayment, or nothing."""
    if value > 0:
        return f"долг {format_money(value)}"
    if value < 0:
        return f"переплата {format_money(-value)}"
    return "0,00"
