"""The registry: the partnership's plots as the treasurer's registry lists them."""

from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from snt.models.base import Model
from snt.money import Hundredths
from snt.plots import plot_sort_key


class Plot(Model):
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
