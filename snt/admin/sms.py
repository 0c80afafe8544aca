"""Рассылка SMS: the month's messages previewed as a table (what `send-sms --dry-run` prints), then sent
once, by the worker (a job: snt/jobs). The confirmation starts the job only if the plan still
matches the preview, and `deliver` claims every message in the outbox before the gateway is called,
so a second click or tab, or a rerun of a job killed halfway, sends nothing twice."""

from flask import abort, current_app, redirect, render_template, request, url_for

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.treasurer_forms import EmailSendForm, SmsSendForm
from snt.jobs import queue
from snt.notices import report, services
from snt.notices.gateways import gateway_words, get_backend
from snt.notices.mail import plan_email

CHANGED = (
    "Список сообщений изменился после предпросмотра (например, рассылку уже запустили в другой вкладке "
    "или загрузили новые показания). Ничего не отправлено: проверьте новый список."
)


def _page(
    period: str | None,
    resend_unknown: bool,
    status: int = 200,
    problem: str = "",
    include_flagged: bool = False,
):
    run = None
    try:
        run = services.plan(
            services.parse_period(period), resend_unknown=resend_unknown, include_flagged=include_flagged
        )
    except services.SmsError as exc:
        problem, status = problem or str(exc), 422 if period else status
    form = None
    if run is not None and run.to_send:
        form = SmsSendForm(
            formdata=None,
            period=run.period,
            resend_unknown="1" if resend_unknown else "",
            include_flagged="1" if include_flagged else "",
            fingerprint=report.fingerprint(run),
        )
    emails, email_form = _emails(run.period if run else None, resend_unknown, include_flagged)
    try:
        backend = get_backend(current_app.config, current_app.instance_path)
    except ValueError:  # the shell names the setting; the page says it in words (gateway below)
        backend = None
    return render_template(
        "admin/sms.html",
        run=run,
        title=report.title_line(run) if run else "",
        table=report.preview_table(run) if run else None,
        flagged=report.flagged_lines(run, shell=False) if run else [],
        form=form,
        period=period or (run.period if run else ""),
        resend_unknown=resend_unknown,
        include_flagged=include_flagged,
        gateway=gateway_words(current_app.config),
        gateway_ok=backend is not None and current_app.config.get("SMS_BACKEND", "console") != "console",
        problem=problem,
        emails=emails,
        email_form=email_form,
    ), status


def _emails(period: str | None, resend_unknown: bool, include_flagged: bool):
    """The month's emails beside its SMS: the plan and, when there is something to send, the form
    that starts the send as a job."""
    if period is None:
        return None, None
    try:
        run = plan_email(period, resend_unknown=resend_unknown, include_flagged=include_flagged)
    except services.SmsError:
        return None, None
    form = None
    if run.to_send:
        form = EmailSendForm(
            formdata=None,
            period=run.period,
            resend_unknown="1" if resend_unknown else "",
            include_flagged="1" if include_flagged else "",
            fingerprint=report.fingerprint(run),
        )
    return run, form


@bp.get("/sms/")
@treasurer_required
def sms():
    period = request.args.get("period", "").strip()[:20] or None
    return _page(
        period,
        request.args.get("resend_unknown") == "1",
        include_flagged=request.args.get("include_flagged") == "1",
    )


def _sms_plan(period: str, resend_unknown: bool, include_flagged: bool):
    """The SMS plan, refused in words when the gateway is set up wrongly (the shell names the setting)."""
    run = services.plan(
        services.parse_period(period), resend_unknown=resend_unknown, include_flagged=include_flagged
    )
    try:
        get_backend(current_app.config, current_app.instance_path)
    except ValueError:
        raise services.SmsError(gateway_words(current_app.config)) from None
    return run


def _email_plan(period: str, resend_unknown: bool, include_flagged: bool):
    return plan_email(period, resend_unknown=resend_unknown, include_flagged=include_flagged)


def _start(kind: str, form: SmsSendForm | EmailSendForm, plan):
    """Start the `kind` job for the previewed plan, only if the plan still matches the preview."""
    if not form.validate_on_submit():
        return _page(None, False, 422, problem=" ".join(form.period.errors or form.fingerprint.errors))
    resend_unknown = form.resend_unknown.data == "1"
    include_flagged = form.include_flagged.data == "1"
    try:
        run = plan(form.period.data, resend_unknown, include_flagged)
    except services.SmsError as exc:
        return _page(form.period.data, resend_unknown, 422, problem=str(exc), include_flagged=include_flagged)
    if report.fingerprint(run) != form.fingerprint.data:
        return _page(form.period.data, resend_unknown, 409, problem=CHANGED, include_flagged=include_flagged)
    params = {"period": run.period, "resend_unknown": resend_unknown, "include_flagged": include_flagged}
    job = queue.submit(kind, params, acting_account())
    return redirect(url_for("admin.job", job_id=job.id)) if job else abort(409)


@bp.post("/sms/send")
@treasurer_required
def sms_send():
    """The month's SMS, sent by the worker (a job)."""
    return _start("sms", SmsSendForm(), _sms_plan)


@bp.post("/sms/email")
@treasurer_required
def email_send():
    """The month's emails to every member who chose them, sent by the worker (a job)."""
    return _start("email", EmailSendForm(), _email_plan)
