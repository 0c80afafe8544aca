"""The proof that every owner was told: the delivery log («Журнал уведомлений») as a page, XLSX
and PDF, the A4 large-print notice for the information board, the list for letters, and the
photo of the notice on the board."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from snt.extensions import db
from snt.meetings import services
from snt.meetings.notice import owners
from snt.models import Meeting, MeetingNotice, Person
from snt.payments.receipt import _new_pdf
from snt.registry.exports import Table
from snt.templating import ru_date

if TYPE_CHECKING:
    from fpdf import FPDF  # imported by _new_pdf when a PDF is made: fpdf is slow to import

STATUS_TITLES = {
    MeetingNotice.SENT: "отправлено",
    MeetingNotice.FAILED: "не отправлено",
    MeetingNotice.UNKNOWN: "неизвестно (связь прервалась)",
    MeetingNotice.PENDING: "отправляется или прервано",
    MeetingNotice.LISTED: "в списке для писем",
}
PHOTO_KINDS = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024


class PhotoError(ValueError):
    """A Russian message for the board."""


@dataclass
class LogLine:
    person: str
    plots: str
    channel: str
    address: str
    status: str
    at: str  # local time of the last change, «23.11.2026 20:05»
    answer: str  # the mail server's or gateway's answer, or our error
    attempts: int


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(services.clock.zone()).strftime("%d.%m.%Y %H:%M")


def log_lines(meeting: Meeting) -> list[LogLine]:
    """Every row of the meeting's notice, owner by owner (natural order of their plots)."""
    rows = list(
        db.session.scalars(
            select(MeetingNotice).where(
                MeetingNotice.meeting_id == meeting.id, MeetingNotice.channel != MeetingNotice.RESULTS
            )
        )
    )
    order = {p.id: n for n, p in enumerate(owners())}
    rows.sort(key=lambda r: (order.get(r.person_id or 0, len(order)), r.person_name, r.channel))
    lines = []
    for r in rows:
        if r.status == MeetingNotice.SENT:
            answer = "принято почтовым сервером" if r.channel == MeetingNotice.EMAIL else "принято шлюзом"
            answer += f" ({r.gateway_id})" if r.gateway_id else ""
        else:
            answer = r.error or (
                "почтовый адрес не указан в реестре" if r.channel == "post" and not r.address else ""
            )
        lines.append(
            LogLine(
                person=r.person_name or "—",
                plots=r.plots,
                channel=r.channel_title,
                address=r.address or "—",
                status=STATUS_TITLES.get(r.status, r.status),
                at=_local(r.sent_at or r.updated_at),
                answer=answer,
                attempts=r.attempts,
            )
        )
    return lines


HEADER = ["Владелец", "Участки", "Канал", "Адрес", "Состояние", "Время", "Ответ сервера", "Попыток"]


def log_table(meeting: Meeting) -> Table:
    rows = [
        [x.person, x.plots, x.channel, x.address, x.status, x.at, x.answer, x.attempts]
        for x in log_lines(meeting)
    ]
    return Table(title="Журнал уведомлений", header=HEADER, rows=rows)


def summary_lines(meeting: Meeting) -> list[str]:
    """The channels that are not per owner: the site and the information board."""
    lines = [f"Собрание {meeting.form_phrase}: {services.when_text(meeting)}."]
    if meeting.notice_started_at:
        lines.append(f"Уведомление начато: {_local(meeting.notice_started_at)}.")
    if meeting.announcement and meeting.announcement.published_at:
        lines.append(
            f"Объявление на сайте: опубликовано {_local(meeting.announcement.published_at)}, "
            f"закреплено до {ru_date(meeting.held_on)}."
        )
    if meeting.board_posted_on:
        lines.append(
            f"Информационный щит: размещено {meeting.board_posted_on:%d.%m.%Y}"
            + (", фото приложено." if meeting.board_photo else ".")
        )
    else:
        lines.append("Информационный щит: размещение не отмечено.")
    return lines


