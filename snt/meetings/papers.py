"""The personalised paper ballots for every owner, one page each (fpdf is imported by _new_pdf
when a PDF is made)."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import current_app

from snt.meetings import ballots as ballot_service
from snt.meetings import rules
from snt.meetings.notice import owners
from snt.models import Meeting, Person
from snt.payments.receipt import _new_pdf

if TYPE_CHECKING:
    from fpdf import FPDF


def _text(
    pdf: "FPDF", size: int, text: str, bold: bool = False, height: float = 5.5, align: str = "L"
) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    write_line(pdf, text, height, align)


def write_line(pdf: "FPDF", text: str, height: float, align: str = "L") -> None:
    """A paragraph at the margin. fpdf's multi_cell measures the text once per character while it
    breaks lines (≈10 ms a line, 7 s for 50 ballots), so a line that fits goes through cell()."""
    for part in text.split("\n"):
        if pdf.get_string_width(part) <= pdf.epw:
            pdf.cell(0, height, part, align=align, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, height, part, align=align, new_x="LMARGIN", new_y="NEXT")


def ballots_pdf(meeting: Meeting, progress: Callable[[int], None] | None = None) -> bytes:
    """One page per owner: the person, their plots, the questions they vote on with the boxes
    «за / против / воздержался», and the place to sign. Made by a job (snt/jobs/kinds.py
    `meeting_ballots`): about 3 s for 50 owners on a busy two-core machine."""
    pdf = _new_pdf()
    questions = rules.questions(meeting)
    for person in owners():
        _ballot_page(pdf, meeting, person, questions)
        if progress:
            progress(1)
    return bytes(pdf.output())


def _ballot_page(pdf: "FPDF", meeting: Meeting, person: Person, questions: list[rules.Question]) -> None:
    pdf.add_page()
    _text(pdf, 14, "БЮЛЛЕТЕНЬ\nдля голосования на общем собрании", bold=True, height=7, align="C")
    _text(pdf, 11, current_app.config["NAME"], align="C")
    pdf.ln(2)
    _text(
        pdf,
        10,
        f"Форма собрания: {meeting.form_title}. Бюллетени принимаются до {ballot_service.deadline_text(meeting)}.",
    )
    _text(pdf, 11, f"Собственник: {person.full_name}", bold=True)
    _text(
        pdf,
        10,
        f"Участки: {', '.join(p.number for p in person.plots)}. "
        + ("Член товарищества." if person.is_member else "Без членства в товариществе (ст. 5 217-ФЗ)."),
    )
    pdf.ln(2)
    _text(
        pdf,
        9,
        "Отметьте в каждом вопросе один вариант.\n"
        "Вопрос, в котором отмечено несколько вариантов или ни одного, считается незаполненным.",
    )
    pdf.ln(1)
    skipped = []
    for question in questions:
        if not ballot_service.votes_on(person, question):
            skipped.append(str(question.number))
            continue
        _text(pdf, 10, f"{question.number}. {question.text}", bold=True, height=5)
        _text(pdf, 8, f"Решение: {question.rule_title}; голосуют {question.voters_title}.", height=4)
        pdf.set_font("DejaVu", "", 10)
        for title in ("за", "против", "воздержался"):
            pdf.cell(6, 6, "", border=1)
            pdf.cell(38, 6, f" {title}")
        pdf.ln(9)
    if skipped:
        _text(pdf, 8, f"Вопросы № {', '.join(skipped)} решают только члены товарищества.", height=4)
    pdf.ln(6)
    _text(
        pdf,
        10,
        f"Подпись: ____________________ / {person.full_name} /     Дата: «____» ____________ 20___ г.",
    )
