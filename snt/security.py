"""HTTP hardening: response headers, cookie flags for HTTPS, the reverse proxy, recent logins."""

import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, render_template, request, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from snt.extensions import login_manager

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
NUL_IN_URL = "В адресе страницы есть недопустимый символ (нулевой байт). Проверьте ссылку или откройте страницу из меню."
LOGIN_AT = "_login_at"  # session key: when the password was last typed (Unix time)


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
        return response


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
