"""Shell commands (`flask --app app ...`): thin click wrappers over the service functions.

One module per concern, named after what it holds; each lists its commands in COMMANDS.
"""

from flask import Flask

from snt.cli import (
    accounts,
    backup,
    charges,
    checks,
    claims,
    imports,
    jobs,
    meetings,
    notices,
    reports,
    requisites,
    setup,
    submissions,
)

MODULES = (
    setup,
    accounts,
    claims,
    imports,
    charges,
    notices,
    reports,
    requisites,
    checks,
    backup,
    submissions,
    jobs,
    meetings,
)


def init_app(app: Flask) -> None:
    for module in MODULES:
        for command in module.COMMANDS:
            app.cli.add_command(command)
