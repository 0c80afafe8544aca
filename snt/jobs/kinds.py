"""The work of each kind of job, run by the worker (snt/jobs/queue.py) in an app context that
reads like a request: reads never take the write lock, each write is its own short unit.

Every kind is safe to run again after the worker was killed: the sends claim each message in the
outbox before the gateway is called (snt/notices/services.py), so a rerun sends the rest and
nobody twice; an upload is imported in one write unit that also spends its token, so it is either
all written or not at all; the receipts are simply rebuilt.
"""

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import current_app

from snt.extensions import db
from snt.imports import staging
from snt.jobs import records
from snt.meetings import notice, papers, results
from snt.models import Account, Meeting
from snt.notices import report, services
from snt.notices.gateways import get_backend
from snt.notices.mail import deliver_email, plan_email
from snt.payments.receipt import debtors_receipts_download, receipt_plots
from snt.reports import report_table

log = logging.getLogger(__name__)

CRASHED = (
    "Внутренняя ошибка: задача остановлена. Запустите её снова; если ошибка повторится, "
    "сообщите администратору сайта (подробности — в журнале сервера)."
)


class Counter:
    """A progress callback (`progress(1)` per item) that stores n/N in the job's row, at most
    about fifty times per job so that progress never competes with the work for the write lock."""

    def __init__(self, job_id: int, total: int):
        self.job_id, self.total, self.done = job_id, total, 0
        self.step = max(1, total // 50)
        records.progress(job_id, 0, total)

    def __call__(self, count: int) -> None:
        self.done += count
        if self.done % self.step == 0 or self.done >= self.total:
            records.progress(self.job_id, self.done, self.total)


def run(job_id: int) -> None:
    """Run the job `job_id` to its end, recording its state; never raises for the job's own errors."""
    job = records.started(job_id)
    kind, params = job.kind, records.params(job)
    by = db.session.get(Account, job.account_id) if job.account_id else None
    try:
        KINDS[kind](job_id, params, by)
    except (staging.StagingError, services.SmsError, ValueError) as exc:  # Russian, for the board
        records.failed(job_id, str(exc))
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        records.failed(job_id, CRASHED)


def receipts(job_id: int, params: dict[str, Any], by: Account | None) -> None:
    plot_ids = receipt_plots()
    name = f"{job_id}.pdf"
    count = debtors_receipts_download(by, records.folder() / name, Counter(job_id, len(plot_ids)), plot_ids)
    for older in records.folder().glob("*.pdf"):  # owners' names and debts: keep only the newest
        if older.name != name:
            older.unlink(missing_ok=True)
    records.finished(job_id, [f"Квитанций: {count}."], result_file=name)


def sms(job_id: int, params: dict[str, Any], by: Account | None) -> None:
    run_ = services.plan(
        services.parse_period(params["period"]),
        resend_unknown=params.get("resend_unknown", False),
        include_flagged=params.get("include_flagged", False),
    )
    backend = get_backend(current_app.config, current_app.instance_path)
    _send(job_id, run_, lambda progress: services.deliver(run_, backend, progress), by, "sms.send")


def email(job_id: int, params: dict[str, Any], by: Account | None) -> None:
    run_ = plan_email(
        services.parse_period(params["period"]),
        resend_unknown=params.get("resend_unknown", False),
        include_flagged=params.get("include_flagged", False),
    )
    _send(job_id, run_, lambda progress: deliver_email(run_, progress), by, "email.send")


def _send(
    job_id: int,
    run_: services.Plan,
    deliver: Callable[[Callable[[int], None]], services.Result],
    by: Account | None,
    action: str,
) -> None:
    """A month's send planned now: after a rerun the plan no longer holds what was sent."""
    before = []
    if run_.already_sent:
        before.append(f"Уже отправлены раньше и не повторяются: {len(run_.already_sent)}.")
    if run_.held:
        before.append(
            f"Не отправляются повторно ({len(run_.held)}): прошлый запуск прервался, судьба сообщений "
            "неизвестна. Если они не дошли — отправьте с отметкой «Отправить и сообщения, судьба которых неизвестна»."
        )
    if not run_.to_send:
        records.finished(job_id, [*before, "Отправлять нечего."])
        return
    result = deliver(Counter(job_id, len(run_.to_send)))
    report.record(run_, result, by, action=action)
    where = (
        "Проверьте в личном кабинете шлюза" if action == "sms.send" else "Проверьте журнал почтового сервера"
    )
    table = report.result_table(run_, result, where)  # its summary: the lines, its rows: a table
    lines = [*before, *table.summary]
    records.finished(job_id, lines, ok=not report.trouble(result), table=replace(table, summary=[]))


def meeting_notice(job_id: int, params: dict[str, Any], by: Account | None) -> None:
    """A general meeting's notice (snt.meetings.notice): started in the request when the board
    clicked, sent here; a rerun sends only what is left (the outbox rows)."""
    meeting = db.session.get(Meeting, params["meeting_id"])
    if meeting is None:
        raise notice.NoticeError("Собрание удалено: рассылать нечего.")
    resend_unknown = params.get("resend_unknown", False)
    plan = notice.plan_notice(meeting, resend_unknown)
    sms = params.get("sms", False) or meeting.notice_sms
    total = len(plan.email.to_send) + (len(plan.sms.to_send) if sms else 0)
    result = notice.send_notice(
        meeting,
        by,
        sms=params.get("sms", False),
        resend_unknown=resend_unknown,
        progress=Counter(job_id, total),
    )
    before = []
    if plan.email.already_sent:
        before.append(f"Уже отправлены раньше и не повторяются: {len(plan.email.already_sent)}.")
    if plan.email.held:
        before.append(
            f"Не отправляются повторно ({len(plan.email.held)}): прошлый запуск прервался, письма могли дойти. "
            "Решите на странице собрания («Могли не дойти»)."
        )
    trouble = bool(result.email.stopped or result.email.failed or result.email.unknown)
    records.finished(job_id, [*before, *notice.result_lines(result)], ok=not trouble)


def meeting_results(job_id: int, params: dict[str, Any], by: Account | None) -> None:
    """The results of a closed count by email to every owner with an email (snt.meetings.results);
    a rerun sends only to those who have not had them."""
    meeting = db.session.get(Meeting, params["meeting_id"])
    if meeting is None:
        raise notice.NoticeError("Собрание удалено: рассылать нечего.")
    plan = results.plan_results(meeting)
    batch, result = results.send_results(meeting, by, progress=Counter(job_id, len(plan.to_send)))
    trouble = bool(result.stopped or result.failed or result.unknown)
    records.finished(job_id, results.result_lines(batch, result), ok=not trouble)


def meeting_ballots(job_id: int, params: dict[str, Any], by: Account | None) -> None:
    """The personalised paper ballots (snt.meetings.papers), one page per owner: names and plots,
    so only the newest file is kept; a rerun simply makes it again."""
    meeting = db.session.get(Meeting, params["meeting_id"])
    if meeting is None:
        raise notice.NoticeError("Собрание удалено: бюллетени не нужны.")
    people = len(notice.owners())
    pdf = papers.ballots_pdf(meeting, Counter(job_id, people))
    folder = records.folder() / "ballots"
    folder.mkdir(exist_ok=True)
    (folder / f"{job_id}.pdf").write_bytes(pdf)
    for older in folder.glob("*.pdf"):
        if older.name != f"{job_id}.pdf":
            older.unlink(missing_ok=True)
    records.finished(job_id, [f"Бюллетеней: {people}."], result_file=f"ballots/{job_id}.pdf")


def upload(job_id: int, params: dict[str, Any], by: Account | None) -> None:
    """A confirmed upload: the whole file is checked first without the write lock (a dry run of the
    very file previewed), then imported in one write unit that rechecks it and spends the token."""
    if by is None:
        raise staging.StagingError("Учётная запись, загрузившая файл, удалена: загрузите файл снова.")
    check = staging.check_staged(params["token"], by)
    if not check.ok:
        head = staging.CHANGED_SINCE_PREVIEW
        records.finished(job_id, [head], ok=False, table=report_table(check))
        return
    result = staging.confirm(params["token"], by)
    if result.written:
        head = "Файл загружен в базу."
    elif not result.ok:
        head = staging.CHANGED_SINCE_PREVIEW
    else:
        head = "Ничего не записано: всё это уже есть в базе."
    records.finished(job_id, [head], ok=result.ok, table=report_table(result))


KINDS: dict[str, Callable[[int, dict[str, Any], Account | None], None]] = {
    "receipts": receipts,
    "sms": sms,
    "email": email,
    "import": upload,
    "meeting_notice": meeting_notice,
    "meeting_results": meeting_results,
    "meeting_ballots": meeting_ballots,
}
# Any board member may follow these; the rest are the treasurer's.
BOARD_KINDS = {"meeting_notice", "meeting_results", "meeting_ballots"}
TITLES = {
    "receipts": "Квитанции всем должникам (PDF)",
    "sms": "SMS за месяц",
    "email": "Письма за месяц",
    "import": "Загрузка файла",
    "meeting_notice": "Уведомление об общем собрании",
    "meeting_results": "Итоги общего собрания по электронной почте",
    "meeting_ballots": "Бюллетени собрания для печати (PDF, именные)",
}
