"""What a monthly SMS run shows and leaves behind, the same in the shell and in the browser:
the lines of `send-sms --dry-run`, the fingerprint a confirmation is checked against, the audit
entry."""

import hashlib

from snt import audit
from snt.database import writes
from snt.models import Account
from snt.notices.services import Plan, Result
from snt.templating import ru_date


def title_line(run: Plan) -> str:
    return f"SMS за период {ru_date(run.start)} – {ru_date(run.end)} ({run.period})."


def reading_flag_lines(run: Plan) -> list[str]:
    """The reading checks of the period, as `flask check-readings` prints them."""
    if not run.reading_flags:
        return ["Проверка показаний: подозрительных нет."]
    return [f"Проверка показаний: подозрительных — {len(run.reading_flags)}."] + [
        f"  уч. {flag.plot_number}: {flag.reason}" for flag in run.reading_flags
    ]


def flagged_lines(run: Plan) -> list[str]:
    """The plots held back until their readings are checked."""
    if not run.flagged:
        return []
    return [
        f"Не отправляются, пока не проверены показания ({len(run.flagged)}): исправьте их "
        "(import-readings --replace) или, если они верны, отправьте с --include-flagged "
        "(в браузере — отметка «Отправить и участкам с подозрительными показаниями»)."
    ] + [f"  уч. {draft.plot.number}: {'; '.join(run.flags_of(draft))}" for draft in run.flagged]


def notes(run: Plan) -> dict[int, str]:
    """What a run would do with each draft that it does not send now."""
    found = {id(d): "уже отправлено" for d in run.already_sent}
    found.update({id(d): "отложено: состояние неизвестно" for d in run.held})
    found.update({id(d): "отложено: проверьте показания" for d in run.flagged})
    return found


def preview_lines(run: Plan) -> list[str]:
    """Every message with its phone, parts and length, what a run would do with it, and totals."""
    notes_of = notes(run)
    lines = []
    for draft in run.drafts:
        note = f" [{notes_of[id(draft)]}]" if id(draft) in notes_of else ""
        lines.append(
            f"уч. {draft.plot.number} → {draft.phone} ({draft.segments} SMS, {len(draft.text)} зн.){note}: {draft.text}"
        )
    lines.append(
        f"Сообщений: {len(run.drafts)}, частей SMS: {sum(d.segments for d in run.drafts)}. "
        f"Будет отправлено сейчас: {len(run.to_send)}, частей SMS: {sum(d.segments for d in run.to_send)}."
    )
    return lines


def fingerprint(run: Plan) -> str:
    """Changes whenever the messages a run would send now change (new readings, a sent message)."""
    items = [f"{d.plot.id}\t{d.phone}\t{d.text}" for d in run.to_send]
    return hashlib.sha256("\n".join([run.period, *items]).encode()).hexdigest()


@writes
def record(run: Plan, result: Result, by: Account | None, action: str = "sms.send") -> None:
    """The audit entry of a run (SMS, or `email.send`) that tried to send something."""
    parts = [f"отправлено {len(result.sent)} из {len(run.to_send)}"]
    for label, items in (
        ("не отправлено", result.failed),
        ("судьба неизвестна", result.unknown),
        ("отправляются другим запуском", result.taken),
    ):
        if items:
            parts.append(f"{label} {len(items)}")
    if result.stopped:
        parts.append(f"остановлено: {result.stopped}")
    what = "SMS" if action == "sms.send" else "Письма"
    audit.record(action, by, label=f"{what} за {run.period}", details="; ".join(parts))
