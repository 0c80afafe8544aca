"""Accounts: registration, email confirmation, login, password reset, email and password change.

No Flask request in here: views call these, and so do the CLI and the tests.
"""

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from snt import audit, throttle, tokens
from snt.database import write_transaction, writes
from snt.email import external_url, send_email
from snt.extensions import db
from snt.models import Account, Plot, new_session_token, utcnow
from snt.passwords import check_password, hash_password, spend_hash_time
from snt.plots import normalise_plot_number
from snt.registry import claims


class AuthError(ValueError):
    """A Russian message for the person at the form."""


class LoginThrottled(AuthError):
    """Too many wrong passwords for this login: no password is checked until `seconds` pass."""

    def __init__(self, seconds: int):
        super().__init__(throttle.wait_message(seconds))
        self.seconds = seconds


def find_by_email(email: str) -> Account | None:
    return db.session.scalar(select(Account).where(func.lower(Account.email) == email.strip().lower()))


def normalise_login(login: str) -> str:
    """The form a login is looked up by: a lower-case email or a normalised plot number."""
    login = login.strip()
    if "@" in login:
        return login.lower()
    try:
        return normalise_plot_number(login)
    except ValueError:
        return login.lower()


def find_by_login(login: str) -> Account | None:
    """Login is the plot number (the smallest of the member's plots) or the email."""
    login = login.strip()
    if "@" in login:
        return find_by_email(login)
    try:
        number = normalise_plot_number(login)
    except ValueError:
        return None
    return db.session.scalar(select(Account).join(Account.login_plot).where(Plot.number == number))


def register(plot_number: str, email: str, password: str) -> Account | None:
    """Create an unconfirmed member account and mail the confirmation link.

    Refuses (AuthError) a plot not in the registry or already used as a login. A taken email
    creates nothing: its owner gets a notice instead, so the answer does not reveal the account.
    """
    with write_transaction():
        account, existing = _register(plot_number, email, password)
    # Mail goes out after the commit: a slow mail server never holds the database.
    if existing is not None:
        send_email(
            "попытка регистрации",
            [existing.email],
            "email_taken",
            account=existing,
            login_url=external_url("auth.login"),
            reset_url=external_url("auth.forgot_password"),
        )
        return None
    send_confirmation(account)
    return account


def _register(plot_number: str, email: str, password: str) -> tuple[Account | None, Account | None]:
    """(the new account, None), or (None, the account that already has this email)."""
    number = normalise_plot_number(plot_number)
    plot = db.session.scalar(select(Plot).where(Plot.number == number))
    if plot is None:
        raise AuthError(
            f"Участка № {number} нет в реестре товарищества. Проверьте номер или напишите правлению "
            "через форму обратной связи."
        )
    holder = db.session.scalar(select(Account).where(Account.login_plot_id == plot.id))
    if holder is not None and _stale_unconfirmed(holder):
        db.session.delete(holder)
        db.session.flush()
        holder = None
    if holder is not None:
        raise AuthError(
            f"Участок № {number} уже используется как логин. Если это ваш участок, войдите или "
            "восстановите пароль; если нет — напишите правлению через форму обратной связи."
        )
    existing = find_by_email(email)
    if existing is not None:
        return None, existing
    account = Account(
        login_plot=plot,
        email=email.strip().lower(),
        password_hash=hash_password(password),
        pd_consent_at=utcnow(),
    )
    db.session.add(account)
    claims.set_claimed_plots(account, [plot.number])
    return account, None


def _stale_unconfirmed(account: Account) -> bool:
    """An account never confirmed within the link's lifetime no longer holds its login plot."""
    max_age = timedelta(seconds=current_app.config["CONFIRM_MAX_AGE"])
    return account.email_confirmed_at is None and account.created_at < utcnow() - max_age


def send_confirmation(account: Account) -> None:
    token = tokens.make_token(tokens.CONFIRM_EMAIL, {"a": account.id, "e": account.email})
    send_email(
        "подтвердите адрес электропочты",
        [account.email],
        "confirm",
        account=account,
        url=external_url("auth.confirm", token=token),
        hours=current_app.config["CONFIRM_MAX_AGE"] // 3600,
    )


def confirm_email(token: str) -> tuple[Account, bool]:
    """Confirm the address in the link. Returns the account and whether it was confirmed just now.

    The link dies when the account's email changes (the token carries the address).
    """
    payload = tokens.read_token(tokens.CONFIRM_EMAIL, token, current_app.config["CONFIRM_MAX_AGE"])
    with write_transaction():
        account = db.session.get(Account, payload.get("a"))
        if account is None or account.email != payload.get("e"):
            raise tokens.TokenError("Ссылка больше не действует: адрес электропочты был изменён.")
        if account.email_confirmed_at is not None:
            return account, False
        account.email_confirmed_at = utcnow()
        claims.verify_matching_claims(account)
    return account, True


