"""The registry: the partnership's plots as the treasurer's registry lists them, and their owners
(persons, co-owners allowed)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.base import IDS_NEVER_REUSED, Model, utcnow
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

    __table_args__ = (IDS_NEVER_REUSED,)  # ids travel in URLs and forms

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
