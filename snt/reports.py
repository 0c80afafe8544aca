"""What a piece of the treasurer's work found and did (an import, a tariff, the fees): one report
type, printed the same way everywhere, and the one way such work writes: `report_unit`.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, ParamSpec

from sqlalchemy import insert

from snt import audit
from snt.database import write_transaction
from snt.extensions import db
from snt.heap import app_objects_set_aside
from snt.models import DataImport
from snt.plots import plot_sort_key
from snt.text import count_text, plural

P = ParamSpec("P")


@dataclass(frozen=True)
class Issue:
    line: int | None  # the file's line (CSV) or row (xlsx); None for the file as a whole
    message: str
    plot: str = ""  # the plot it is about, when known (the browser's table shows it)

    def __str__(self) -> str:
        return f"строка {self.line}: {self.message}" if self.line else self.message


class Change(str):
    """A line of `Report.changes`: its text is what the shell prints; it also knows the file's
    line and the plot, which the browser's table shows in columns of their own."""

    line: int | None
    plot: str

    def __new__(cls, text: str, line: int | None = None, plot: str = "") -> "Change":
        change = super().__new__(cls, text)
        change.line, change.plot = line, plot
        return change


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
    # For the browser's table: the plot each line names (filled as plot numbers are read), and
    # rows the shell only counts (each new reading, each plot's fee) — `listed`, never printed.
    plots: dict[int, str] = field(default_factory=dict)
    listed: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(Issue(line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Issue(line, message))

    def change(self, text: str, line: int | None = None, plot: str = "") -> None:
        self.changes.append(Change(text, line, plot))

    def list_row(self, text: str, line: int | None = None, plot: str = "") -> None:
        self.listed.append(Change(text, line, plot))

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


@dataclass
class TableRow:
    kind: str  # error, warning, skipped, change (the row's colour); SMS rows add their own
    title: str  # the kind in words, the «Что» column
    line: int | None
    plot: str
    text: str


@dataclass
class ReportTable:
    """A report as the browser shows it: a count per kind of row at the top, the lines about the
    whole file or operation, then one row per line of the file — errors first, each kind by line.
    Stored as a dict in a job's result (`asdict`); the macro reads either."""

    counts: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    more: int = 0  # rows left out of a very long table
    lines: bool = True  # whether the rows have the file's line numbers (a column)


MAX_TABLE_ROWS = 500
# kind -> its word in the «Что» column and its count's forms, in the order the table lists them
ROW_KINDS = {
    "error": ("ошибка", ("ошибка", "ошибки", "ошибок")),
    "warning": ("предупреждение", ("предупреждение", "предупреждения", "предупреждений")),
    "skipped": ("строка пропущена", ("пропущенная строка", "пропущенные строки", "пропущенных строк")),
    "change": ("изменение", ("изменение", "изменения", "изменений")),
}


def report_table(report: Report, max_rows: int = MAX_TABLE_ROWS) -> ReportTable:
    """The same report as `report_lines`, as a table: a change without a line or a plot (a tariff,
    a year's fee total) is a summary line; with errors, changes are not listed (nothing is written)."""
    rows = [_issue_row("error", issue, report) for issue in report.errors]
    rows += [_issue_row("warning", issue, report) for issue in report.warnings]
    rows += [_row("skipped", line, report.plots.get(line, ""), why) for line, why in report.skipped.items()]
    summary = []
    if not report.errors:
        for change in [*report.changes, *report.listed]:
            line, plot = getattr(change, "line", None), getattr(change, "plot", "")
            if line is None and not plot:
                summary.append(str(change))
            else:
                rows.append(_row("change", line, plot, _without_plot(str(change), plot)))
        if report.counts:
            summary.append(f"Итого: {totals_text(report)}.")
    return table_of(rows, summary, max_rows)


def table_of(
    rows: list[TableRow],
    summary: list[str],
    max_rows: int = MAX_TABLE_ROWS,
    kinds: dict[str, tuple[str, tuple[str, str, str]]] = ROW_KINDS,
) -> ReportTable:
    """Rows sorted (by kind in the order of `kinds`, then by line, then by plot), counted per kind
    with `count_text` and the kind's noun forms, cut at `max_rows`."""
    order = {kind: i for i, kind in enumerate(kinds)}

    def key(row: TableRow) -> tuple:  # issues about the whole file first, changes without a line last
        unlined = row.line is None if row.kind == "change" else row.line is not None
        return (order.get(row.kind, len(order)), unlined, row.line or 0, plot_sort_key(row.plot))

    rows = sorted(rows, key=key)
    counts = []
    for kind, (_, forms) in kinds.items():
        n = sum(1 for row in rows if row.kind == kind)
        if n:
            counts.append(count_text(n, *forms))
    return ReportTable(
        counts=counts,
        summary=summary,
        rows=rows[:max_rows],
        more=max(0, len(rows) - max_rows),
        lines=any(row.line is not None for row in rows),
    )


def skipped_table(report: Report) -> ReportTable:
    """The lines a load «без строк с ошибками» leaves out, and why."""
    rows = [_row("skipped", line, report.plots.get(line, ""), why) for line, why in report.skipped.items()]
    return table_of(rows, [])


def _issue_row(kind: str, issue: Issue, report: Report) -> TableRow:
    plot = issue.plot or (report.plots.get(issue.line, "") if issue.line is not None else "")
    return _row(kind, issue.line, plot, issue.message)


def _row(kind: str, line: int | None, plot: str, text: str) -> TableRow:
    return TableRow(kind, ROW_KINDS[kind][0], line, plot, text)


def _without_plot(text: str, plot: str) -> str:
    """«уч. 12а, 01.06.2022: …» → «01.06.2022: …»: the plot has a column of its own."""
    for sep in (", ", ": "):
        head = f"уч. {plot}{sep}"
        if plot and text.startswith(head):
            return text[len(head) :]
    return text


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
            with app_objects_set_aside():  # tens of thousands of rows: see snt/heap.py
                return _in_unit(work, record, *args, **kwargs)

        return unit

    return decorate


def _in_unit(work: Callable[P, Report], record: bool, *args: P.args, **kwargs: P.kwargs) -> Report:
    if kwargs.get("check_only"):
        # The checks alone (an import job's first phase): they only read and return before
        # any write, so they run in the caller's read transaction, without the write lock.
        return work(*args, **kwargs)
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


def _record(report: Report, record: bool) -> None:
    # Through the tables: the unit's work may not have touched an ORM object (see audit.record_row).
    if record:
        db.session.execute(
            insert(DataImport.__table__).values(
                kind=report.kind, filename=report.filename[:255], rows=report.rows
            )
        )
    if report.kind in AUDIT_ACTIONS:
        few = report.changes if len(report.changes) <= 3 else []
        if report.skipped:
            few = [*few, f"пропущены строки с ошибками: {', '.join(map(str, sorted(report.skipped)))}"]
        audit.record_row(
            AUDIT_ACTIONS[report.kind],
            report.by,
            label=report.filename or "; ".join(report.changes[:1]),
            details="; ".join([*few, totals_text(report)]).strip("; "),
        )
