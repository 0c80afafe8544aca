"""The extensions only the site uses: logins, CSRF tokens and the per-address limits.

They are bound with the views when the site is first used (`snt.SiteOnDemand`), so a shell command,
which needs only the database, mail and templates, never imports them.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

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


READS = ("GET", "HEAD")


@limiter.request_filter
def _reads_are_never_limited() -> bool:
    """Every per-address limit is on POST (login, password re-entry, mail, the contact form) and
    there are no default limits: a page read is not limited, so the limiter is not asked about it
    (finding that out costs a page a noticeable share of its CPU). A limit on GET needs this gone,
    and `_limiter_on_writes_only` too."""
    return request.method in READS


def register_web_extensions(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    _limiter_on_writes_only(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Войдите, чтобы открыть эту страницу."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.refresh_view = "auth.reauthenticate"
    login_manager.needs_refresh_message = "Чтобы изменить эти данные, введите пароль ещё раз."
    login_manager.needs_refresh_message_category = "info"


def _limiter_on_writes_only(app: Flask) -> None:
    """Bind the limiter, and let the three hooks it adds to every request (before, after, teardown)
    run only on requests that may be limited: on a page read they only found out that the request
    filter above exempts it, about 4 % of a cabinet page's work. The decorated views (login, the
    forms that send mail) still ask the limiter themselves, and the filter answers for their GETs."""
    skips = {"before_request_funcs": _skip_before, "after_request_funcs": _skip_after,
             "teardown_request_funcs": _skip_teardown}  # fmt: skip
    known = {kind: len(getattr(app, kind).get(None, ())) for kind in skips}
    limiter.init_app(app)
    for kind, skip in skips.items():
        hooks = getattr(app, kind).setdefault(None, [])
        hooks[known[kind] :] = [skip(hook) for hook in hooks[known[kind] :]]


Hook = Callable[..., Any]


def _skip_before(hook: Hook) -> Hook:
    return wraps(hook)(lambda: None if request.method in READS else hook())


def _skip_after(hook: Hook) -> Hook:
    return wraps(hook)(lambda response: response if request.method in READS else hook(response))


def _skip_teardown(hook: Hook) -> Hook:
    return wraps(hook)(lambda error=None: None if request.method in READS else hook(error))
