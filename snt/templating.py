"""Jinja filters: Russian money, quantities and dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from snt.markup import render_markdown
from snt.money import format_money, format_quantity

MONTHS_GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip


def ru_date(value: date | datetime | None) -> str:
    """date(2022, 5, 1) -> '01 мая 2022'."""
    if value is None:
        return ""
    return f"{value.day:02d} {MONTHS_GENITIVE[value.month - 1]} {value.year}"


def ru_date_short(value: date | datetime | None) -> str:
    """date(2022, 4, 26) -> '26 апреля 2022' (no leading zero, for titles)."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year}"


def local_time(value: datetime | None) -> str:
    """A naive UTC datetime from the database → '23.11.2026 20:05' in the site's time zone."""
    if value is None:
        return ""
    local = value.replace(tzinfo=UTC).astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return local.strftime("%d.%m.%Y %H:%M")


def yes_no(value: bool) -> str:
    return "Да" if value else "Нет"


def init_app(app: Flask) -> None:
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_quantity, "qty")
    app.add_template_filter(ru_date, "ru_date")
    app.add_template_filter(ru_date_short, "ru_date_short")
    app.add_template_filter(yes_no, "yes_no")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(render_markdown, "markdown")

    @app.context_processor
    def site_names() -> dict:
        return {"snt_name": app.config["NAME"], "snt_short_name": app.config["SHORT_NAME"]}
