"""All models. Money, areas, tariffs and readings are `Hundredths`: Decimal in code, integer in the DB."""

import secrets
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.extensions import db
from snt.money import Hundredths
from snt.plots import plot_sort_key


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class Plot(db.Model):
    """A plot of the members' registry (реестр), kept by the board."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(10), unique=True)
    sort_key: Mapped[str] = mapped_column(String(12), index=True)
    street: Mapped[str] = mapped_column(String(40), default="")
    area: Mapped[Decimal] = mapped_column(Hundredths, default=Decimal(0))  # sotkas
    electrified: Mapped[bool] = mapped_column(default=True)
    two_tariff: Mapped[bool] = mapped_column(default=False)  # «новый счётчик»: day/night meter
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(11), default="")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sort_key = plot_sort_key(self.number)

    def __repr__(self) -> str:
        return f"<Plot {self.number}>"


class Account(UserMixin, db.Model):
    """A person who logs in: a member (login = smallest plot number) or a board/treasurer account."""

    ROLES = ("member", "board", "treasurer")

    id: Mapped[int] = mapped_column(primary_key=True)
    login_plot_id: Mapped[int | None] = mapped_column(ForeignKey("plot.id"), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    email_confirmed_at: Mapped[datetime | None]
    password_hash: Mapped[str] = mapped_column(String(256))
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    role: Mapped[str] = mapped_column(String(20), default="member")
    full_name: Mapped[str] = mapped_column(String(200), default="")
    contact_persons: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(11), default="")
    sms_consent: Mapped[bool] = mapped_column(default=False)
    pd_consent_at: Mapped[datetime | None]  # consent to personal-data processing (152-ФЗ)
    is_blocked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    login_plot: Mapped[Plot | None] = relationship()
    claims: Mapped[list["PlotClaim"]] = relationship(
        back_populates="account", cascade="all, delete-orphan", foreign_keys="PlotClaim.account_id"
    )

    def get_id(self) -> str:
        # The per-account token makes a copied cookie useless once the token is rotated.
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return not self.is_blocked

    @property
    def is_board(self) -> bool:
        return self.role in ("board", "treasurer")

    @property
    def login(self) -> str:
        return self.login_plot.number if self.login_plot else self.email


class PlotClaim(db.Model):
    """A member's statement «this plot is mine». Only a verified claim opens the plot's data."""

    PENDING, VERIFIED, REJECTED = "pending", "verified", "rejected"
    __table_args__ = (UniqueConstraint("account_id", "plot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    account: Mapped[Account] = relationship(back_populates="claims", foreign_keys=[account_id])
    plot: Mapped[Plot] = relationship()


class Tariff(db.Model):
    """Electricity prices in force from `valid_from` until the next tariff's date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(unique=True)
    single: Mapped[Decimal] = mapped_column(Hundredths)  # ₽/kWh, single-rate
    day: Mapped[Decimal] = mapped_column(Hundredths)  # ₽/kWh, T1
    night: Mapped[Decimal] = mapped_column(Hundredths)  # ₽/kWh, T2


class Reading(db.Model):
    """A meter reading of a plot on a date. Single-register meters have only `total`."""

    __table_args__ = (UniqueConstraint("plot_id", "taken_on", "meter_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    taken_on: Mapped[date]
    day: Mapped[Decimal | None] = mapped_column(Hundredths)
    night: Mapped[Decimal | None] = mapped_column(Hundredths)
    total: Mapped[Decimal] = mapped_column(Hundredths)
    # True for the first reading of a new meter (after a replacement): no period ends here.
    meter_start: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plot: Mapped[Plot] = relationship()


class Charge(db.Model):
    """An amount the plot owes: a yearly fee, or electricity for a period between two readings."""

    MEMBERSHIP, TARGET, ELECTRICITY = "membership", "target", "electricity"
    KINDS = (MEMBERSHIP, TARGET, ELECTRICITY)
    __table_args__ = (UniqueConstraint("plot_id", "kind", "year", "title", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    # Electricity only: the period and the tariff it was billed with (a later tariff never rewrites it).
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    tariff_id: Mapped[int | None] = mapped_column(ForeignKey("tariff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plot: Mapped[Plot] = relationship()
    tariff: Mapped[Tariff | None] = relationship()


class Payment(db.Model):
    """Money received for a plot; `reference` (the bank's) makes a re-import harmless."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    paid_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plot: Mapped[Plot] = relationship()


class DataImport(db.Model):
    """One import of a file (registry, readings, payments) or an accrual: when, what, how many rows."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255), default="")
    rows: Mapped[int] = mapped_column(default=0)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Page(db.Model):
    """A public page whose text the board edits: charter, board, finances, contacts, privacy."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Announcement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(default=True)
    pinned: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(index=True)


class ContactMessage(db.Model):
    """A message sent through the contact form, kept for the board."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    plot_number: Mapped[str] = mapped_column(String(10), default="")
    text: Mapped[str] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    is_read: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
