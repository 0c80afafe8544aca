"""The board's work with accounts: finding them, blocking and unblocking, resending the
confirmation link. Never exposes a password hash or a session token."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from snt import audit
from snt.auth.credentials import rotate_sessions
from snt.auth.errors import AuthError
from snt.auth.lookup import is_registry_email
from snt.auth.registration import send_confirmation
from snt.database import write_transaction, writes
from snt.email import external_url, send_email_or_log
from snt.extensions import db
from snt.models import Account, PlotClaim

STATUS_FILTERS = {
    "": "все",
    "pending": "с заявками, ждущими правления",
    "unconfirmed": "адрес не подтверждён",
    "blocked": "заблокированные",
    "board": "правление и казначей",
}
ROLE_TITLES = {"member": "член товарищества", "board": "правление", "treasurer": "казначей"}


@dataclass
class AccountRow:
    account: Account
    pending_claims: int


def find_accounts(query: str = "", status: str = "") -> list[AccountRow]:
    """Accounts matching `query` (login plot, email, name, phone); two queries.

    Filtered in Python, as the registry is: SQLite ignores the case of Cyrillic letters.
    """
    accounts = list(
        db.session.scalars(
            select(Account).options(selectinload(Account.login_plot)).order_by(Account.created_at.desc())
        )
    )
    pending: dict[int, int] = dict(
        db.session.execute(
            select(PlotClaim.account_id, func.count())
            .where(PlotClaim.status == PlotClaim.PENDING)
            .group_by(PlotClaim.account_id)
        )
        .tuples()
        .all()
    )
    rows = [AccountRow(account=a, pending_claims=pending.get(a.id, 0)) for a in accounts]
    text = query.strip().casefold()
    if text:
        rows = [r for r in rows if _matches(r.account, text)]
    if status == "pending":
        rows = [r for r in rows if r.pending_claims]
    elif status == "unconfirmed":
        rows = [r for r in rows if r.account.email_confirmed_at is None]
    elif status == "blocked":
        rows = [r for r in rows if r.account.is_blocked]
    elif status == "board":
        rows = [r for r in rows if r.account.is_board]
    return rows


def _matches(account: Account, text: str) -> bool:
    if account.login_plot is not None and account.login_plot.number == text:
        return True
    if text.isdigit():
        return len(text) >= 4 and text in account.phone
    return text in account.email.casefold() or text in account.full_name.casefold()


def may_block(by: Account | None, account: Account) -> bool:
    """Whether `by` may block or unblock `account`: only a lower role (see Account.ROLES); the
    shell (`by` None) always may."""
    return by is None or (account.id != by.id and by.rank > account.rank)


@writes
def set_blocked(account: Account, blocked: bool, by: Account | None) -> None:
    """Block (the account cannot log in, its open sessions end) or unblock an account."""
    if by is not None and account.id == by.id:
        raise AuthError("Свою учётную запись заблокировать нельзя.")
    if not may_block(by, account):
        order = " → ".join(ROLE_TITLES[role] for role in Account.ROLES)
        action = "заблокировать" if blocked else "разблокировать"
        raise AuthError(
            f"Учётную запись с ролью «{ROLE_TITLES[account.role]}» вы {action} не можете: блокировать и "
            f"разблокировать можно только учётные записи с ролью ниже вашей ({order})."
            + (
                ""
                if blocked
                else " Разблокировать её может администратор сервера (см. раздел о командах в документации)."
            )
        )
    if account.is_blocked == blocked:
        raise AuthError(
            "Учётная запись уже заблокирована." if blocked else "Учётная запись не заблокирована."
        )
    account.is_blocked = blocked
    if blocked:
        rotate_sessions(account)
    audit.record("account.block" if blocked else "account.unblock", by, account, label=account.email)


def resend_confirmation(account: Account, by: Account | None) -> None:
    if account.email_confirmed_at is not None:
        raise AuthError("Адрес этой учётной записи уже подтверждён.")
    if account.is_blocked:
        raise AuthError("Учётная запись заблокирована: сначала разблокируйте её.")
    send_confirmation(account)
    with write_transaction():
        audit.record("account.resend", by, account, label=account.email)


def login_releasable(account: Account) -> bool:
    """The board may free a login plot held under an email that is not the plot's registry email."""
    plot = account.login_plot
    return plot is not None and not is_registry_email(plot, account.email)


def release_login(account: Account, seen_plot: str, by: Account | None) -> bool:
    """Free the account's login plot for its registry owner: audited; the account keeps its claims
    and logs in by email from now on, and is told so by email. `seen_plot` is the plot number the
    board was shown (refused if it is no longer the login). Returns False if the mail failed."""
    with write_transaction():
        plot = account.login_plot
        if plot is None or plot.number != seen_plot.strip():
            raise AuthError("У этой учётной записи нет такого участка-логина. Обновите страницу.")
        if is_registry_email(plot, account.email):
            raise AuthError(
                f"Адрес {account.email} — адрес участка № {plot.number} по реестру: логин освобождать незачем."
            )
        account.login_plot = None
        audit.record(
            "account.release_login",
            by,
            account,
            label=account.email,
            details=f"участок {plot.number} больше не логин; вход по адресу электропочты",
        )
    return send_email_or_log(
        f"участок № {plot.number} больше не логин",
        [account.email],
        "login_released",
        number=plot.number,
        account=account,
        login_url=external_url("auth.login"),
        contacts_url=external_url("public.contacts"),
    )