def authenticate(login: str, password: str) -> Account | None:
    """The account if the password is right, None if not.

    Raises LoginThrottled, before any hashing, while the login is locked after repeated failures.
    An unknown login costs the same hash time and is counted and locked the same way.
    """
    account = find_by_login(login)
    key = throttle.account_key(account.id) if account else throttle.unknown_login_key(normalise_login(login))
    _refuse_if_locked(key)
    if account is None:
        spend_hash_time(password)
        throttle.record_failure(key)
        return None
    return account if _password_ok(account, password, key) else None


def verify_password(account: Account, password: str) -> None:
    """The password typed again by a logged-in member (re-entry, changes): AuthError if wrong."""
    key = throttle.account_key(account.id)
    _refuse_if_locked(key)
    if not _password_ok(account, password, key):
        raise AuthError("Текущий пароль введён неверно.")


def _refuse_if_locked(key: str) -> None:
    seconds = throttle.seconds_to_wait(key)
    if seconds:
        raise LoginThrottled(seconds)


def _password_ok(account: Account, password: str, key: str) -> bool:
    if check_password(account.password_hash, password):
        throttle.clear(key)
        return True
    throttle.record_failure(key)
    return False


def rotate_sessions(account: Account) -> None:
    """Invalidate every session and remember-me cookie of the account (see Account.get_id)."""
    account.session_token = new_session_token()


def end_all_sessions(account: Account) -> None:
    """Log the account out everywhere (the «Выйти» button does this)."""
    with write_transaction():
        rotate_sessions(account)


def _password_fingerprint(account: Account) -> str:
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def request_password_reset(login: str) -> None:
    """Mail a single-use reset link if the account exists; silent otherwise."""
    account = find_by_login(login)
    if account is None or account.is_blocked:
        return
    token = tokens.make_token(tokens.RESET_PASSWORD, {"a": account.id, "h": _password_fingerprint(account)})
    send_email(
        "восстановление пароля",
        [account.email],
        "reset",
        account=account,
        url=external_url("auth.reset_password", token=token),
        hours=current_app.config["RESET_MAX_AGE"] // 3600,
    )


def account_for_reset(token: str) -> Account:
    payload = tokens.read_token(tokens.RESET_PASSWORD, token, current_app.config["RESET_MAX_AGE"])
    account = db.session.get(Account, payload.get("a"))
    # The token binds the password hash: once used (or the password changed), it is dead.
    if account is None or payload.get("h") != _password_fingerprint(account):
        raise tokens.TokenError("Ссылка уже использована или устарела. Запросите новую ссылку.")
    return account


def reset_password(token: str, new_password: str) -> Account:
    with write_transaction():
        account = account_for_reset(token)  # read again inside the write: a link works once
        set_password(account, new_password)
        if account.email_confirmed_at is None:  # the link came to this address
            account.email_confirmed_at = utcnow()
            claims.verify_matching_claims(account)
    throttle.clear(throttle.account_key(account.id))
    return account


def set_password(account: Account, new_password: str) -> None:
    account.password_hash = hash_password(new_password)
    rotate_sessions(account)


def change_password(account: Account, current_password: str, new_password: str) -> None:
    verify_password(account, current_password)
    with write_transaction():
        set_password(account, new_password)


def request_email_change(account: Account, password: str, new_email: str) -> None:
    """Mail a link to the new address; the email changes only when that link is opened."""
    verify_password(account, password)
    new_email = new_email.strip().lower()
    if new_email == account.email:
        raise AuthError("Это и есть ваш текущий адрес.")
    if find_by_email(new_email) is not None:
        raise AuthError("Этот адрес уже используется другой учётной записью.")
    token = tokens.make_token(tokens.CHANGE_EMAIL, {"a": account.id, "o": account.email, "e": new_email})
    send_email(
        "подтвердите новый адрес электропочты",
        [new_email],
        "change_email",
        account=account,
        url=external_url("auth.confirm_email_change", token=token),
        hours=current_app.config["CONFIRM_MAX_AGE"] // 3600,
    )


def confirm_email_change(token: str) -> Account:
    payload = tokens.read_token(tokens.CHANGE_EMAIL, token, current_app.config["CONFIRM_MAX_AGE"])
    with write_transaction():
        account = db.session.get(Account, payload.get("a"))
        if account is None or account.email != payload.get("o"):
            raise tokens.TokenError("Ссылка больше не действует: адрес уже был изменён.")
        if find_by_email(payload["e"]) is not None:
            raise tokens.TokenError("Этот адрес уже используется другой учётной записью.")
        account.email = payload["e"]
        account.email_confirmed_at = utcnow()
        claims.verify_matching_claims(account)
    return account


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
