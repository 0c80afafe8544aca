"""The registry and who may see it: plots, their owners (persons), accounts, ownership claims."""

from datetime import date, datetime
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.base import Model, new_session_token, utcnow
from snt.money import Hundredths
from snt.plots import plot_sort_key

# Co-ownership: a plot may have several owners, a person may own several plots.
plot_owner = Table(
    "plot_owner",
    Model.metadata,
    Column("plot_id", ForeignKey("plot.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Person(Model):
    """An owner in the registry (217-ФЗ art. 15): quorum and the notice count persons, not plots.

    `is_member` is «Член товарищества»; a non-member owner (ведущий садоводство без участия в
    товариществе, art. 5) stays in the registry, gets the meeting notice and pays
    «Плата за пользование имуществом общего пользования» instead of membership fees."""

    __table_args__ = ({"sqlite_autoincrement": True},)  # ids travel in URLs and forms

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(11), default="")
    postal_address: Mapped[str] = mapped_column(String(300), default="")
    is_member: Mapped[bool] = mapped_column(default=True)
    member_since: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plots: Mapped[list["Plot"]] = relationship(
        secondary=plot_owner, back_populates="owners", order_by="Plot.sort_key"
    )

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.full_name}>"


class Plot(Model):
    """A plot of the members' registry (реестр), kept by the board.

    Its owners are Person rows. `owner_name`, `email` and `phone` read (and write) the first
    owner, so code that thinks of «the plot's owner» keeps working with co-owners."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(10), unique=True)
    sort_key: Mapped[str] = mapped_column(String(12), index=True)
    street: Mapped[str] = mapped_column(String(40), default="")
    area: Mapped[Decimal] = mapped_column(Hundredths, default=Decimal(0))  # sotkas
    electrified: Mapped[bool] = mapped_column(default=True)
    two_tariff: Mapped[bool] = mapped_column(default=False)  # «новый счётчик»: day/night meter
    cadastral_number: Mapped[str] = mapped_column(String(40), default="")  # кадастровый номер

    # selectin: listing any number of plots loads their owners in one more query.
    owners: Mapped[list[Person]] = relationship(
        secondary=plot_owner, back_populates="plots", lazy="selectin", order_by=Person.id
    )

    def __init__(self, **kwargs):
        owner = {k: kwargs.pop(k) for k in ("owner_name", "email", "phone") if k in kwargs}
        super().__init__(**kwargs)
        self.sort_key = plot_sort_key(self.number)
        if any(owner.values()):
            self.owners.append(
                Person(
                    full_name=owner.get("owner_name", ""),
                    email=owner.get("email", ""),
                    phone=owner.get("phone", ""),
                )
            )

    def _first_owner(self) -> Person:
        if not self.owners:
            self.owners.append(Person())
        return self.owners[0]

    @property
    def owner_name(self) -> str:
        """The owners' names, co-owners joined with a comma."""
        return ", ".join(o.full_name for o in self.owners if o.full_name)

    @owner_name.setter
    def owner_name(self, value: str) -> None:
        self._first_owner().full_name = value

    @property
    def email(self) -> str:
        return next((o.email for o in self.owners if o.email), "")

    @email.setter
    def email(self, value: str) -> None:
        self._first_owner().email = value

    @property
    def phone(self) -> str:
        return next((o.phone for o in self.owners if o.phone), "")

    @phone.setter
    def phone(self, value: str) -> None:
        self._first_owner().phone = value

    @property
    def emails(self) -> set[str]:
        return {o.email.lower() for o in self.owners if o.email}

    @property
    def has_member_owner(self) -> bool:
        """False when every owner on record is a non-member (art. 5); a plot with no owner on
        record counts as a member's."""
        return not self.owners or any(o.is_member for o in self.owners)

    def __repr__(self) -> str:
        return f"<Plot {self.number}>"


class Account(UserMixin, Model):
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
    # The monthly email with the figures, the payment QR code and the receipt link.
    email_notices: Mapped[bool] = mapped_column(default=False)
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


class PlotClaim(Model):
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
