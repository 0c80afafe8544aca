"""The protocol of a closed count (ГК РФ art. 181.2, 217-ФЗ art. 17): form, dates, place, chair,
secretary and counting commission, the numbers of members and of those taking part, the quorum,
each question with its votes and decision, and the list of the attached ballots. Written once as
lines, rendered to PDF (for the records) and DOCX (boards edit it); the heavy libraries are
imported when a file is made."""

from io import BytesIO
from typing import Literal

from flask import current_app

from snt.meetings import ballots as ballot_service
from snt.meetings.count import Tally, tally
from snt.meetings.papers import write_line
from snt.models import BallotAnswer, Meeting
from snt.payments.receipt import _new_pdf
from snt.templating import local_time, ru_date

Style = Literal["title", "centre", "text", "bold", "small", "heading", "gap", "page"]
Line = tuple[Style, str]


class NotClosed(ValueError):
    """The protocol is made only from a closed count."""


def protocol_lines(meeting: Meeting) -> list[Line]:
    frozen = ballot_service.closed(meeting)
    if frozen is None:
        raise NotClosed("Протокол составляется после закрытия подсчёта голосов.")
    result = tally(meeting)
    lines: list[Line] = [
        ("title", "ПРОТОКОЛ"),
        ("title", "общего собрания членов товарищества"),
        ("centre", current_app.config["NAME"]),
        ("gap", ""),
        ("text", f"Форма проведения: {meeting.form_title}."),
        (
            "text",
            f"Бюллетени принимались до {ballot_service.deadline_text(meeting)}."
            if ballot_service.by_ballots(meeting)
            else f"Дата проведения: {ballot_service.deadline_text(meeting)}.",
        ),
    ]
    if meeting.place:
        lines.append(("text", f"Место проведения: {meeting.place}."))
    lines += [
        ("text", f"Подсчёт голосов закрыт: {local_time(frozen.closed_at)}. Протокол составлен {ru_date(frozen.closed_at)}."),
        ("text", f"Председатель собрания: {frozen.chair}"),
        ("text", f"Секретарь собрания: {frozen.secretary}"),
        ("text", f"Счётная комиссия: {', '.join(frozen.commission.splitlines())}"),
        ("gap", ""),
        ("text", f"Членов товарищества по реестру: {result.members_total}. "
                 f"Собственников без членства: {result.others_total}."),
        ("text", f"Приняли участие членов товарищества: {result.members_voted}; "
                 f"собственников без членства: {result.others_voted}."),
        *_present_lines(result),
        ("bold", f"Кворум {'есть' if result.quorum else 'отсутствует'}: для кворума нужно не менее "
                 f"{result.quorum_needed} членов (более половины, 217-ФЗ ст. 17 ч. 19)."),
        ("gap", ""),
        ("heading", "Повестка дня и решения"),
    ]  # fmt: skip
    for item in result.results:
        q = item.question
        decision = "ПРИНЯТО" if result.decided(item) else "НЕ ПРИНЯТО"
        lines += [
            ("bold", f"{q.number}. {q.text}"),
            ("small", f"Голосуют: {q.voters_title}. Решение принимается: {q.rule_title}."),
            ("text", f"Участвовали: {item.taking_part}. За: {item.votes_for}. Против: {item.against}. "
                     f"Воздержались: {item.abstained}." + (f" Не заполнено: {item.blank}." if item.blank else "")),
            ("bold", f"Решение: {decision}" + ("" if result.quorum else " (нет кворума)") + "."),
        ]  # fmt: skip
    lines += [
        ("gap", ""),
        ("text", f"Председатель собрания ____________________ / {frozen.chair} /"),
        ("text", f"Секретарь собрания ____________________ / {frozen.secretary} /"),
    ]
    lines += [
        ("text", f"Член счётной комиссии ____________________ / {n} /")
        for n in frozen.commission.splitlines()
    ]
    if result.present:
        lines += [
            ("page", ""),
            ("heading", f"Приложение: список зарегистрированных на собрании ({len(result.present)})"),
        ]
        lines += [
            (
                "small",
                f"{n}. {a.person_name} (уч. {a.plots}; {'член' if a.as_member else 'без членства'}), {a.way}",
            )
            for n, a in enumerate(result.present, start=1)
        ]
    if result.ballots or not result.present:
        lines += [("page", ""), ("heading", f"Приложение: бюллетени ({len(result.ballots)})")]
    for n, ballot in enumerate(result.ballots, start=1):
        answers = ", ".join(f"{a.number} — {BallotAnswer.TITLES[a.answer]}" for a in ballot.answers)
        member = "член" if ballot.as_member else "без членства"
        lines.append(
            ("small", f"{n}. {ballot.person_name} (уч. {ballot.plots}; {member}), {ballot.channel_title}, "
                      f"{local_time(ballot.submitted_at)}: {answers}")
        )  # fmt: skip
    return lines


def _present_lines(result: Tally) -> list[Line]:
    if not result.present:
        return []
    proxies = sum(1 for a in result.present if a.by_proxy)
    return [
        ("text", f"Зарегистрированы на собрании (голосование поднятием рук): {len(result.present)}, из них "
                 f"лично — {len(result.present) - proxies}, по доверенности — {proxies} (доверенности приложены)."),
    ]  # fmt: skip


PDF_STYLE = {  # size, bold, line height, alignment
    "title": (14, True, 7.0, "C"),
    "centre": (11, False, 5.5, "C"),
    "text": (10, False, 5.5, "L"),
    "bold": (10, True, 5.5, "L"),
    "small": (9, False, 4.5, "L"),
    "heading": (11, True, 6.0, "L"),
}


def protocol_pdf(meeting: Meeting) -> bytes:
    pdf = _new_pdf()
    pdf.add_page()
    for style, text in protocol_lines(meeting):
        if style == "gap":
            pdf.ln(3)
        elif style == "page":
            pdf.add_page()
        else:
            size, bold, height, align = PDF_STYLE[style]
            pdf.set_font("DejaVu", "B" if bold else "", size)
            write_line(pdf, text, height, align)
    return bytes(pdf.output())


def protocol_docx(meeting: Meeting) -> bytes:
    from docx import Document  # here: python-docx and lxml are slow to import
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(12)
    paragraph = None
    for style, text in protocol_lines(meeting):
        if style == "page" and paragraph is not None:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
            continue
        if style == "gap":
            document.add_paragraph()
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = style in ("title", "bold", "heading")
        if style in ("title", "centre"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if style == "small":
            run.font.size = Pt(10)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
