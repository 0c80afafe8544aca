"""Changing the account's email: the change waits for the link sent to the new address."""

from flask import current_app

from snt import tokens
from snt.auth.credentials import verify_password
from snt.auth.errors import AuthError
from snt.auth.lookup import find_by_email
from snt.auth.registration import take_over_if_elsewhere
from snt.database import write_transaction
from snt.email import external_url, send_email
from snt.extensions import db
from snt.models import Account, utcnow
from snt.registry import claims


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
        take_over_if_elsewhere(account, payload, browser, new_password)
        account.email = payload["e"]
        account.email_confirmed_at = utcnow()
        claims.verify_matching_claims(account)
    return account
