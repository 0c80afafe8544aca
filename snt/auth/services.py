"""Accounts: registration, email confirmation, login, password reset, email and password change.

No Flask request in here: views call these, and so do the CLI and the tests.
"""

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from snt import audit, claims, tokens
from snt.email import external_url, send_email
from snt.extensions import db
from snt.models import Account, Plot, new_session_token, utcnow
from snt.passwords import check_password, hash_password, spend_hash_time
from snt.plots import normalise_plot_number


class AuthError(ValueError):
    """A Russian message for the person at the form."""


def find_by_email(email: str) -> Account | None:
    return db.session.scalar(select(Account).where(func.lower(Account.email) == email.strip().lower()))


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
        send_email(
            "попытка регистрации",
            [existing.email],
            "email_taken",
            account=existing,
            login_url=external_url("auth.login"),
            reset_url=external_url("auth.forgot_password"),
        )
        return None
    account = Account(
        login_plot=plot,
        email=email.strip().lower(),
        password_hash=hash_password(password),
        pd_consent_at=utcnow(),
    )
    db.session.add(account)
    claims.set_claimed_plots(account, [plot.number])
    db.session.commit()
    send_confirmation(account)
    return account


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
    account = db.session.get(Account, payload.get("a"))
    if account is None or account.email != payload.get("e"):
        raise tokens.TokenError("Ссылка больше не действует: адрес электропочты был изменён.")
    if account.email_confirmed_at is not None:
        return account, False
    account.email_confirmed_at = utcnow()
    claims.verify_matching_claims(account)
    db.session.commit()
    return account, True


def authenticate(login: str, password: str) -> Account | None:
    """The account if the password is right; an unknown login costs the same hash time."""
    account = find_by_login(login)
    if account is None:
        spend_hash_time(password)
        return None
    if not check_password(account.password_hash, password):
        return None
    return account


def rotate_sessions(account: Account) -> None:
    """Invalidate every session and remember-me cookie of the account (see Account.get_id)."""
    account.session_token = new_session_token()


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
    account = account_for_reset(token)
    set_password(account, new_password)
    if account.email_confirmed_at is None:  # the link came to this address
        account.email_confirmed_at = utcnow()
        claims.verify_matching_claims(account)
    db.session.commit()
    return account


def set_password(account: Account, new_password: str) -> None:
    account.password_hash = hash_password(new_password)
    rotate_sessions(account)


def change_password(account: Account, current_password: str, new_password: str) -> None:
    if not check_password(account.password_hash, current_password):
        raise AuthError("Текущий пароль введён неверно.")
    set_password(account, new_password)
    db.session.commit()


def request_email_change(account: Account, password: str, new_email: str) -> None:
    """Mail a link to the new address; the email changes only when that link is opened."""
    if not check_password(account.password_hash, password):
        raise AuthError("Текущий пароль введён неверно.")
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
    account = db.session.get(Account, payload.get("a"))
    if account is None or account.email != payload.get("o"):
        raise tokens.TokenError("Ссылка больше не действует: адрес уже был изменён.")
    if find_by_email(payload["e"]) is not None:
        raise tokens.TokenError("Этот адрес уже используется другой учётной записью.")
    account.email = payload["e"]
    account.email_confirmed_at = utcnow()
    claims.verify_matching_claims(account)
    db.session.commit()
    return account


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
    db.session.commit()
    return account


def set_role(login: str, role: str, by: Account | None = None) -> Account:
    account = find_by_login(login)
    if account is None:
        raise AuthError(f"Учётной записи «{login}» нет.")
    change_role(account, role, by)
    return account


def change_role(account: Account, role: str, by: Account | None = None) -> None:
    """The shell's `set-role` and the admin's role form: audited; the account's sessions end."""
    if role not in Account.ROLES:
        raise AuthError(f"Неизвестная роль «{role}»: допустимы {', '.join(Account.ROLES)}.")
    if role == account.role:
        raise AuthError(f"У {account.login} уже роль {role}.")
    audit.record("account.role", by, account, label=account.email, details=f"{account.role} → {role}")
    account.role = role
    rotate_sessions(account)  # a changed role takes effect on the next login everywhere
    db.session.commit()
