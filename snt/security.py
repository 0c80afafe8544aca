"""HTTP hardening: response headers, cookie flags for HTTPS, the reverse proxy, recent logins."""

import hashlib
import secrets
import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, render_template, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from snt.web import login_manager

# No inline script or style anywhere: templates link static/style.css only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
# Blueprints whose every page is personal (the cabinet, receipts, the admin area and its exports,
# the account pages): never kept by a browser's or a proxy's cache.
PRIVATE_BLUEPRINTS = frozenset({"auth", "mydata", "payments", "electricity", "admin"})
NUL_IN_URL = "В адресе страницы есть недопустимый символ (нулевой байт). Проверьте ссылку или откройте страницу из меню."
LOGIN_AT = "_login_at"  # session key: when the password was last typed (Unix time)
BROWSER_NONCE = "_browser"  # session key: a random value naming this browser (see browser_mark)


class BoundedIntegerConverter(IntegerConverter):
    """<int:…> in every route, limited to what a database integer column holds: a larger id in a
    URL is «Такой страницы нет» (404), not a DataError on PostgreSQL (a 500)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    # Before any blueprint: a rule takes its converters when it is added.
    app.url_map.converters["int"] = BoundedIntegerConverter
    https = app.config["SITE_URL"].lower().startswith("https://")
    # None means "follow SITE_URL": served over HTTPS, cookies travel over HTTPS only.
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "HSTS"):
        if app.config.get(key) is None:
            app.config[key] = https

    proxies = int(app.config["PROXY_COUNT"])
    if proxies > 0:
        # Behind nginx: trust exactly that many X-Forwarded-* hops, so the limits see the
        # member's address and not the proxy's. Never more than there are proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_prefix=0)

    @app.before_request
    def refuse_nul_in_url():
        """PostgreSQL refuses NUL in any text (a DataError, so a 500): refuse it here, once for every
        view, in the path and in the query's names and values."""
        if "\x00" in request.path or any(
            "\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)
        ):
            return render_template("errors/error.html", code=400, message=NUL_IN_URL), 400
        return None

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")  # for browsers without frame-ancestors
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["HSTS"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if _personal():
            headers["Cache-Control"] = "no-store"
        return response


def _personal() -> bool:
    """A personal page: one of PRIVATE_BLUEPRINTS, or any page but a static file shown to a logged-in
    account (its menu names the member)."""
    if request.endpoint == "static":
        return False
    if request.blueprint in PRIVATE_BLUEPRINTS:
        return True
    try:
        return current_user.is_authenticated
    except SQLAlchemyError:  # the account could not be loaded (a busy database): assume personal
        return True


def mark_login() -> None:
    """Remember in the session that the password was typed just now."""
    session[LOGIN_AT] = int(time.time())


def login_is_recent() -> bool:
    """Whether the password was typed within RECENT_LOGIN_MINUTES (a remember-me cookie never is)."""
    at = session.get(LOGIN_AT)
    if not isinstance(at, int):
        return False
    return time.time() - at < current_app.config["RECENT_LOGIN_MINUTES"] * 60


def recent_login_required(view: Callable) -> Callable:
    """Views that change how the member is reached ask for the password again after a while."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not login_is_recent():
            return login_manager.needs_refresh()
        return view(*args, **kwargs)

    return wrapped


def browser_mark(create: bool = False) -> str:
    """A short hash of a random value kept in this browser's session ("" if it has none).

    A link mailed at this browser's request carries the mark, so the site can tell the link being
    opened where it was asked for from the link being opened by whoever reads the mailbox
    elsewhere. The session holds the same kind of value whatever the request's outcome, so it
    reveals nothing about accounts.
    """
    nonce = session.get(BROWSER_NONCE)
    if not isinstance(nonce, str):
        if not create:
            return ""
        nonce = session[BROWSER_NONCE] = secrets.token_urlsafe(16)
    return hashlib.sha256(nonce.encode()).hexdigest()[:16]
