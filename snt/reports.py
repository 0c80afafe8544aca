"""What a piece of the treasurer's work found and did (an import, a tariff, the fees): one report
type, printed the same way everywhere, and the one way such work writes: `report_unit`.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, ParamSpec

from snt import audit
from snt.database import write_transaction
from snt.extensions import db
from snt.models import DataImport
from snt.text import count_text, plural

P = ParamSpec("P")


@dataclass(frozen=True)
class Issue:
    line: int | None  # the file's line (CSV) or row (xlsx); None for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"строка {self.line}: {self.message}" if self.line else self.message


@dataclass
class Report:
    """Errors block the import (nothing is written); warnings do not."""

    kind: str
    filename: str = ""
    dry_run: bool = False
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what was (or would be) changed, line by line
    counts: dict[str, int] = field(default_factory=dict)  # Russian label -> number, in print order
    written: bool = False  # True once kept: committed with its unit (see report_unit)
    rows: int = 0  # the file's rows, for DataImport
    by: Any = field(default=None, repr=False, compare=False)  # the Account that runs it; None: the shell
    # Lines left out on purpose («без строк с ошибками»): line -> the reasons it was refused.
    skipped: dict[int, str] = field(default_factory=dict)
    # Readings lower than the one before: line -> (the earlier point, the lower one), a possible meter
    # replacement the browser offers to record; `meter_hints` names the plots (see imports.readings).
    lower_readings: dict[int, Any] = field(default_factory=dict)
    meter_hints: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(Issue(line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Issue(line, message))

    def count(self, label: str, add: int = 1) -> None:
        if add:
            self.counts[label] = self.counts.get(label, 0) + add

    @property
    def changed(self) -> bool:
        return bool(self.changes) or any(
            n for label, n in self.counts.items() if label not in UNCHANGED_LABELS
        )


UNCHANGED = "без изменений"
SKIPPED = "пропущено"
UNCHANGED_LABELS = {UNCHANGED, SKIPPED}


def totals_text(report: Report) -> str:
    return "; ".join(f"{label} — {n}" for label, n in report.counts.items())


def report_lines(report: Report, max_changes: int = 200, shell: bool = True) -> list[str]:
    """The report as text lines, Russian, for the shell (and, with shell=False, in the browser's words)."""
    lines: list[str] = []
    title = f"Файл «{report.filename}»" if report.filename else "Операция"
    lines += skipped_lines(report)
    if report.errors:
        lines.append(f"{title}: найдено ошибок — {len(report.errors)}. Ничего не записано.")
        lines += [f"  ОШИБКА {issue}" for issue in report.errors]
    if report.warnings:
        lines.append(f"Предупреждения ({len(report.warnings)}):")
        lines += [f"  {issue}" for issue in report.warnings]
    if report.errors:
        return lines
    if report.changes:
        lines.append("Изменения:")
        lines += [f"  {change}" for change in report.changes[:max_changes]]
        if len(report.changes) > max_changes:
            lines.append(f"  … и ещё {len(report.changes) - max_changes}")
    if report.counts:
        lines.append(f"Итого: {totals_text(report)}.")
    if not report.changed:
        lines.append("Ничего не изменилось: всё это уже есть в базе.")
    elif report.dry_run:
        lines.append(
            "Пробный запуск (--dry-run): ничего не записано." if shell else "Проверка: ничего не записано."
        )
    elif report.written:
        lines.append("Записано.")
    return lines


def skipped_lines(report: Report) -> list[str]:
    """«Пропущено 2 строки с ошибками:» and each line with its reasons."""
    n = len(report.skipped)
    if not n:
        return []
    head = f"{plural(n, 'Пропущена', 'Пропущено', 'Пропущено')} {count_text(n, 'строка', 'строки', 'строк')} с ошибками:"
    return [head] + [f"  строка {line}: {reasons}" for line, reasons in sorted(report.skipped.items())]


def fingerprint(report: Report) -> str:
    """Of a preview: a confirmation proceeds only if a fresh dry run still gives the same one."""
    return hashlib.sha256("\n".join(report_lines(report, max_changes=10**9)).encode()).hexdigest()


# The audit log's action for each kind of report (snt.audit.ACTIONS names them).
AUDIT_ACTIONS = {
    "plots": "import.plots",
    "readings": "import.readings",
    "payments": "import.payments",
    "balances": "import.balances",
    "meter": "meter.replace",
    "fees": "fees.accrue",
    "tariff": "tariff.set",
}


def report_unit(*, record: bool = True) -> Callable[[Callable[P, Report]], Callable[P, Report]]:
    """Run work that returns a report as one write unit that keeps its changes all or nothing.

    The work runs inside a SAVEPOINT of a `write_transaction()` (its own, or the caller's when one
    is open). A report with errors, a dry run (`--dry-run`, the web preview) or one that changed
    nothing rolls back to the savepoint: nothing of it is written, and a surrounding unit goes on.
    Otherwise the audit entry (by `report.by`; None is the shell) and, with `record`, a DataImport
    row (its date is the «Статус моих оплат от …» of members' pages) join the same unit.
    """

    def decorate(work: Callable[P, Report]) -> Callable[P, Report]:
        @wraps(work)
        def unit(*args: P.args, **kwargs: P.kwargs) -> Report:
            with write_transaction() as session:
                savepoint = session.begin_nested()
                report = work(*args, **kwargs)
                if report.errors or report.dry_run or not report.changed:
                    savepoint.rollback()
                    return report
                savepoint.commit()
                _record(report, record)
                report.written = True
            return report

        return unit

    return decorate


def _record(report: Report, record: bool) -> None:
    if record:
        db.session.add(DataImport(kind=report.kind, filename=report.filename[:255], rows=report.rows))
    if report.kind in AUDIT_ACTIONS:
        few = report.changes if len(report.changes) <= 3 else []
        if report.skipped:
            few = [*few, f"пропущены строки с ошибками: {', '.join(map(str, sorted(report.skipped)))}"]
        audit.record(
            AUDIT_ACTIONS[report.kind],
            report.by,
            label=report.filename or "; ".join(report.changes[:1]),
            details="; ".join([*few, totals_text(report)]).strip("; "),
        )
