"""Imports from the browser: upload → preview (a dry run) → confirm the very file previewed.

The uploaded bytes wait in FILES_DIR/uploads/<token> next to a StagedImport row with their SHA-256
and the uploader. The confirmation names only the token; it is refused for another account, after
IMPORT_PREVIEW_MAX_AGE, once used, or when the file's hash changed. It runs the same import
function as the shell, for real: the data may have changed since the preview, so a run that now
finds errors writes nothing and shows the report again.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, cast

from blinker import Namespace
from flask import current_app
from sqlalchemy import CursorResult, delete, select, update

from snt.database import write_transaction, writes
from snt.extensions import db
from snt.imports.balances import import_balances
from snt.imports.payments import import_payments
from snt.imports.plots import import_plots
from snt.imports.readings import import_readings
from snt.models import Account, DataImport, StagedImport, utcnow
from snt.reports import Report
from snt.storage import files_dir
from snt.text import clean_name, size_text

IMPORT_KINDS = {
    "readings": "показания счётчиков",
    "payments": "оплаты",
    "plots": "реестр участков",
    "balances": "начальные остатки",
}
EXTENSIONS = (".csv", ".xlsx", ".txt")
CHANGED_SINCE_PREVIEW = (
    "Пока файл ждал подтверждения, данные в базе изменились, и теперь в нём есть ошибки. "
    "Ничего не записано: исправьте файл и загрузите его снова."
)
_KEEP_ROWS = timedelta(days=7)  # an expired preview still says «устарела» for a week


class StagingError(ValueError):
    """A Russian message for the treasurer, and the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.status = status


@dataclass
class Preview:
    report: Report
    token: str | None  # None: nothing to confirm (errors, or nothing would change)
    # With errors only in some lines: the same file without them, checked, and what it would leave out.
    without_bad_rows: Report | None = None
    staged: str | None = None  # the kept file's token, also when only the load without bad lines is possible


def run_import(kind: str, data: bytes, filename: str, replace: bool, **options) -> Report:
    """The shell's import function for `kind`, with the shell's options."""
    if kind != "payments":
        options.pop("other_account", None)  # a bank statement's option only
    if kind == "readings":
        return import_readings(data, filename, replace=replace, **options)
    importers = {"payments": import_payments, "plots": import_plots, "balances": import_balances}
    return importers[kind](data, filename, **options)


def bad_rows(report: Report) -> dict[int, str] | None:
    """The lines to leave out so the rest can load, with their reasons; None when an error concerns
    the file as a whole (then nothing can be loaded) or there are no errors."""
    if report.ok or any(issue.line is None for issue in report.errors):
        return None
    reasons: dict[int, list[str]] = {}
    for issue in report.errors:
        reasons.setdefault(issue.line or 0, []).append(issue.message)
    return {line: "; ".join(found) for line, found in reasons.items()}


def run_import_without_bad_rows(kind: str, data: bytes, filename: str, replace: bool, **options) -> Report:
    """Import all of the file but the lines a check finds errors in, chosen on purpose; those lines
    are listed in the report and the audit log. A file without errors imports as it is."""
    check = run_import(kind, data, filename, replace, **{**options, "dry_run": True, "by": None})
    skip = bad_rows(check)
    if check.ok or skip is None:
        return run_import(kind, data, filename, replace, **options) if check.ok else check
    return run_import(kind, data, filename, replace, skip=skip, **options)


def max_size() -> int:
    return current_app.config["IMPORT_MAX_BYTES"]


def folder() -> Path:
    return files_dir("uploads")  # shared by every process: the preview and the confirmation meet here


def recent_imports(limit: int = 10) -> list[DataImport]:
    """The newest imports of the kinds the upload page takes, newest first."""
    return list(
        db.session.scalars(
            select(DataImport)
            .where(DataImport.kind.in_(list(IMPORT_KINDS)))
            .order_by(DataImport.imported_at.desc(), DataImport.id.desc())
            .limit(limit)
        )
    )


def read_upload(stream: BinaryIO, filename: str) -> tuple[bytes, str]:
    """The upload's bytes and clean name; StagingError (422) for a wrong type or size."""
    name = clean_name(filename or "")
    if not name.lower().endswith(EXTENSIONS) and not name.lower().endswith(".xls"):
        raise StagingError(
            f"Файл «{name or 'без имени'}» не подходит: загрузите таблицу Excel (.xlsx) или CSV (.csv); "
            "оплаты — ещё и выпиской банка в формате 1С (.txt).",
            422,
        )
    data = stream.read(max_size() + 1)
    if len(data) > max_size():
        raise StagingError(
            f"Файл слишком большой: можно не больше {size_text(max_size())}. "
            "Разделите его на несколько файлов (например, по месяцам) и загрузите по очереди.",
            413,
        )
    return data, name


def preview(
    kind: str, data: bytes, filename: str, by: Account, replace: bool = False, other_account: bool = False
) -> Preview:
    """Check the file as `--dry-run` does; keep it for the confirmation if it can be imported.
    `other_account`: a bank statement for an account not the partnership's, loaded on purpose."""
    if kind not in IMPORT_KINDS:
        raise StagingError("Выберите, что в файле: показания, оплаты, реестр или начальные остатки.", 422)
    other_account = other_account and kind == "payments"
    report = run_import(
        kind, data, filename, replace and kind == "readings", dry_run=True, other_account=other_account
    )
    without = None
    if not report.ok and bad_rows(report) is not None:
        without = run_import_without_bad_rows(
            kind, data, filename, replace and kind == "readings", dry_run=True, other_account=other_account
        )
        if not without.ok or not without.changed:
            without = None
    if (not report.ok or not report.changed) and without is None:
        return Preview(report, None)
    token = _stage(kind, data, filename, by, replace, other_account)
    return Preview(report, token if report.ok else None, without, token)


