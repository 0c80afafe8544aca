"""Files the treasurer uploaded in the browser and previewed, waiting for the confirmation."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from snt.models.base import Model, utcnow


class StagedImport(Model):
    """One previewed upload. The bytes wait in instance/uploads/<token>; the confirmation names
    only the token, and imports the file only if its SHA-256 is still `sha256`. `used_at` is set
    in the same transaction as the import, so a token imports at most once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # readings, payments, plots
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    replace: Mapped[bool] = mapped_column(default=False)  # import-readings --replace
    # A bank statement for an account not the partnership's, loaded on purpose (import-payments --other-account).
    other_account: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    used_at: Mapped[datetime | None]
