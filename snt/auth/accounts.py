"""Accounts made from the shell (board, treasurer, a member by hand) and role changes, audited."""

from sqlalchemy import select

from snt import audit
from snt.auth.credentials import rotate_sessions
from snt.auth.errors import AuthError
from snt.auth.lookup import find_by_email, find_by_login
from snt.database import writes
from snt.extensions import db
from snt.models import Account, Plot, utcnow
from snt.passwords import hash_password
from snt.plots import normalise_plot_number
from snt.registry import claims


@writes
def create_account(
    email: str, password: str, role: str, plot_number: str | None = None, by: Account | None = None
) -> Account:
    """A confirmed account made from the shell (board, treasurer, or a member by hand)."""
    if role not in Account.ROLES:
        raise AuthError(f"Неизвестная роль «{role}»: допустимы {', '.join(Account.ROLES)}.")
    if find_by_email(email) is not None:
        raise AuthError(f"Адрес {email} уже используется.")
    plot = None
    if plot_number:
        plot = db.session.scalar(select(Plot).where(Plot.number == normalise_plot_number(plot_number)))
        if plot is None:
            raise AuthError(f"Участка № {plot_number} нет в реестре.")
        if db.session.scalar(select(Account).where(Account.login_plot_id == plot.id)):
            raise AuthError(f"Участок № {plot.number} уже используется как логин.")
    account = Account(
        email=email.strip().lower(),
        password_hash=hash_password(password),
        role=role,
        login_plot=plot,
        email_confirmed_at=utcnow(),
    )
    db.session.add(account)
    if plot is not None:
        claims.set_claimed_plots(account, [plot.number])
    db.session.flush()
    audit.record("account.create", by, account, label=account.email, details=f"роль: {role}")
    return account


def set_role(login: str, role: str, by: Account | None = None) -> Account:
    account = find_by_login(login)
    if account is None:
        raise AuthError(f"Учётной записи «{login}» нет.")
    change_role(account, role, by)
    return account


@writes
def change_role(account: Account, role: str, by: Account | None = None) -> None:
    """The shell's `set-role` and the admin's role form: audited; the account's sessions end."""
    if role not in Account.ROLES:
        raise AuthError(f"Неизвестная роль «{role}»: допустимы {', '.join(Account.ROLES)}.")
    if role == account.role:
        raise AuthError(f"У {account.login} уже роль {role}.")
    audit.record("account.role", by, account, label=account.email, details=f"{account.role} → {role}")
    account.role = role
    rotate_sessions(account)  # a changed role takes effect on the next login everywhere