def _stage(kind: str, data: bytes, filename: str, by: Account, replace: bool, other_account: bool) -> str:
    token = secrets.token_urlsafe(32)
    (folder() / token).write_bytes(data)
    with write_transaction():  # after the dry run: the write lock is held only for these rows
        _sweep()
        db.session.add(
            StagedImport(
                token=token,
                account_id=by.id,
                kind=kind,
                filename=filename[:255],
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                replace=replace and kind == "readings",
                other_account=other_account,
            )
        )
    return token


def staged(token: str, by: Account) -> StagedImport:
    """The preview `token` names, if `by` may still confirm it; StagingError otherwise."""
    row = db.session.scalar(select(StagedImport).where(StagedImport.token == token))
    if row is None:
        raise StagingError("Такой проверенной загрузки нет. Загрузите файл снова.", 404)
    if row.account_id != by.id:
        raise StagingError(
            "Этот файл загрузил и проверил другой член правления: подтвердить загрузку может только он.", 403
        )
    if row.used_at is not None:
        raise StagingError(f"Файл «{row.filename}» уже загружен. Повторно ничего не записано.")
    if utcnow() - row.created_at > _max_age():
        raise StagingError(
            f"Проверка файла «{row.filename}» устарела: данные могли измениться. Загрузите файл снова.", 410
        )
    return row


# Sent by `check_staged` when the whole file is checked, while its read transaction is still open
# (sender: the app; report=): the moment between an import job's check and its write.
import_checked = Namespace().signal("import-checked")
CHECK_ONLY_KINDS = ("readings", "payments")  # the registry's import checks as it writes: a dry run


def check_staged(token: str, by: Account) -> Report:
    """The whole previewed file checked again (a job runs this before `confirm`). Readings and
    payments are checked read-only, outside any write transaction: web writers do not wait for
    it; the write unit of `confirm` then rechecks against what may have changed meanwhile."""
    row = staged(token, by)
    data = _staged_bytes(row)
    if row.kind in CHECK_ONLY_KINDS:
        report = run_import(
            row.kind, data, row.filename, row.replace, check_only=True, other_account=row.other_account
        )
    else:
        report = run_import(
            row.kind, data, row.filename, row.replace, dry_run=True, other_account=row.other_account
        )
    import_checked.send(current_app._get_current_object(), report=report)  # type: ignore[attr-defined]
    db.session.rollback()  # ends the read transaction: the write unit reads what is current
    return report


def confirm(token: str, by: Account, skipped: str | None = None) -> Report:
    """Import exactly the previewed file. The token is spent in the import's own transaction.

    `skipped` («2,6»): load without the lines with errors, which must be the very lines the preview
    listed; otherwise nothing is written."""
    report, path = _import_staged(token, by, skipped)
    if report.written:
        path.unlink(missing_ok=True)  # after the commit: a failed commit leaves the file for a retry
    return report


@writes  # the token is checked, spent and the file imported in one BEGIN IMMEDIATE transaction
def _import_staged(token: str, by: Account, skipped: str | None = None) -> tuple[Report, Path]:
    row = staged(token, by)
    kind, filename, replace, other = row.kind, row.filename, row.replace, row.other_account
    # Spend the token before touching the file. On PostgreSQL a second click may have read the row
    # before the first one committed: its UPDATE waits for that commit, then finds the token spent,
    # so it never looks for a file the first click has already imported and deleted.
    spent = db.session.execute(  # an UPDATE: a CursorResult, which has rowcount
        update(StagedImport)
        .where(StagedImport.id == row.id, StagedImport.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if cast(CursorResult, spent).rowcount != 1:  # the exception rolls the unit back
        raise StagingError(f"Файл «{filename}» уже загружен. Повторно ничего не записано.")
    path = folder() / row.token
    data = _staged_bytes(row)  # a changed file raises, and the exception rolls the unit back: unspent
    if skipped is None:
        return run_import(kind, data, filename, replace, by=by, other_account=other), path
    report = run_import_without_bad_rows(kind, data, filename, replace, dry_run=True, other_account=other)
    if skipped_text(report) != skipped:
        raise StagingError(
            f"Строки с ошибками в файле «{filename}» уже не те, что были при проверке: ничего не записано. "
            "Загрузите файл снова.",
            409,
        )
    return run_import_without_bad_rows(kind, data, filename, replace, by=by, other_account=other), path


def skipped_text(report: Report) -> str:
    """The skipped lines as the confirmation form carries them: «2,6»."""
    return ",".join(map(str, sorted(report.skipped)))


def _staged_bytes(row: StagedImport) -> bytes:
    path = folder() / row.token
    data = path.read_bytes() if path.is_file() else b""
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise StagingError(
            f"Файл «{row.filename}» на сервере изменился после проверки: загрузите его снова.", 409
        )
    return data


def _max_age() -> timedelta:
    return timedelta(seconds=current_app.config["IMPORT_PREVIEW_MAX_AGE"])


def _sweep() -> None:
    """Delete the files of expired previews (they may hold owners' emails and phones) and, after a
    week, their rows. The caller commits."""
    expired = list(
        db.session.scalars(select(StagedImport.token).where(StagedImport.created_at < utcnow() - _max_age()))
    )
    for token in expired:
        (folder() / token).unlink(missing_ok=True)
    db.session.execute(delete(StagedImport).where(StagedImport.created_at < utcnow() - _KEEP_ROWS))
