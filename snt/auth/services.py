"""Accounts: registration, email confirmation, login, password reset, email and password change.

No Flask request in here: views call these, and so do the CLI and the tests.
"""

import hashlib
import hmac
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


class PasswordNeeded(AuthError):
    """A confirmation link opened in another browser than the one that asked for it. Whoever
    asked may not be whoever reads the mailbox (someone may have registered with the owner's
    address and a password of their own), so the link works only once a new password is set:
    then the mailbox's holder is the only one who can log in."""

    def __init__(self):
        super().__init__("Задайте пароль для входа: ссылка открыта не в том браузере, где её запрашивали.")


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


def register(plot_number: str, email: str, password: str, browser: str = "") -> Account | None:
    """Create an unconfirmed member account and mail the confirmation link.

    Refuses (AuthError) a plot not in the registry. Otherwise every path answers alike and costs
    one password hash, and what happened is told by email: a taken email creates nothing and its
    owner gets a notice; a plot that is another account's login creates nothing, and both that
    account and the address typed are told. `browser` is the registering browser's mark
    (security.browser_mark): see confirm_email.
    """
    password_hash = hash_password(password)  # on every path, outside the lock: the time says nothing
    with write_transaction():
        account, email_holder, plot_holder = _register(plot_number, email, password_hash)
    # Mail goes out after the commit: a slow mail server never holds the database.
    if email_holder is not None:
        send_email(
            "попытка регистрации",
            [email_holder.email],
            "email_taken",
            account=email_holder,
            login_url=external_url("auth.login"),
            reset_url=external_url("auth.forgot_password"),
        )
    elif plot_holder is not None:
        _tell_about_taken_login(plot_holder, email.strip().lower())
    if account is not None:
        send_confirmation(account, browser)
    return account


def _tell_about_taken_login(holder: Account, email: str) -> None:
    """Someone typed `email` and the login plot of `holder`: tell both, neither about the other."""
    assert holder.login_plot is not None  # only a holder of a login plot is told
    number = holder.login_plot.number
    login_url, reset_url = external_url("auth.login"), external_url("auth.forgot_password")
    send_email(
        "попытка регистрации вашего участка",
        [holder.email],
        "login_plot_attempt",
        number=number,
        login_url=login_url,
        reset_url=reset_url,
    )
    send_email(
        f"участок № {number} уже используется",
        [email],
        "login_plot_taken",
        number=number,
        login_url=login_url,
        reset_url=reset_url,
        contacts_url=external_url("public.contacts"),
    )


def _register(
    plot_number: str, email: str, password_hash: str
) -> tuple[Account | None, Account | None, Account | None]:
    """(the new account, None, None), or (None, the account that already has this email, None),
    or (None, None, the account whose login is this plot)."""
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
    existing = find_by_email(email)
    if existing is not None:
        return None, existing, None
    if holder is not None and _registry_email_wins(plot, holder, email):
        db.session.delete(holder)
        db.session.flush()
        holder = None
    if holder is not None:
        return None, None, holder
    account = Account(
        login_plot=plot,
        email=email.strip().lower(),
        password_hash=password_hash,
        pd_consent_at=utcnow(),
    )
    db.session.add(account)
    claims.set_claimed_plots(account, [plot.number])
    return account, None, None


def is_registry_email(plot: Plot, email: str) -> bool:
    return bool(plot.email.strip()) and plot.email.strip().lower() == email.strip().lower()


def _registry_email_wins(plot: Plot, holder: Account, email: str) -> bool:
    """A registration with the plot's registry email takes the login plot from an unconfirmed
    account under another email (never the other way round): otherwise anyone could reserve a
    neighbour's plot number as their login, renewing it every 48 hours."""
    return (
        holder.email_confirmed_at is None
        and is_registry_email(plot, email)
        and not is_registry_email(plot, holder.email)
    )


def _stale_unconfirmed(account: Account) -> bool:
    """An account never confirmed within the link's lifetime no longer holds its login plot."""
    max_age = timedelta(seconds=current_app.config["CONFIRM_MAX_AGE"])
    return account.email_confirmed_at is None and account.created_at < utcnow() - max_age


def send_confirmation(account: Account, browser: str = "") -> None:
    token = tokens.make_token(tokens.CONFIRM_EMAIL, {"a": account.id, "e": account.email, "b": browser})
    send_email(
        "подтвердите адрес электропочты",
        [account.email],
        "confirm",
        account=account,
        url=external_url("auth.confirm", token=token),
        hours=current_app.config["CONFIRM_MAX_AGE"] // 3600,
    )


def _same_browser(payload: dict, browser: str) -> bool:
    return bool(browser) and hmac.compare_digest(str(payload.get("b", "")), browser)


