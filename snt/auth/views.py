from functools import cache
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import confirm_login, current_user, login_required, login_user, logout_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from snt import tokens
from snt.auth import credentials, email_change, lookup, password_reset, registration
from snt.auth.errors import AuthError, LoginThrottled, PasswordNeeded
from snt.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    LoginOnlyForm,
    PasswordAgainForm,
    RegistrationForm,
    ResetPasswordForm,
)
from snt.extensions import db
from snt.models import Account, Plot
from snt.security import browser_mark, mark_login
from snt.web import limiter, login_manager

bp = Blueprint("auth", __name__)

# Per client address, checked before the view runs, so before any password hash or email.
password_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_PASSWORD"], scope="password", methods=["POST"]
)
mail_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_MAIL"], scope="mail", methods=["POST"]
)


@cache  # built at the first request (not at import: it configures the mappers)
def _account_by_id() -> Select:
    """The menu names the login plot on every page: loaded with the account, its owners only if
    asked. Built once: on every request, building the statement and its cache key cost more than
    the query itself."""
    return (
        select(Account)
        .options(joinedload(Account.login_plot).lazyload(Plot.owners))
        .where(Account.id == bindparam("account_id"))
    )


@login_manager.user_loader
def load_account(session_id: str) -> Account | None:
    """The account of a session, read afresh on every request: a blocked account, a rotated
    session token (logout, a new password) ends the session at the next request."""
    account_id, _, token = session_id.partition(":")
    if not account_id.isdigit():
        return None
    account = db.session.scalars(_account_by_id(), {"account_id": int(account_id)}).first()
    if account is None or account.session_token != token:
        return None
    return account


def _start_session(account: Account, remember: bool = False) -> None:
    session.clear()  # a fresh session on login: nothing carried over from before
    login_user(account, remember=remember)
    mark_login()


def _local_next(default: str) -> str:
    """The `next` parameter if it is a path on this site, else `default`."""
    next_url = request.args.get("next", "")
    if not next_url.startswith("/") or urlsplit(next_url).netloc or next_url.startswith("//"):
        return default
    return next_url


