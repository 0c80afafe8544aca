"""What a monthly SMS run shows and leaves behind, the same in the shell and in the browser:
the lines of `send-sms --dry-run`, the fingerprint a confirmation is checked against, the audit
entry."""

import hashlib
from decimal import Decimal
from typing import Any

from snt import audit
from snt.database import writes
from snt.models import Account
from snt.money import format_money
from snt.notices.services import Plan, Result
from snt.reports import ReportTable, TableRow, table_of
from snt.settings import setting
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


def flagged_lines(run: Plan, shell: bool = True) -> list[str]:
    """The plots held back until their readings are checked (shell=False: in the browser's words)."""
    if not run.flagged:
        return []
    fix, send = (
        ("import-readings --replace", "--include-flagged")
        if shell
        else (
            "загрузите их с заменой уже загруженных",
            "отметкой «Отправить и участкам с подозрительными показаниями»",
        )
    )
    return [
        f"Не отправляются, пока не проверены показания ({len(run.flagged)}): исправьте их "
        f"({fix}) или, если они верны, отправьте с {send}."
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
    return lines + totals_lines(run)


# The kinds of rows of the browser's tables of a run: the word of the «Что» column, the count's forms.
PREVIEW_KINDS = {
    "warning": ("подозрительное показание", ("подозрительное показание", "подозрительных показания", "подозрительных показаний")),
    "held": ("отложено: судьба неизвестна", ("сообщение с неизвестной судьбой", "сообщения с неизвестной судьбой", "сообщений с неизвестной судьбой")),
    "flagged": ("отложено: проверьте показания", ("отложенное сообщение", "отложенных сообщения", "отложенных сообщений")),
    "send": ("будет отправлено", ("сообщение к отправке", "сообщения к отправке", "сообщений к отправке")),
    "sent": ("уже отправлено", ("уже отправленное сообщение", "уже отправленных сообщения", "уже отправленных сообщений")),
}  # fmt: skip
RESULT_KINDS = {
    "error": ("не отправлено", ("неотправленное сообщение", "неотправленных сообщения", "неотправленных сообщений")),
    "warning": ("судьба неизвестна", ("сообщение с неизвестной судьбой", "сообщения с неизвестной судьбой", "сообщений с неизвестной судьбой")),
    "taken": ("отправляется другим запуском", ("сообщение другого запуска", "сообщения другого запуска", "сообщений другого запуска")),
    "sent": ("отправлено", ("отправленное сообщение", "отправленных сообщения", "отправленных сообщений")),
}  # fmt: skip


def _row(kinds: dict, kind: str, draft: Any, text: str, sep: str = ": ") -> TableRow:
    return TableRow(kind, kinds[kind][0], None, draft.plot.number, f"{draft.address}{sep}{text}")


def preview_table(run: Plan) -> ReportTable:
    """The same preview as `preview_lines` and `reading_flag_lines`, as the browser's table."""
    rows = [
        TableRow("warning", PREVIEW_KINDS["warning"][0], None, flag.plot_number, flag.reason)
        for flag in run.reading_flags
    ]
    kind_of = {id(d): "sent" for d in run.already_sent}
    kind_of.update({id(d): "held" for d in run.held})
    kind_of.update({id(d): "flagged" for d in run.flagged})
    for draft in run.drafts:
        about = f"({draft.segments} SMS, {len(draft.text)} зн.): {draft.text}"  # as the shell says it
        rows.append(_row(PREVIEW_KINDS, kind_of.get(id(draft), "send"), draft, about, sep=" "))
    summary = [] if run.reading_flags else reading_flag_lines(run)
    return table_of(rows, summary + totals_lines(run), max_rows=10**6, kinds=PREVIEW_KINDS)


def result_table(run: Plan, result: Result, check_where: str) -> ReportTable:
    """What a send did, as the job's page shows it (the shell prints `result_lines`)."""
    resend = "с отметкой «Отправить и сообщения, судьба которых неизвестна»"
    rows = [
        _row(RESULT_KINDS, "error", d, f"{error}. Повторный запуск отправит его.")
        for d, error in result.failed
    ]
    rows += [
        _row(
            RESULT_KINDS,
            "warning",
            d,
            f"{error}. {check_where}; повторный запуск его не отправит (только {resend}).",
        )
        for d, error in result.unknown
    ]
    rows += [_row(RESULT_KINDS, "taken", d, "отправляется другим запуском") for d in result.taken]
    rows += [_row(RESULT_KINDS, "sent", d, "отправлено") for d in result.sent]
    summary = [
        line for line in result_lines(run, result, check_where, shell=False) if not line.startswith("  ")
    ]
    return table_of(rows, summary, max_rows=10**6, kinds=RESULT_KINDS)


def totals_lines(run: Plan) -> list[str]:
    """The number of messages and SMS parts, now and in all, and what sending them costs."""
    lines = []
    lines.append(
        f"Сообщений: {len(run.drafts)}, частей SMS: {sum(d.segments for d in run.drafts)}. "
        f"Будет отправлено сейчас: {len(run.to_send)}, частей SMS: {sum(d.segments for d in run.to_send)}."
    )
    lines.append(cost_line(sum(d.segments for d in run.to_send)))
    return lines


def cost_line(parts: int) -> str:
    """What the run costs at the board's price per part («Настройки»)."""
    price = Decimal(str(setting("sms_part_price")))
    if not price:
        return "Стоимость: цена одной части SMS не задана (Администрирование → Настройки)."
    return f"Стоимость отправки: {parts} × {format_money(price)} ₽ = {format_money(price * parts)} ₽."


def fingerprint(run: Plan) -> str:
    """Changes whenever the messages a run would send now change (new readings, a sent message);
    for an email run (EmailDraft), its addresses and sentences."""
    items = [
        "\t".join(str(getattr(d, name, "")) for name in ("phone", "text", "email", "sentence"))
        + f"\t{d.plot.id}"
        for d in run.to_send
    ]
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


def result_lines(run: Plan, result: Result, check_where: str, shell: bool = True) -> list[str]:
    """What a send did, line by line: the shell prints these, the job's page shows them (`shell`
    False: the hints name the page's checkbox and button instead of the command's option)."""
    resend = "--resend-unknown" if shell else "с отметкой «Отправить и сообщения, судьба которых неизвестна»"
    later = "запустите команду позже" if shell else "отправьте их позже с этой страницы"
    lines = [f"Отправлено: {len(result.sent)} из {len(run.to_send)}."]
    if result.taken:
        lines.append(f"Уже отправляются другим запуском и здесь пропущены: {len(result.taken)}.")
    for draft, error in result.failed:
        lines.append(
            f"  НЕ ОТПРАВЛЕНО уч. {draft.plot.number} ({draft.address}): {error}. Повторный запуск отправит его."
        )
    for draft, error in result.unknown:
        lines.append(
            f"  НЕИЗВЕСТНО уч. {draft.plot.number} ({draft.address}): {error}. {check_where}; повторный "
            f"запуск его не отправит (только {resend})."
        )
    if result.stopped:
        done = len(result.sent) + len(result.failed) + len(result.unknown) + len(result.taken)
        lines.append(
            f"Отправка остановлена: {result.stopped}. Не отправлено ещё {len(run.to_send) - done}; {later}."
        )
    return lines


def trouble(result: Result) -> bool:
    return bool(result.failed or result.unknown or result.stopped)
