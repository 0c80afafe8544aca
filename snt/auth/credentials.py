"""Credentials: login with the wrong-password throttle, the password typed again, the password
changed, sessions ended everywhere.
"""

from snt import throttle
from snt.auth.errors import AuthError, LoginThrottled
from snt.auth.lookup import find_by_login, normalise_login
from snt.database import write_transaction
from snt.models import Account, new_session_token
from snt.passwords import check_password, hash_password, spend_hash_time


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


def set_password(account: Account, new_password: str) -> None:
    account.password_hash = hash_password(new_password)
    rotate_sessions(account)


def change_password(
    account: Account, current_password: str, new_password: str, address: str | None = None
) -> None:
    verify_password(account, current_password, address)
    with write_transaction():
        set_password(account, new_password)
