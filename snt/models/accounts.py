"""Who logs in (members, the board, the treasurer) and the plots they claim as theirs."""

from datetime import datetime
from typing import ClassVar

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from snt.models.base import IDS_NEVER_REUSED, Model, new_session_token, utcnow
from snt.models.registry import Plot


class Account(UserMixin, Model):
    """A person who logs in: a member (login = smallest plot number) or a board/treasurer account."""

    # In order of authority: an account may block or unblock only accounts of a lower role (the
    # shell may always). The treasurer gives roles and keeps the money, so the board cannot lock
    # the treasurer out; neither board member can lock out another.
    ROLES = ("member", "board", "treasurer")
    __table_args__ = (IDS_NEVER_REUSED,)

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
    # The login plot's number alone, for the menu of every page: the session's account is loaded with
    # it (snt/auth/views.py) rather than with the whole plot. Read through the table, so that
    # importing the models configures no mapper.
    login_number: Mapped[str | None] = column_property(
        select(Plot.__table__.c.number).where(Plot.__table__.c.id == login_plot_id).scalar_subquery(),
        deferred=True,
    )
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
    def rank(self) -> int:
        return self.ROLES.index(self.role) if self.role in self.ROLES else 0

    @property
    def login(self) -> str:
        return self.login_plot.number if self.login_plot else self.email


class PlotClaim(Model):
    """A member's statement «this plot is mine». Only a verified claim opens the plot's data."""

    PENDING, VERIFIED, REJECTED = "pending", "verified", "rejected"
    STATUS_TITLES: ClassVar[dict[str, str]] = {
        PENDING: "ожидает подтверждения",
        VERIFIED: "подтверждена",
        REJECTED: "отклонена",
    }
    __table_args__ = (UniqueConstraint("account_id", "plot_id"), IDS_NEVER_REUSED)

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

    @property
    def status_title(self) -> str:
        """The status in Russian, with the board's reason for a rejection."""
        title = self.STATUS_TITLES.get(self.status, self.status)
        return f"{title}: {self.reason}" if self.status == self.REJECTED and self.reason else title
