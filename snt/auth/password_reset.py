"""«Забыли пароль?»: a single-use link by email that dies once the password changes."""

import hashlib

from flask import current_app

from snt import throttle, tokens
from snt.auth.credentials import set_password
from snt.auth.lookup import find_by_login
from snt.database import write_transaction
from snt.email import external_url, send_email
from snt.extensions import db
from snt.models import Account, utcnow
from snt.registry import claims


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
