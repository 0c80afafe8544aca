"""Benchmark (not a test): a 2,000-row readings import, a 2,000-row payments import and the first
2,000-row registry import (every row a new plot and a new owner).

Each readings or payments file is imported into a fresh SQLite database that already holds the
registry (1,000 plots), a tariff and, for the readings, one earlier reading per plot; the registry
file into an empty one. Prints wall time, peak Python
memory (tracemalloc), the process's peak RSS and the number of SQL statements.

    .venv/bin/python bench/imports.py
    .venv/bin/python bench/imports.py --registry    # the registry import only
"""

import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event, insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from snt import create_app
from snt.extensions import db
from snt.imports.payments import import_payments
from snt.imports.plots import import_plots
from snt.imports.readings import import_readings
from snt.models import Plot, Reading, Tariff
from snt.plots import plot_sort_key

PLOTS = 1000


def fresh_app(folder: Path, registry: bool = True):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )
    with app.app_context():
        db.create_all()
        if not registry:
            return app
        numbers = [str(n) for n in range(1, PLOTS + 1)]
        db.session.execute(
            insert(Plot),
            [
                {"number": n, "sort_key": plot_sort_key(n), "area": Decimal("6"), "two_tariff": True}
                for n in numbers
            ],
        )
        db.session.add(Tariff(valid_from=date(2021, 1, 1), single=Decimal("5.93"), day=Decimal("6.82"),
                              night=Decimal("2.65")))  # fmt: skip
        db.session.execute(
            insert(Reading),
            [{"plot_id": i, "taken_on": date(2022, 3, 1), "day": Decimal(1000), "night": Decimal(500),
              "total": Decimal(1500)} for i in range(1, PLOTS + 1)],
        )  # fmt: skip
        db.session.commit()
    return app


def readings_file() -> bytes:
    lines = ["Участок;Дата;День;Ночь"]
    for month in (4, 5):  # two readings per plot: 2,000 rows
        for n in range(1, PLOTS + 1):
            lines.append(f"{n};01.{month:02d}.2022;{1000 + 100 * month + n % 7};{500 + 30 * month}")
    return "\r\n".join(lines).encode("cp1251")


def payments_file() -> bytes:
    lines = ["plot,date,amount,purpose,reference"]
    for i in range(2000):
        lines.append(f'{i % PLOTS + 1},2022-05-{i % 28 + 1:02d},"1 {i % 1000:03d},50",electricity,B-{i:05d}')
    return "\n".join(lines).encode("utf-8-sig")


def registry_file(plots: int = 2000) -> bytes:
    """The registry a treasurer starts with: a plot, its owner with an email, phone and postal
    address per row; every tenth owner has two plots (matched by email)."""
    lines = ["Участок;Улица;Площадь;Счётчик;Владелец;Эл. почта;Телефон;Почтовый адрес;Член товарищества"]
    for n in range(1, plots + 1):
        owner = n - 1 if n % 10 == 0 else n
        lines.append(
            f"{n};{n // 100 + 1};6;двухтарифный;Владелец {owner};owner{owner}@example.ru;8916{owner:07d};"
            f"г. Тула, ул. Мира, д. {owner};{'Да' if n % 7 else 'Нет'}"
        )
    return "\n".join(lines).encode("utf-8")


def run_once(run, trace: bool, registry: bool = True):
    with tempfile.TemporaryDirectory() as folder:
        app = fresh_app(Path(folder), registry)
        with app.app_context():
            statements = []
            event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
            if trace:
                tracemalloc.start()
            started = time.perf_counter()
            report = run()
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if trace else 0
            tracemalloc.stop()
            db.session.remove()
            db.engine.dispose()
    assert report.ok and report.written, report.errors[:5]
    return elapsed, peak, len(statements), report


def measure(name: str, run, registry: bool = True) -> None:
    """Wall time: median of 3 runs without tracing (tracemalloc slows Python down); memory: a 4th run."""
    times = sorted(run_once(run, trace=False, registry=registry)[0] for _ in range(3))
    _, peak, statements, report = run_once(run, trace=True, registry=registry)
    print(
        f"{name}: {times[1]:.3f} s (median of 3; min {times[0]:.3f}, max {times[2]:.3f}), "
        f"peak Python memory {peak / 2**20:.1f} MiB, {statements} SQL statements; "
        + "; ".join(f"{k} — {v}" for k, v in report.counts.items())
    )


def main() -> None:
    readings, payments, registry = readings_file(), payments_file(), registry_file()
    if "--registry" in sys.argv:  # only the registry: `bench/imports.py --registry`
        measure("registry 2,000 rows, first import", lambda: import_plots(registry, "registry.csv"), False)
        return
    measure("registry 2,000 rows, first import", lambda: import_plots(registry, "registry.csv"), False)
    measure("readings 2,000 rows", lambda: import_readings(readings, "readings.csv"))
    measure("payments 2,000 rows", lambda: import_payments(payments, "payments.csv"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole process (app, SQLAlchemy, both runs): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
