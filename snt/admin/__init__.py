"""The board's admin area under /admin: one blueprint (admin/blueprint.py), its routes split into
modules by resource. A new route module adds its routes to `bp` and is imported here.
"""

from flask import Flask

from snt.admin import (  # noqa: F401  (imported for the routes they add to bp)
    audit,
    claims,
    content,
    dashboard,
    documents,
    exports,
    fees,
    imports,
    jobs,
    losses,
    meeting_hall,
    meeting_votes,
    meetings,
    members,
    messages,
    plots,
    requisites,
    settings,
    sms,
    submissions,
    tariffs,
    unmatched,
)
from snt.admin.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp, url_prefix="/admin")
