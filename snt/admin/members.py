"""Учётные записи: list, search, block / unblock, resend the confirmation, see the claims.

No page here shows a password hash or a session token.
"""

from flask import abort, flash, redirect, render_template, request, url_for

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.forms import ActionForm, RejectForm, RoleForm
from snt.auth import members as member_service
from snt.auth.accounts import change_role
from snt.auth.errors import AuthError
from snt.extensions import db
from snt.models import Account
from snt.registry import claims as claim_service


@bp.route("/members/")
def members():
    query = request.args.get("q", "")[:100]
    status = request.args.get("status", "")
    if status not in member_service.STATUS_FILTERS:
        status = ""
    return render_template(
        "admin/members.html",
        rows=member_service.find_accounts(query, status),
        query=query,
        status=status,
        status_filters=member_service.STATUS_FILTERS,
        role_titles=member_service.ROLE_TITLES,
    )


@bp.route("/members/<int:account_id>")
def member(account_id: int):
    account = db.get_or_404(Account, account_id)
    role_form = RoleForm(role=account.role)
    return render_template(
        "admin/member.html",
        account=account,
        claims=claim_service.account_claims(account),
        action_form=ActionForm(),
        reject_form=RejectForm(),
        role_form=role_form,
        role_titles=member_service.ROLE_TITLES,
        releasable=member_service.login_releasable(account),
        may_block=member_service.may_block(acting_account(), account),
    )


def _act(account_id: int, action):
    account = db.get_or_404(Account, account_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        message = action(account)
    except AuthError as exc:
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(url_for("admin.member", account_id=account.id))


@bp.post("/members/<int:account_id>/block")
def member_block(account_id: int):
    def block(account: Account) -> str:
        member_service.set_blocked(account, True, acting_account())
        return f"Учётная запись {account.login} заблокирована: войти нельзя, открытые сеансы завершены."

    return _act(account_id, block)


@bp.post("/members/<int:account_id>/unblock")
def member_unblock(account_id: int):
    def unblock(account: Account) -> str:
        member_service.set_blocked(account, False, acting_account())
        return f"Учётная запись {account.login} разблокирована."

    return _act(account_id, unblock)


@bp.post("/members/<int:account_id>/resend")
def member_resend(account_id: int):
    def resend(account: Account) -> str:
        member_service.resend_confirmation(account, acting_account())
        return f"Ссылка для подтверждения отправлена на {account.email}."

    return _act(account_id, resend)


@bp.post("/members/<int:account_id>/release-login")
def member_release_login(account_id: int):
    """A login plot held under an email that is not the registry's goes back to its owner."""

    def release(account: Account) -> str:
        number = account.login_plot.number if account.login_plot else ""
        mailed = member_service.release_login(account, request.form.get("plot", ""), acting_account())
        note = "" if mailed else f" Письмо на {account.email} не отправлено: почтовый сервер не ответил."
        return (
            f"Участок № {number} больше не логин учётной записи {account.email}: она входит по адресу "
            f"электропочты, а владелец участка может зарегистрироваться с этим номером.{note}"
        )

    return _act(account_id, release)


@bp.post("/members/<int:account_id>/role")
@treasurer_required
def member_role(account_id: int):
    """Roles are the treasurer's to give (as `flask set-role` in the shell)."""
    account = db.get_or_404(Account, account_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Выберите роль из списка.", "error")
    elif account.id == acting_account().id:
        flash("Свою роль сменить нельзя: попросите другого казначея.", "error")
    else:
        try:
            change_role(account, form.role.data, acting_account())
        except AuthError as exc:
            flash(str(exc), "error")
        else:
            title = member_service.ROLE_TITLES[account.role]
            flash(
                f"Роль {account.login}: {title}. Чтобы роль начала действовать, нужно войти заново.",
                "success",
            )
    return redirect(url_for("admin.member", account_id=account.id))
