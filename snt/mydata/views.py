from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from snt.mydata import services
from snt.mydata.forms import ProfileForm
from snt.payments.services import member_total_due
from snt.plots import plot_sort_key
from snt.registry.access import plots_and_claims
from snt.registry.claims import ClaimError, account_claims
from snt.security import recent_login_required

bp = Blueprint("mydata", __name__)


@bp.before_request
@login_required
def _members_only() -> None:
    pass


@bp.route("/")
def profile():
    """The registration-data page, titled by the login plot number (the seed's «269»)."""
    plots, claims = plots_and_claims(current_user)
    return render_template(
        "mydata/profile.html",
        claims=claims,
        total=member_total_due(plots) if plots else None,
    )


@bp.route("/edit", methods=["GET", "POST"])
@recent_login_required
def edit():
    """«Изменить регистрационные данные»: holds the phone, so a recent login is required."""
    # On a POST the submitted values win over these.
    form = ProfileForm(
        data={
            "plots": ",".join(c.plot.number for c in account_claims(current_user) if c.status != "rejected"),
            "full_name": current_user.full_name,
            "contact_persons": current_user.contact_persons,
            "phone": current_user.phone,
            "sms_consent": current_user.sms_consent,
            "email_notices": current_user.email_notices,
        }
    )
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                sorted(form.plots.numbers, key=plot_sort_key),
                form.full_name.data or "",
                form.contact_persons.data or "",
                form.phone.data or "",
                form.sms_consent.data,
                email_notices=form.email_notices.data,
            )
        except ClaimError as exc:
            form.plots.errors.extend(exc.messages)
        else:
            flash("Данные сохранены.", "success")
            return redirect(url_for("mydata.profile"))
    status = 422 if form.is_submitted() else 200
    return render_template("mydata/edit.html", form=form), status
