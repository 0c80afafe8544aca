"""Everything about a meeting's vote for the records, as one ZIP: the protocol (PDF and DOCX, once
the count is closed), the list of ballots with every answer (voided entries too, with the reason),
the scans of the paper ballots, and the notice's delivery log (PDF and XLSX). Written to a
temporary file: scans may be large."""

import csv
import io
import tempfile
import zipfile
from typing import IO

from snt.meetings import ballots, hall, proof, protocol
from snt.models import Attendance, Ballot, BallotAnswer, HandsVote, Meeting
from snt.registry.exports import to_xlsx
from snt.templating import local_time


def records_zip(meeting: Meeting) -> IO[bytes]:
    """The archive as an open temporary file at its start (the caller sends and closes it)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (send_file closes it after the response)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if ballots.closed(meeting) is not None:
            archive.writestr("protokol.pdf", protocol.protocol_pdf(meeting))
            archive.writestr("protokol.docx", protocol.protocol_docx(meeting))
        every = ballots.ballots(meeting, with_voided=True)
        archive.writestr("byulleteni.csv", _ballots_csv(every))
        folder = ballots.scan_folder()
        for ballot in every:
            if ballot.scan and (folder / ballot.scan).is_file():
                suffix = (folder / ballot.scan).suffix
                archive.write(folder / ballot.scan, f"skany/byulleten-{ballot.id}{suffix}")
        if hall.in_hall(meeting):
            present = hall.attendances(meeting, with_voided=True)
            archive.writestr("registratsiya.csv", _attendance_csv(present))
            archive.writestr("golosovanie-na-sobranii.csv", _hands_csv(hall.hands(meeting, with_voided=True)))
            for mark in present:
                if mark.proxy_document and (folder / mark.proxy_document).is_file():
                    suffix = (folder / mark.proxy_document).suffix
                    archive.write(folder / mark.proxy_document, f"doverennosti/doverennost-{mark.id}{suffix}")
        archive.writestr("zhurnal-uvedomleniy.pdf", proof.log_pdf(meeting))
        archive.writestr("zhurnal-uvedomleniy.xlsx", to_xlsx(proof.log_table(meeting)))
    out.seek(0)
    return out


def _csv(rows: list[list]) -> bytes:
    """For Russian Excel: UTF-8 with a BOM, «;» between the cells."""
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def _attendance_csv(present: list[Attendance]) -> bytes:
    rows: list[list] = [
        ["№", "Собственник", "Участки", "Член", "Как", "Доверенность", "Отмечен", "Аннулирован"]
    ]
    for a in present:
        voided = f"{local_time(a.voided_at)}: {a.void_reason}" if a.voided_at else ""
        document = f"doverennosti/doverennost-{a.id}" if a.proxy_document else ""
        member = "да" if a.as_member else "нет"
        rows.append([a.id, a.person_name, a.plots, member, a.way, document, local_time(a.marked_at), voided])
    return _csv(rows)


def _hands_csv(entries: list[HandsVote]) -> bytes:
    rows: list[list] = [["Вопрос", "За", "Против", "Воздержались", "Внесено", "Аннулировано"]]
    for h in entries:
        voided = f"{local_time(h.voided_at)}: {h.void_reason}" if h.voided_at else ""
        rows.append([h.number, h.votes_for, h.against, h.abstained, local_time(h.entered_at), voided])
    return _csv(rows)


def _ballots_csv(every: list[Ballot]) -> bytes:
    """For Russian Excel: UTF-8 with a BOM, «;» between the cells."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(
        ["№", "Собственник", "Участки", "Член", "Вид", "Получен", "Ответы", "Скан", "Аннулирован"]
    )
    for b in every:
        answers = ", ".join(f"{a.number} — {BallotAnswer.TITLES[a.answer]}" for a in b.answers)
        voided = f"{local_time(b.voided_at)}: {b.void_reason}" if b.voided_at else ""
        scan = f"skany/byulleten-{b.id}" if b.scan else ""
        member = "да" if b.as_member else "нет"
        writer.writerow(
            [
                b.id,
                b.person_name,
                b.plots,
                member,
                b.channel_title,
                local_time(b.submitted_at),
                answers,
                scan,
                voided,
            ]
        )
    return text.getvalue().encode("utf-8-sig")
