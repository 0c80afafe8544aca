"""Accounts: board and treasurer accounts, roles, login plots, blocking."""

import sys

import click
from flask.cli import with_appcontext

from snt.auth import accounts as auth_accounts
from snt.auth import errors as auth_errors
from snt.auth import lookup as auth_lookup
from snt.auth import members as member_service
from snt.cli.helpers import fail
from snt.passwords import password_problem
from snt.plots import normalise_plot_number


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True, help="Адрес электронной почты (он же логин).")
@click.option(
    "--role",
    type=click.Choice(["member", "board", "treasurer"]),
    default="board",
    show_default=True,
    help="Роль: member — член товарищества, board — правление, treasurer — казначей.",
)
@click.option("--plot", "plot_number", default=None, help="Номер участка-логина (для члена товарищества).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Прочитать пароль из первой строки стандартного ввода (для скриптов).",
)
@click.option(
    "--if-missing", is_flag=True, help="Если учётная запись с этим адресом уже есть, ничего не делать."
)
@click.option("--password", default=None, hidden=True)
def create_user_command(
    email: str,
    role: str,
    plot_number: str | None,
    password_stdin: bool,
    if_missing: bool,
    password: str | None,
) -> None:
    """Создать подтверждённую учётную запись (правление, казначей или член товарищества).

    Пароль спрашивается при запуске (или читается из стандартного ввода), значения по умолчанию
    у него нет."""
    if if_missing and auth_lookup.find_by_email(email) is not None:
        click.echo(f"Учётная запись {email} уже есть; не изменена.")
        return
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif password is None:
        password = click.prompt("Пароль", hide_input=True, confirmation_prompt="Ещё раз")
    problem = password_problem(password)
    if problem:
        fail(problem)
    try:
        account = auth_accounts.create_account(email, password, role, plot_number)
    except (auth_errors.AuthError, ValueError) as exc:
        fail(str(exc))
    click.echo(f"Учётная запись {account.login} ({account.role}) создана.")


@click.command("set-role")
@with_appcontext
@click.argument("login")
@click.argument("role", type=click.Choice(["member", "board", "treasurer"]))
def set_role_command(login: str, role: str) -> None:
    """Сменить роль учётной записи LOGIN (номер участка или адрес почты) на ROLE."""
    try:
        account = auth_accounts.set_role(login, role)
    except auth_errors.AuthError as exc:
        fail(str(exc))
    click.echo(f"Роль {account.login}: {account.role}.")


@click.command("release-login")
@with_appcontext
@click.argument("plot_number")
def release_login_command(plot_number: str) -> None:
    """Освободить номер участка, который служит логином учётной записи с адресом не из реестра.

    Учётная запись продолжит входить по адресу электропочты; ей уходит письмо, действие
    записывается в журнал действий."""
    try:
        number = normalise_plot_number(plot_number)
    except ValueError as exc:
        fail(str(exc))
    account = auth_lookup.find_by_login(number)
    if account is None:
        fail(f"Участок № {number} не служит логином ни одной учётной записи.")
    try:
        mailed = member_service.release_login(account, number, by=None)
    except auth_errors.AuthError as exc:
        fail(str(exc))
    click.echo(
        f"Участок № {number} больше не логин учётной записи {account.email}: она входит по адресу электропочты."
    )
    if not mailed:
        click.echo(f"  Письмо на {account.email} не отправлено (см. журнал).", err=True)


@click.command("unblock")
@with_appcontext
@click.argument("login")
def unblock_command(login: str) -> None:
    """Разблокировать учётную запись (LOGIN — номер участка или адрес электропочты).

    Командная строка сервера может разблокировать любую учётную запись, в том числе казначея;
    действие записывается в журнал действий."""
    account = auth_lookup.find_by_login(login)
    if account is None:
        fail(f"Учётной записи «{login}» нет.")
    try:
        member_service.set_blocked(account, False, by=None)
    except auth_errors.AuthError as exc:
        fail(str(exc))
    click.echo(f"Учётная запись {account.login} <{account.email}> разблокирована.")


COMMANDS = [create_user_command, set_role_command, release_login_command, unblock_command]
