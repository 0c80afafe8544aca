"""Shell commands (`flask --app app ...`): thin click wrappers over the service functions.

One module per concern, named after what it holds; each lists its commands in COMMANDS.
"""

from flask import Flask

from snt.cli import accounts, backup, charges, checks, imports, meetings, notices, reports, requisites, setup


def init_app(app: Flask) -> None:
    for module in (setup, accounts, imports, charges, notices, reports, requisites, checks, backup, meetings):
        for command in module.COMMANDS:
            app.cli.add_command(command)