@bp.route("/register", methods=["GET", "POST"])
@mail_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("mydata.profile"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            registration.register(
                form.plot_number.data, form.email.data, form.password.data, browser_mark(create=True)
            )
        except AuthError as exc:
            form.plot_number.errors.append(str(exc))
        else:
            return render_template("auth/check_email.html", email=form.email.data.strip().lower())
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


def _password_for_link() -> tuple[ResetPasswordForm, str | None]:
    """The «Задайте пароль» form of a link opened in another browser, and its password if valid."""
    form = ResetPasswordForm()
    return form, form.password.data if form.validate_on_submit() else None


def _ask_for_password(form: ResetPasswordForm):
    return render_template("auth/link_password.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    form, new_password = _password_for_link()
    try:
        account, just_now = registration.confirm_email(token, browser_mark(), new_password)
    except PasswordNeeded:
        return _ask_for_password(form)
    except tokens.TokenError as exc:
        return render_template("auth/token_error.html", message=str(exc), resend=True), 400
    if not just_now:
        flash("Адрес электропочты уже подтверждён. Войдите с вашим паролем.", "info")
        return redirect(url_for("auth.login"))
    _start_session(account)
    flash("Адрес электропочты подтверждён. Добро пожаловать в личный кабинет!", "success")
    return redirect(url_for("mydata.profile"))


@bp.route("/confirm/resend", methods=["GET", "POST"])
@mail_limit
def resend_confirmation():
    form = LoginOnlyForm()
    if form.validate_on_submit():
        account = lookup.find_by_login(form.login.data)
        browser = browser_mark(create=True)
        if account is not None and account.email_confirmed_at is None:
            registration.send_confirmation(account, browser)
        return render_template("auth/link_sent.html")
    return render_template("auth/resend.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/login", methods=["GET", "POST"])
@password_limit
def login():
    if current_user.is_authenticated:
        return redirect(url_for("payments.status"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            account = credentials.authenticate(form.login.data, form.password.data, request.remote_addr)
        except LoginThrottled as exc:
            form.password.errors.append(str(exc))
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(exc.seconds)}
        if account is None:
            form.password.errors.append("Неверный логин или пароль.")
        elif account.is_blocked:
            form.password.errors.append(
                "Учётная запись заблокирована правлением. Напишите через форму обратной связи."
            )
        elif account.email_confirmed_at is None:
            form.login.errors.append(
                "Адрес электропочты ещё не подтверждён: откройте ссылку из письма или запросите её снова."
            )
        else:
            _start_session(account, remember=form.remember.data)
            # What a member comes for: what to pay, by when (issue 13).
            return redirect(_local_next(url_for("payments.status")))
        return render_template("auth/login.html", form=form), 422
    return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200


@bp.post("/logout")
@login_required
def logout():
    credentials.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash("Вы вышли из личного кабинета.", "info")
    return redirect(url_for("public.index"))


@bp.route("/forgot", methods=["GET", "POST"])
@mail_limit
def forgot_password():
    form = LoginOnlyForm()
    if form.validate_on_submit():
        password_reset.request_password_reset(form.login.data)
        return render_template("auth/link_sent.html")
    return render_template("auth/forgot.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        password_reset.account_for_reset(token)
    except tokens.TokenError as exc:
        return render_template("auth/token_error.html", message=str(exc), reset=True), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        password_reset.reset_password(token, form.password.data)
        flash("Пароль изменён. Войдите с новым паролем.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
@password_limit
def reauthenticate():
    """The password again, before a change of how the member is reached (see recent_login_required)."""
    form = PasswordAgainForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            credentials.verify_password(current_user, form.password.data, request.remote_addr)
        except LoginThrottled as exc:
            form.password.errors.append(str(exc))
            status = 429
        except AuthError as exc:
            form.password.errors.append(str(exc))
        else:
            confirm_login()
            mark_login()
            return redirect(_local_next(url_for("mydata.profile")))
    return render_template("auth/reauthenticate.html", form=form), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
@password_limit
def account():
    """«Изменить электропочту или пароль». Each change asks for the current password itself."""
    email_form = ChangeEmailForm(prefix="email")
    password_form = ChangePasswordForm(prefix="pw")
    status = 422 if request.method == "POST" else 200
    if email_form.submit.data and email_form.validate_on_submit():
        try:
            email_change.request_email_change(
                current_user,
                email_form.current_password.data,
                email_form.email.data,
                browser_mark(create=True),
                request.remote_addr,
            )
        except AuthError as exc:
            field = email_form.current_password if isinstance(exc, LoginThrottled) else email_form.email
            field.errors.append(str(exc))
            status = 429 if isinstance(exc, LoginThrottled) else 422
        else:
            flash(
                f"На адрес {email_form.email.data.strip().lower()} отправлено письмо. Адрес изменится, "
                "когда вы откроете ссылку из него.",
                "success",
            )
            return redirect(url_for("auth.account"))
    elif password_form.submit.data and password_form.validate_on_submit():
        try:
            credentials.change_password(
                current_user,
                password_form.current_password.data,
                password_form.password.data,
                request.remote_addr,
            )
        except AuthError as exc:
            password_form.current_password.errors.append(str(exc))
            status = 429 if isinstance(exc, LoginThrottled) else 422
        else:
            _start_session(current_user._get_current_object())
            flash("Пароль изменён. На других устройствах нужно войти заново.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", email_form=email_form, password_form=password_form), status


@bp.route("/change-email/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    form, new_password = _password_for_link()
    try:
        account = email_change.confirm_email_change(token, browser_mark(), new_password)
    except PasswordNeeded:
        return _ask_for_password(form)
    except tokens.TokenError as exc:
        return render_template("auth/token_error.html", message=str(exc)), 400
    if new_password is not None:  # the holder of the new address set the password: log them in
        _start_session(account)
    flash("Новый адрес электропочты подтверждён.", "success")
    return redirect(url_for("mydata.profile") if current_user.is_authenticated else url_for("auth.login"))
