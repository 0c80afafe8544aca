"""The board's own choices (not deployment settings): one row per key, read through snt.settings."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from snt.models.base import Model, utcnow


class BoardSetting(Model):
    __tablename__ = "board_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
