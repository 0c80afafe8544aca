"""`flask worker`: the task queue's consumer (long jobs started in the admin area)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from snt.jobs.queue import run_worker


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Сколько задач выполнять одновременно.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Выполнять фоновые задачи (квитанции, рассылки, загрузки файлов) до остановки (Ctrl+C)."""
    run_worker(current_app._get_current_object(), workers)  # type: ignore[attr-defined]


COMMANDS = [worker_command]
