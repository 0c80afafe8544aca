"""Imports cost what the file holds, not what the history holds (issue 12).

The same file is imported over 2 and over 5 years of monthly readings (both longer than the
window an import looks back on): the number of SQL statements must be the same, and so (within a
margin for deeper B-trees) must the work SQLite does for them, counted in its virtual-machine
steps: an import that reads every stored reading of the plots it touches does about twice and a
half the work over five years. And the windowed billing must leave exactly what billing every
period from scratch would: after corrections and a reading inserted inside an old period,
`bill_periods` over the whole history finds nothing to change.
"""

import subprocess
import sys
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from snt.electricity.checks import check_readings
from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.imports.readings import import_readings
from snt.models import AuditEntry, Charge, DataImport, Tariff
from tests.helpers import add_plot, counting_statements, dispose, make_app

PLOTS = ("1", "2", "3а")  # two day/night meters and one single-register meter
START = date(2018, 1, 1)
SHORT_LONG = (2, 5)  # years of history


def month(k: int) -> date:
    return date(START.year + k // 12, k % 12 + 1, 1)


def values(n: int, k: int) -> tuple[int, int]:
    return 1000 + n * 7 + sum(60 + (n + m) % 9 for m in range(k)), 300 + n + sum(20 + m % 5 for m in range(k))


def readings_file(first: int, months: int, changed: dict | None = None) -> bytes:
    lines = ["участок;дата;день;ночь;сумма"]
    for k in range(first, first + months):
        for n, number in enumerate(PLOTS):
            day, night = (changed or {}).get((number, k), values(n, k))
            on = f"{month(k):%d.%m.%Y}"
            lines.append(f"{number};{on};{day};{night};" if n < 2 else f"{number};{on};;;{day + night}")
    return "\n".join(lines).encode("utf-8")


def app_with_history(tmp_path, smtp_server, years: int):
    app = make_app(tmp_path / f"history-{years}", smtp_server[0].port)
    with app.app_context():
        for year in range(START.year, START.year + years + 2):
            rate = Decimal(5 + year - START.year)
            db.session.add(Tariff(valid_from=date(year, 1, 1), single=rate, day=rate + 1, night=rate - 2))
        for n, number in enumerate(PLOTS):
            add_plot(number, two_tariff=n < 2)
        db.session.commit()
        for y in range(years):
            report = import_readings(readings_file(12 * y, 12), f"{START.year + y}.csv")
            assert report.written, report.errors
    return app


class Work:
    statements = 0
    vm_steps = 0  # SQLite virtual-machine steps, in twenties; 0 on PostgreSQL


@contextmanager
def counting_work(app):
    """SQL statements, and on SQLite the VM steps (sqlite3's progress handler, every 20 steps)."""
    work = Work()

    def tick() -> int:
        work.vm_steps += 1
        return 0  # 0: go on

    def on_checkout(dbapi_connection, record, proxy) -> None:
        if hasattr(dbapi_connection, "set_progress_handler"):
            dbapi_connection.set_progress_handler(tick, 20)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", on_checkout)
    try:
        with counting_statements(app) as counter:
            yield work
        work.statements = counter.count
    finally:
        event.remove(engine, "checkout", on_checkout)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # no connection keeps the handler


def measure(app, run) -> tuple[Work, object]:
    with counting_work(app) as work, app.app_context():
        result = run()
        db.session.rollback()
    return work, result


@pytest.mark.parametrize(
    ("what", "file"),
    [
        ("the next month", lambda years: readings_file(12 * years, 1)),
        ("the next year", lambda years: readings_file(12 * years, 12)),
        (
            "a correction in the first year",
            lambda years: readings_file(5, 1, {("1", 5): tuple(v + 5 for v in values(0, 5))}),
        ),
    ],
)
def test_import_work_does_not_grow_with_years(tmp_path, smtp_server, what, file):
    works = []
    for years in SHORT_LONG:
        app = app_with_history(tmp_path, smtp_server, years)
        data = file(years)
        work, report = measure(app, lambda: import_readings(data, "file.csv", replace=True, dry_run=True))  # noqa: B023
        assert report.ok, report.errors
        works.append(work)
        dispose(app)
    short, long = works
    assert short.statements == long.statements, (
        f"{what}: {short.statements} statements over 2 years, {long.statements} over 5"
    )
    assert long.vm_steps <= 1.3 * short.vm_steps, (
        f"{what}: SQLite work {short.vm_steps} over 2 years, {long.vm_steps} over 5"
    )


def test_check_readings_work_does_not_grow_with_years(tmp_path, smtp_server):
    works = []
    for years in SHORT_LONG:
        app = app_with_history(tmp_path, smtp_server, years)
        work, _ = measure(app, lambda: check_readings(month(12 * years - 2)))  # noqa: B023
        works.append(work)
        dispose(app)
    short, long = works
    assert short.statements == long.statements
    assert long.vm_steps <= 1.3 * short.vm_steps, (
        f"SQLite work {short.vm_steps} over 2 years, {long.vm_steps} over 5"
    )


def charges(app) -> dict:
    with app.app_context():
        rows = db.session.execute(
            select(
                Charge.plot_id, Charge.period_start, Charge.period_end, Charge.amount, Charge.tariff_id
            ).where(Charge.kind == Charge.ELECTRICITY)
        )
        return {(r.plot_id, r.period_start, r.period_end): (r.amount, r.tariff_id) for r in rows}


def previewed_then_written(app, data: bytes, name: str, **options):
    """The dry run writes nothing (it works the charges out without storing them) and says what the
    import then does, change for change."""
    stored = charges(app)
    with counting_statements(app) as counter:
        preview = import_readings(data, name, dry_run=True, **options)
    assert charges(app) == stored and not preview.written
    assert not [s for s in counter.statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    report = import_readings(data, name, **options)
    assert (preview.changes, preview.counts, [str(w) for w in preview.warnings]) == (
        report.changes,
        report.counts,
        [str(w) for w in report.warnings],
    )
    assert preview.changes  # the corrected charges are listed
    return report


def test_windowed_billing_leaves_what_billing_everything_would(tmp_path, smtp_server):
    app = app_with_history(tmp_path, smtp_server, 3)
    with app.app_context():
        # Corrections of old readings (both registers up, so no period goes negative) …
        changed = {
            ("1", 7): tuple(v + 5 for v in values(0, 7)),
            ("3а", 20): tuple(v + 3 for v in values(2, 20)),
        }
        report = previewed_then_written(app, readings_file(7, 14, changed), "fix.csv", replace=True)
        assert report.written and report.counts["исправлено показаний"] == 2, report.errors
        # … and a reading on the 15th inside an old period: the period is split in two.
        day, night = values(1, 10)
        inside = f"участок;дата;день;ночь\n2;15.{month(10):%m.%Y};{day + 1};{night}\n".encode()
        report = previewed_then_written(app, inside, "inside.csv")
        assert report.written, report.errors
        assert (
            report.counts["снято начислений"] == 1
            and report.counts["новых начислений за электроэнергию"] == 2
        )
    windowed = charges(app)
    with app.app_context():
        plot_ids = list(db.session.scalars(select(Charge.plot_id).distinct()))
        assert bill_periods(plot_ids) == 0  # nothing left to add or correct
        db.session.commit()
    assert charges(app) == windowed
    assert len(windowed) == 3 * 35 + 1  # 35 periods per plot over 3 years, one of them split


@pytest.mark.parametrize("gap", [0, 3], ids=["next month", "after a gap of three months"])
def test_the_spike_check_still_sees_last_year(tmp_path, smtp_server, gap):
    """The window reaches the month a year before the period, with or without a gap before it."""
    app = app_with_history(tmp_path, smtp_server, 2)
    last_day, last_night = values(0, 23)  # plot 1's reading of month 23 (December, year 2)
    with app.app_context():
        on = month(24 + gap)
        spike = f"участок;дата;день;ночь\n1;{on:%d.%m.%Y};{last_day + 3000};{last_night}\n".encode()
        report = import_readings(spike, "spike.csv", dry_run=True)
    assert report.ok, report.errors
    assert [str(w) for w in report.warnings] == [
        f"строка 2: расход 3000 кВт·ч за {month(23):%d.%m.%Y}–{on:%d.%m.%Y} больше чем в 5 раз выше, "
        f"чем год назад ({sum(values(0, 12)) - sum(values(0, 11))} кВт·ч) — проверьте"
    ]


# A shell command runs in a fresh process: the readings import names tables, not models, so it
# never pays for configuring every mapper (about 0.1 s of CPU), previewed or written.
def test_a_month_imported_in_a_fresh_process_configures_no_mapper(tmp_path, smtp_server):
    app = app_with_history(tmp_path, smtp_server, 1)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    dispose(app)
    code = (
        "import sys\n"
        "from snt import create_app\n"
        "from snt.imports.readings import import_readings\n"
        "from snt.models import Plot\n"
        "app = create_app({'SQLALCHEMY_DATABASE_URI': sys.argv[1], 'SECRET_KEY': 'test-secret'})\n"
        "data = sys.stdin.buffer.read()\n"
        "with app.app_context():\n"
        "    preview = import_readings(data, 'month.csv', dry_run=True)\n"
        "    written = import_readings(data, 'month.csv')\n"
        "print(preview.ok, written.written, written.counts, Plot.__mapper__.configured)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, uri], input=readings_file(12, 1), capture_output=True, check=True
    )
    assert result.stdout.decode().split(" ", 2)[:2] == ["True", "True"]
    assert result.stdout.decode().strip().endswith("False"), result.stdout.decode()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DataImport)) == 2  # history, month
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.actor, entry.object_label) == (
            "import.readings",
            "командная строка",
            "month.csv",
        )
    dispose(app)
