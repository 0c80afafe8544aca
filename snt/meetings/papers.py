"""The printed papers of the vote: personalised ballots for every owner, and the protocol (PDF;
fpdf is imported by _new_pdf when a PDF is made)."""

from typing import TYPE_CHECKING

from flask import current_app

from snt.meetings import ballots as ballot_service
from snt.meetings import rules
from snt.meetings.count import Tally, tally
from snt.meetings.notice import owners
from snt.models import BallotAnswer, Meeting, Person
from snt.payments.receipt import _new_pdf
from snt.templating import local_time, ru_date

if TYPE_CHECKING:
    from fpdf import FPDF


def _text(
    pdf: "FPDF", size: int, text: str, bold: bool = False, height: float = 5.5, align: str = "L"
) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


def ballots_pdf(meeting: Meeting) -> bytes:
    """One page per owner: the person, their plots, the questions they vote on with the boxes
    «за / против / воздержался», and the place to sign."""
    pdf = _new_pdf()
    questions = rules.questions(meeting)
    for person in owners():
        _ballot_page(pdf, meeting, person, questions)
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
        "Отметьте в каждом вопросе один вариант. Бюллетень с несколькими отметками по вопросу "
        "по этому вопросу не засчитывается.",
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


def protocol_pdf(meeting: Meeting) -> bytes:
    """The protocol of the closed count: form, dates, place, chair, secretary, counting commission,
    the numbers of members and of those taking part, the quorum, each question with its votes and
    decision, and the list of the attached ballots."""
    frozen = ballot_service.closed(meeting)
    if frozen is None:
        raise ValueError("the count is not closed")
    result = tally(meeting)
    pdf = _new_pdf()
    pdf.add_page()
    _text(pdf, 14, "ПРОТОКОЛ\nобщего собрания членов товарищества", bold=True, height=7, align="C")
    _text(pdf, 11, current_app.config["NAME"], align="C")
    pdf.ln(3)
    _text(pdf, 10, f"Форма проведения: {meeting.form_title}.")
    _text(pdf, 10, f"Бюллетени принимались до {ballot_service.deadline_text(meeting)}.")
    if meeting.place:
        _text(pdf, 10, f"Место проведения: {meeting.place}.")
    _text(
        pdf,
        10,
        f"Подсчёт голосов закрыт: {local_time(frozen.closed_at)}. Протокол составлен {ru_date(frozen.closed_at)}.",
    )
    _text(pdf, 10, f"Председатель собрания: {frozen.chair}")
    _text(pdf, 10, f"Секретарь собрания: {frozen.secretary}")
    _text(pdf, 10, f"Счётная комиссия: {', '.join(frozen.commission.splitlines())}")
    pdf.ln(2)
    _numbers(pdf, result)
    pdf.ln(2)
    _text(pdf, 11, "Повестка дня и решения", bold=True)
    for item in result.results:
        q = item.question
        _text(pdf, 10, f"{q.number}. {q.text}", bold=True)
        _text(pdf, 9, f"Голосуют: {q.voters_title}. Решение принимается: {q.rule_title}.")
        _text(
            pdf,
            10,
            f"Участвовали: {item.taking_part}. За: {item.votes_for}. Против: {item.against}. "
            f"Воздержались: {item.abstained}." + (f" Не заполнено: {item.blank}." if item.blank else ""),
        )
        decision = "ПРИНЯТО" if result.decided(item) else "НЕ ПРИНЯТО"
        _text(pdf, 10, f"Решение: {decision}" + ("" if result.quorum else " (нет кворума)") + ".", bold=True)
        pdf.ln(1)
    pdf.ln(4)
    _text(pdf, 10, "Председатель собрания ____________________ / " + frozen.chair + " /")
    _text(pdf, 10, "Секретарь собрания ____________________ / " + frozen.secretary + " /")
    for name in frozen.commission.splitlines():
        _text(pdf, 10, f"Член счётной комиссии ____________________ / {name} /")
    pdf.add_page()
    _text(pdf, 11, f"Приложение: бюллетени ({len(result.ballots)})", bold=True)
    for n, ballot in enumerate(result.ballots, start=1):
        answers = ", ".join(f"{a.number} — {BallotAnswer.TITLES[a.answer]}" for a in ballot.answers)
        _text(
            pdf,
            9,
            f"{n}. {ballot.person_name} (уч. {ballot.plots}; {'член' if ballot.as_member else 'без членства'}), "
            f"{ballot.channel_title}, {local_time(ballot.submitted_at)}: {answers}",
            height=4.5,
        )
    return bytes(pdf.output())


def _numbers(pdf: "FPDF", result: Tally) -> None:
    _text(
        pdf,
        10,
        f"Членов товарищества по реестру: {result.members_total}. "
        f"Собственников без членства: {result.others_total}.",
    )
    _text(
        pdf,
        10,
        f"Приняли участие членов товарищества: {result.members_voted}; "
        f"собственников без членства: {result.others_voted}.",
    )
    _text(
        pdf,
        10,
        f"Кворум {'есть' if result.quorum else 'отсутствует'}: для кворума нужно не менее "
        f"{result.quorum_needed} членов (более половины, 217-ФЗ ст. 17 ч. 19).",
        bold=True,
    )