def log_pdf(meeting: Meeting) -> bytes:
    """The log for the protocol: landscape A4, every owner's line, the site and the board."""
    pdf = _new_pdf()
    pdf.add_page(orientation="L")
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(
        0,
        7,
        f"{current_app.config['NAME']}: журнал уведомлений об общем собрании",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 9)
    for line in summary_lines(meeting):
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = [45, 18, 32, 52, 34, 28, 50, 15]
    pdf.set_font("DejaVu", "B", 8)
    for title, width in zip(HEADER, widths, strict=True):
        pdf.cell(width, 6, title, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", "", 7)
    for x in log_lines(meeting):
        cells = [x.person, x.plots, x.channel, x.address, x.status, x.at, x.answer, str(x.attempts)]
        _row(pdf, cells, widths)
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 5, f"Сформировано {_local(services.clock.utcnow())}.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _line_count(pdf: "FPDF", text: str, width: int) -> int:
    wrapped = pdf.multi_cell(width, 4, text, dry_run=True, output="LINES")
    return len(wrapped) if isinstance(wrapped, list) else 1


def _row(pdf: "FPDF", cells: list[str], widths: list[int], orientation: str = "L") -> None:
    """A table row whose cells wrap; all cells as tall as the tallest."""
    lines = [_line_count(pdf, text, w) for text, w in zip(cells, widths, strict=True)]
    height = 4 * max([*lines, 1])
    if pdf.get_y() + height > pdf.h - 15:
        pdf.add_page(orientation=orientation)
    top, left = pdf.get_y(), pdf.l_margin
    x = left
    for text, width in zip(cells, widths, strict=True):
        pdf.rect(x, top, width, height)
        pdf.set_xy(x, top)
        pdf.multi_cell(width, 4, text)
        x += width
    pdf.set_xy(left, top + height)


def board_pdf(meeting: Meeting) -> bytes:
    """The A4 notice for the information board, in large print, with the place to record
    «размещено на щите»."""
    pdf = _new_pdf()
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 26)
    pdf.multi_cell(0, 12, "УВЕДОМЛЕНИЕ\nоб общем собрании", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 16)
    pdf.multi_cell(0, 8, current_app.config["NAME"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, f"Форма: {meeting.form_title} собрание", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        9,
        services.when_text(meeting)[:1].upper() + services.when_text(meeting)[1:],
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 10, "Повестка дня:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 16)
    for n, question in enumerate(meeting.questions, start=1):
        pdf.multi_cell(0, 8, f"{n}. {question}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 13)
    pdf.multi_cell(
        0,
        6,
        "С проектами документов и материалами можно ознакомиться в личном кабинете на сайте "
        "товарищества (раздел «Собрания») и у правления.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(
        0,
        8,
        "Размещено на щите: «____» ______________ 20___ г.\nПодпись члена правления: ____________________",
        border=1,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def letters(meeting: Meeting) -> list[Person]:
    """Owners without an email: the letters the board posts (names and postal addresses)."""
    return [p for p in owners() if not p.email]


LETTERS_HEADER = ["№", "ФИО", "Участки", "Почтовый адрес"]


def letters_pdf(meeting: Meeting) -> bytes:
    """The list for letters on A4 (portrait), the same font as the board's notice: every owner
    without an email, their plots and postal address (or that the registry lacks it)."""
    pdf = _new_pdf()
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(
        0,
        7,
        f"{current_app.config['NAME']}: владельцы без электропочты — письма об общем собрании "
        f"{ru_date(meeting.held_on)}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 10)
    people = letters(meeting)
    pdf.multi_cell(
        0, 5, f"{services.when_text(meeting)}. Владельцев: {len(people)}.", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    widths = [10, 60, 25, 95]
    pdf.set_font("DejaVu", "B", 9)
    for title, width in zip(LETTERS_HEADER, widths, strict=True):
        pdf.cell(width, 6, title, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", "", 9)
    for n, person in enumerate(people, start=1):
        cells = [
            str(n),
            person.full_name or "—",
            ", ".join(p.number for p in person.plots),
            person.postal_address or "не указан — дополните реестр",
        ]
        _row(pdf, cells, widths, orientation="P")
    if not people:
        pdf.multi_cell(0, 6, "У всех владельцев есть электропочта: писем по почте не нужно.")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 5, f"Сформировано {_local(services.clock.utcnow())}.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def photo_folder() -> Path:
    path = Path(current_app.instance_path) / "meetings"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_photo(data: bytes) -> str:
    """Store a JPEG or PNG photo of the board; returns its generated name. PhotoError otherwise."""
    if not data:
        raise PhotoError("Файл пустой.")
    if len(data) > PHOTO_MAX_BYTES:
        raise PhotoError("Фото больше 10 МБ: уменьшите его.")
    extension = next((ext for magic, ext in PHOTO_KINDS.items() if data.startswith(magic)), None)
    if extension is None:
        raise PhotoError("Нужна фотография в формате JPEG или PNG.")
    name = secrets.token_hex(16) + extension
    (photo_folder() / name).write_bytes(data)
    return name
