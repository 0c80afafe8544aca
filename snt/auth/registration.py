"""Registration and the email confirmation link; the rule that a link opened in another browser
works only with a new password.

No Flask request in here: views call these, and so do the CLI and the tests.
"""

import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from snt import tokens
from snt.auth.credentials import set_password
from snt.auth.errors import AuthError, PasswordNeeded
from snt.auth.lookup import find_by_email, is_registry_email
from snt.database import write_transaction
from snt.email import external_url, send_email
from snt.extensions import db
from snt.models import Account, Plot, utcnow
from snt.passwords import hash_password
from snt.plots import normalise_plot_number
from snt.registry import claims


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


def take_over_if_elsewhere(account: Account, payload: dict, browser: str, new_password: str | None) -> None:
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
        take_over_if_elsewhere(account, payload, browser, new_password)
        account.email_confirmed_at = utcnow()
        claims.verify_matching_claims(account)
    return account, True
