"""Shell commands (`flask --app app ...`): thin click wrappers over the service functions.

One module per concern; each lists its commands in COMMANDS.
"""

import click
from flask import Flask


def fail(message: str) -> None:
    """Stop the command with a Russian message and exit status 1."""
    raise click.ClickException(message)


def init_app(app: Flask) -> None:
    from snt.cli import accounts, checks, finance, setup

    for module in (setup, accounts, finance, checks):
        for command in module.COMMANDS:
            app.cli.add_command(command)
