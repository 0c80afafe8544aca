"""The extensions only the site uses: logins, CSRF tokens and the per-address limits.

They are bound with the views when the site is first used (`snt.SiteOnDemand`), so a shell command,
which needs only the database, mail and templates, never imports them.
"""

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
# Counts per client address (the real one behind nginx: see PROXY_COUNT). Storage from
# RATELIMIT_STORAGE_URI: memory:// counts per process, redis:// across processes and machines.
limiter = Limiter(key_func=get_remote_address)


@limiter.request_filter
def _reads_are_never_limited() -> bool:
    """Every per-address limit is on POST (login, password re-entry, mail, the contact form) and
    there are no default limits: a page read is not limited, so the limiter is not asked about it
    (finding that out costs a page a noticeable share of its CPU). A limit on GET needs this gone."""
    return request.method in ("GET", "HEAD")


def register_web_extensions(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Войдите, чтобы открыть эту страницу."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.refresh_view = "auth.reauthenticate"
    login_manager.needs_refresh_message = "Чтобы изменить эти данные, введите пароль ещё раз."
    login_manager.needs_refresh_message_category = "info"