def _take_over_if_elsewhere(account: Account, payload: dict, browser: str, new_password: str | None) -> None:
    """A link opened in another browser than the one that asked for it works only with a new
    password, which ends every session: whoever typed the old password is out (PasswordNeeded)."""
    if _same_browser(payload, browser):
        return
    if new_password is None:
        raise PasswordNeeded()
    set_password(account, new_password)


def confirm_email(token: str, browser: str = "", new_password: str | None = None) -> tuple[Account, bool]:
    """Confirm the address in the link. Returns the account and whether it was confirmed just now.

    The link dies when the account's email changes (the token carries the address). Opened in
    another browser than the registering one, it needs `new_password` (PasswordNeeded otherwise).
    """
    payload = tokens.read_token(tokens.CONFIRM_EMAIL, token, current_app.config["CONFIRM_MAX_AGE"])
    with write_transaction():
        account = db.session.get(Account, payload.get("a"))
        if account is None or account.email != payload.get("e"):
            raise tokens.TokenError("Ссылка больше не действует: адрес электропочты был изменён.")
        if account.email_confirmed_at is not None:
            return account, False
        _take_over_if_elsewhere(account, payload, browser, new_password)
        account.email_confirmed_at = utcnow()
        claims.verify_matching_claims(account)
    return account, True


def authenticate(login: str, password: str, address: str | None = None) -> Account | None:
    """The account if the password is right, None if not. `address` is the client's (the view's
    request.remote_addr; None in the shell).

    Raises LoginThrottled, before any hashing, while the login is locked for this address or has
    used up its wrong passwords for the day (snt/throttle.py). An unknown login costs the same hash
    time and is counted and locked the same way.
    """
    account = find_by_login(login)
    key = throttle.account_key(account.id) if account else throttle.unknown_login_key(normalise_login(login))
    _refuse_if_locked(key, address)
    if account is None:
        spend_hash_time(password)
        throttle.record_failure(key, address)
        return None
    return account if _password_ok(account, password, key, address) else None


def verify_password(account: Account, password: str, address: str | None = None) -> None:
    """The password typed again by a logged-in member (re-entry, changes): AuthError if wrong."""
    key = throttle.account_key(account.id)
    _refuse_if_locked(key, address)
    if not _password_ok(account, password, key, address):
        raise AuthError("Текущий пароль введён неверно.")


def _refuse_if_locked(key: str, address: str | None) -> None:
    seconds = throttle.seconds_to_wait(key, address)
    if seconds:
        raise LoginThrottled(seconds)


def _password_ok(account: Account, password: str, key: str, address: str | None) -> bool:
    if check_password(account.password_hash, password):
        throttle.clear_address(key, address)
        return True
    throttle.record_failure(key, address)
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


def change_password(
    account: Account, current_password: str, new_password: str, address: str | None = None
) -> None:
    verify_password(account, current_password, address)
    with write_transaction():
        set_password(account, new_password)


def request_email_change(
    account: Account, password: str, new_email: str, browser: str = "", address: str | None = None
) -> None:
    """Mail a link to the new address; the email changes only when that link is opened (in another
    browser than `browser`, only with a new password: see confirm_email)."""
    verify_password(account, password, address)
    new_email = new_email.strip().lower()
    if new_email == account.email:
        raise AuthError("Это и есть ваш текущий адрес.")
    if find_by_email(new_email) is not None:
        raise AuthError("Этот адрес уже используется другой учётной записью.")
    token = tokens.make_token(
        tokens.CHANGE_EMAIL,
        {"a": account.id, "o": account.email, "c": _email_version(account), "e": new_email, "b": browser},
    )
    send_email(
        "подтвердите новый адрес электропочты",
        [new_email],
        "change_email",
        account=account,
        url=external_url("auth.confirm_email_change", token=token),
        hours=current_app.config["CONFIRM_MAX_AGE"] // 3600,
    )


def _email_version(account: Account) -> str:
    """Changes with every confirmed change of the address (each sets email_confirmed_at anew)."""
    return str(account.email_confirmed_at)


def confirm_email_change(token: str, browser: str = "", new_password: str | None = None) -> Account:
    payload = tokens.read_token(tokens.CHANGE_EMAIL, token, current_app.config["CONFIRM_MAX_AGE"])
    with write_transaction():
        account = db.session.get(Account, payload.get("a"))
        # The address alone would revive an old link once the address is changed back.
        if account is None or (account.email, _email_version(account)) != (
            payload.get("o"),
            payload.get("c"),
        ):
            raise tokens.TokenError("Ссылка больше не действует: адрес уже был изменён.")
        if find_by_email(payload["e"]) is not None:
            raise tokens.TokenError("Этот адрес уже используется другой учётной записью.")
        _take_over_if_elsewhere(account, payload, browser, new_password)
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
