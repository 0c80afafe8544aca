"""Balances by SQL aggregates: what a plot owes (or has paid ahead) per charge kind, without
loading its history.

`billing.settle` decides which charge a payment covers (for «Статус моих оплат», receipts and the
act), but the sums it leaves do not depend on that choice: per plot and kind, what is left to pay
minus the credit is charges − payments (SPEC §4, the settle docstring), and a credit remains only
once every charge is covered. So a kind owes max(0, charges − payments) and holds an advance of
max(0, payments − charges); an advance of one kind never pays another. The debtors report and
«Сводка» need only these sums: one grouped query over charges and payments, however many years.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Integer, func, select, type_coerce

from snt import billing
from snt.extensions import db
from snt.models import Charge, Payment, Person, Plot, plot_owner


@dataclass
class Balance:
    """One plot's sums: due and advance per kind (every kind in Charge.KINDS present)."""

    plot_id: int
    due_by_kind: dict[str, Decimal] = field(default_factory=dict)
    prepaid_by_kind: dict[str, Decimal] = field(default_factory=dict)

    @property
    def due(self) -> Decimal:
        return sum(self.due_by_kind.values(), billing.ZERO)

    @property
    def prepaid(self) -> Decimal:
        return sum(self.prepaid_by_kind.values(), billing.ZERO)


def _net_by_plot_and_kind() -> dict[tuple[int, str], int]:
    """(plot_id, kind) -> charges − payments in whole kopecks. Two grouped queries, each read from
    its covering index in order (ix_charge_plot_id_kind_period_start_amount,
    ix_payment_plot_id_kind_amount): rows are plots × kinds, whatever the years of history."""
    net: dict[tuple[int, str], int] = {}
    for model, sign in ((Charge, 1), (Payment, -1)):
        kopecks = func.sum(type_coerce(model.amount, Integer))
        for plot_id, kind, total in db.session.execute(
            select(model.plot_id, model.kind, kopecks).group_by(model.plot_id, model.kind)
        ):
            net[(plot_id, kind)] = net.get((plot_id, kind), 0) + sign * (total or 0)
    return net


def balances() -> dict[int, Balance]:
    """Every plot with a charge or a payment: its Balance. Two queries."""
    result: dict[int, Balance] = {}
    for (plot_id, kind), net in _net_by_plot_and_kind().items():
        if kind not in Charge.KINDS:
            continue
        balance = result.get(plot_id)
        if balance is None:
            zero = dict.fromkeys(Charge.KINDS, billing.ZERO)
            balance = result[plot_id] = Balance(plot_id, dict(zero), dict(zero))
        if net > 0:
            balance.due_by_kind[kind] = Decimal(net).scaleb(-2)
        elif net < 0:
            balance.prepaid_by_kind[kind] = Decimal(-net).scaleb(-2)
    return result


def debt_totals() -> tuple[int, Decimal]:
    """How many plots owe something, and how much in all. Two queries."""
    owing = [
        (plot_id, net)
        for (plot_id, kind), net in _net_by_plot_and_kind().items()
        if net > 0 and kind in Charge.KINDS
    ]
    return len({plot_id for plot_id, _ in owing}), Decimal(sum(net for _, net in owing)).scaleb(-2)


@dataclass(frozen=True)
class PlotLine:
    """What a line of the debtors' list shows of a plot (as `Plot.number` and `Plot.owner_name`)."""

    number: str
    owner_name: str


@dataclass
class Debtor:
    plot: PlotLine
    balance: Balance


def debtors() -> list[Debtor]:
    """Every plot that owes something, in natural plot order. Three queries (the sums, plots,
    their owners' names) whatever the length of the history; plain rows, not 2,000 Plot objects
    with their owners, since the list shows a number and a name."""
    sums = balances()
    plots = db.session.execute(select(Plot.id, Plot.number).order_by(Plot.sort_key)).all()
    names: dict[int, list[str]] = {}
    owners = (
        select(plot_owner.c.plot_id, Person.full_name)
        .join(Person, Person.id == plot_owner.c.person_id)
        .order_by(plot_owner.c.plot_id, Person.id)  # Plot.owners' order
    )
    for plot_id, name in db.session.execute(owners):
        if name:
            names.setdefault(plot_id, []).append(name)
    return [
        Debtor(PlotLine(number, ", ".join(names.get(plot_id, []))), sums[plot_id])
        for plot_id, number in plots
        if plot_id in sums and sums[plot_id].due > 0
    ]
