"""The audit log: who did what and when. Every board action and shell command that changes
something calls `record` before its commit, so the entry and the change land together."""

from typing import Any

import click
from sqlalchemy import Select, insert, select

from snt.extensions import db
from snt.models import Account, AuditEntry

SHELL = "командная строка"  # the actor of the shell's entries: «командная строка: set-tariff»

# Russian names for the page.
ACTIONS = {
    "claim.approve": "Заявка на участок подтверждена",
    "claim.reject": "Заявка на участок отклонена",
    "account.create": "Учётная запись создана",
    "account.role": "Роль изменена",
    "account.block": "Учётная запись заблокирована",
    "account.unblock": "Учётная запись разблокирована",
    "account.resend": "Ссылка для подтверждения отправлена ещё раз",
    "account.release_login": "Участок освобождён от логина",
    "plot.edit": "Участок в реестре изменён",
    "person.create": "Владелец добавлен в реестр",
    "meeting.create": "Собрание создано",
    "meeting.edit": "Собрание изменено",
    "meeting.material": "Материалы собрания изменены",
    "meeting.notice": "Разослано уведомление о собрании",
    "meeting.board": "Уведомление размещено на щите",
    "meeting.rules": "Порядок голосования по вопросам изменён",
    "meeting.close": "Подсчёт голосов закрыт",
    "ballot.online": "Получен электронный бюллетень",
    "ballot.paper": "Внесён бумажный бюллетень",
    "ballot.void": "Запись бумажного бюллетеня аннулирована",
    "attendance.mark": "Отмечен присутствующий на собрании",
    "attendance.void": "Отметка о присутствии аннулирована",
    "hands.enter": "Внесено голосование поднятием рук",
    "hands.void": "Запись голосования поднятием рук аннулирована",
    "meeting.results": "Итоги собрания разосланы по электронной почте",
    "person.edit": "Владелец в реестре изменён",
    "announcement.create": "Объявление создано",
    "announcement.edit": "Объявление изменено",
    "announcement.publish": "Объявление опубликовано",
    "announcement.unpublish": "Объявление снято с публикации",
    "announcement.delete": "Объявление удалено",
    "page.edit": "Страница изменена",
    "document.upload": "Документ загружен",
    "document.edit": "Документ изменён",
    "document.delete": "Документ удалён",
    "message.reply": "Ответ на сообщение отправлен",
    "message.handled": "Сообщение отмечено обработанным",
    "message.reopened": "Сообщение снова ждёт ответа",
    "export.registry": "Выгружен реестр",
    "export.debtors": "Выгружен список должников",
    "import.plots": "Загружен реестр участков",
    "import.readings": "Загружены показания счётчиков",
    "import.payments": "Загружены оплаты",
    "payment.enter": "Оплата внесена казначеем",
    "payment.reverse": "Оплата сторнирована",
    "import.balances": "Загружены начальные остатки",
    "import.other_account": "Загружена выписка по другому счёту",
    "unmatched.assign": "Нераспознанный платёж отнесён на участок",
    "unmatched.foreign": "Платёж отмечен «не наш платёж»",
    "meter.replace": "Записана замена счётчика",
    "tariff.set": "Задан тариф",
    "fees.accrue": "Начислены взносы",
    "sms.send": "Разосланы SMS",
    "email.send": "Разосланы письма с показаниями",
    "export.receipts": "Выгружены квитанции",
    "requisites.edit": "Реквизиты для оплаты изменены",
    "settings.edit": "Настройка изменена",
    "readings.reject": "Переданные показания отклонены",
}


def record(
    action: str,
    by: Account | None,
    target: Any = None,
    label: str = "",
    details: str = "",
) -> AuditEntry:
    """Add an entry to the session (the caller commits). `by` None means the shell: the entry
    names the command it ran (without its options and arguments)."""
    entry = AuditEntry(**_values(action, by, target, label, details))
    db.session.add(entry)
    return entry


def record_row(action: str, by: Account | None, label: str = "", details: str = "") -> None:
    """`record` written at once through the table, without an AuditEntry object: for bulk units
    (snt/reports.py) that otherwise never touch an ORM object, whose first one configures every
    mapper (~0.1 s of CPU in a command)."""
    db.session.execute(insert(AuditEntry.__table__).values(**_values(action, by, None, label, details)))


def _values(action: str, by: Account | None, target: Any, label: str, details: str) -> dict[str, Any]:
    return {
        "actor_id": by.id if by else None,
        "actor": by.email if by else shell_actor(),
        "action": action,
        "object_type": target.__tablename__ if target is not None else "",
        "object_id": target.id if target is not None else None,
        "object_label": label[:200],
        "details": details,
    }


def shell_actor() -> str:
    """«командная строка: claims approve» inside a command, «командная строка» outside one."""
    ctx = click.get_current_context(silent=True)
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:  # the root is `flask` (or however it was run)
        names.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    command = " ".join(name for name in names if name)
    return f"{SHELL}: {command}"[:254] if command else SHELL


def source_words(actor: str) -> str:
    """Where an entry came from, in words: «из командной строки: set-tariff» or «из браузера»
    (every entry not by the shell was made by a signed-in account, on a page or by a job it started)."""
    return "из командной строки" + actor[len(SHELL) :] if is_shell(actor) else "из браузера"


def is_shell(actor: str) -> bool:
    return actor == SHELL or actor.startswith(f"{SHELL}: ")


def action_title(action: str) -> str:
    return ACTIONS.get(action, action)


def entries_query(action: str = "", actor: str = "") -> Select:
    """Newest first; optionally one action, or the actor's email containing `actor`."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor.contains(actor.strip().lower(), autoescape=True))
    return query
