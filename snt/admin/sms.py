"""Рассылка SMS: the month's messages previewed as `send-sms --dry-run` prints them, then sent
once. The confirmation sends only if the plan still matches the preview, and `deliver` claims
every message in the outbox before the gateway is called, so a second click or tab sends nothing
twice."""

from flask import current_app, render_template, request

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.treasurer_forms import SmsSendForm
from snt.notices import report, services
from snt.notices.gateways import get_backend

CHANGED = (
    "Список сообщений изменился после предпросмотра (например, рассылку уже запустили в другой вкладке "
    "или загрузили новые показания). Ничего не отправлено: проверьте новый список."
)


def _page(
    period: str | None,
    resend_unknown: bool,
    status: int = 200,
    problem: str = "",
    result=None,
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
    try:
        backend = get_backend(current_app.config, current_app.instance_path)
    except ValueError as exc:
        backend, problem = None, problem or str(exc)
    return render_template(
        "admin/sms.html",
        run=run,
        title=report.title_line(run) if run else "",
        lines=(report.reading_flag_lines(run) + report.preview_lines(run)) if run else [],
        flagged=report.flagged_lines(run) if run else [],
        form=form,
        period=period or (run.period if run else ""),
        resend_unknown=resend_unknown,
        include_flagged=include_flagged,
        console=backend is not None and current_app.config.get("SMS_BACKEND", "console") == "console",
        problem=problem,
        result=result,
    ), status


@bp.get("/sms/")
@treasurer_required
def sms():
    period = request.args.get("period", "").strip()[:20] or None
    return _page(
        period,
        request.args.get("resend_unknown") == "1",
        include_flagged=request.args.get("include_flagged") == "1",
    )


@bp.post("/sms/send")
@treasurer_required
def sms_send():
    form = SmsSendForm()
    if not form.validate_on_submit():
        return _page(None, False, 422, problem=" ".join(form.period.errors or form.fingerprint.errors))
    resend_unknown = form.resend_unknown.data == "1"
    include_flagged = form.include_flagged.data == "1"
    try:
        run = services.plan(
            services.parse_period(form.period.data),
            resend_unknown=resend_unknown,
            include_flagged=include_flagged,
        )
        backend = get_backend(current_app.config, current_app.instance_path)
    except (services.SmsError, ValueError) as exc:
        return _page(form.period.data, resend_unknown, 422, problem=str(exc), include_flagged=include_flagged)
    if report.fingerprint(run) != form.fingerprint.data:
        return _page(form.period.data, resend_unknown, 409, problem=CHANGED, include_flagged=include_flagged)
    result = services.deliver(run, backend)
    report.record(run, result, acting_account())
    return _page(run.period, False, result=(run, result))
