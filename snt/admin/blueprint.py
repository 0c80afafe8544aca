"""The admin blueprint and what its route modules share: the board-only gate, the treasurer's
decorator, the acting account and the way back to the page a form came from.

Every request is checked on the server before any view runs: a guest is sent to the login page,
a member gets 403; board and treasurer accounts pass. Views that change the registry carry
`treasurer_required` as well, as do the treasurer's tools (imports, tariffs, fees, SMS).
"""

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request
from flask_login import current_user

from snt.web import login_manager

bp = Blueprint("admin", __name__)


@bp.before_request
def require_board():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_board:
        abort(403)
    return None


def treasurer_required(view):
    """For the treasurer's tools: a board member gets 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.role != "treasurer":
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def acting_account():
    """The logged-in board member as a plain Account (services store it in the audit log)."""
    return current_user._get_current_object()


def back_to(default: str):
    """Redirect to the admin page the form came from (its hidden `next`), else to `default`."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/admin/") or parts.scheme or parts.netloc or "\\" in target:
        target = default
    return redirect(target)
