"""Jinja filters (Russian money, quantities and dates) and the site's header, kept once drawn."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request
from flask_login import current_user
from markupsafe import Markup, escape

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


# Stand-ins drawn into the kept header, replaced by each request's values (no character in them is
# ever escaped, and no URL or text of the menu contains them).
LOGIN_LABEL, CSRF = "snt-header-login-label-9c4e", "snt-header-csrf-token-9c4e"
MAX_HEADERS = 16  # kinds of visitor × script roots × hosts (a Host header is the client's choice)


def site_header() -> Markup:
    """The header with its menu, the same for every visitor of a kind: drawn once per (signed in,
    board, script root, host) and kept in the process; the member's login plot and the session's
    CSRF token go into the kept copy on each request. Drawing it was a tenth of a cabinet page."""
    signed_in = bool(current_user.is_authenticated)
    key = (signed_in, signed_in and current_user.is_board, request.script_root, request.host)
    kept: dict = current_app.extensions.setdefault("snt_headers", {})
    drawn = kept.get(key)
    if drawn is None:
        # Straight from the environment: no context processors (the meeting banner's query).
        drawn = current_app.jinja_env.get_template("_header.html").render(
            signed_in=key[0],
            board=key[1],
            login_label=LOGIN_LABEL,
            csrf=CSRF,
            snt_name=current_app.config["NAME"],
            snt_short_name=current_app.config["SHORT_NAME"],
        )
        if len(kept) >= MAX_HEADERS:
            kept.clear()
        kept[key] = drawn
    if not signed_in:
        return Markup(drawn)
    from flask_wtf.csrf import generate_csrf  # with the site's forms: a shell command never loads them

    plot = current_user.login_plot
    label = plot.number if plot else "Регистрационные данные"
    return Markup(drawn.replace(LOGIN_LABEL, escape(label)).replace(CSRF, escape(generate_csrf())))


def init_app(app: Flask) -> None:
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_quantity, "qty")
    app.add_template_filter(ru_date, "ru_date")
    app.add_template_filter(ru_date_short, "ru_date_short")
    app.add_template_filter(yes_no, "yes_no")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_global(site_header)

    @app.context_processor
    def site_names() -> dict:
        return {"snt_name": app.config["NAME"], "snt_short_name": app.config["SHORT_NAME"]}
