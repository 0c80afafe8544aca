"""Everything about a meeting's vote for the records, as one ZIP: the protocol (PDF and DOCX, once
the count is closed), the list of ballots with every answer (voided entries too, with the reason),
the scans of the paper ballots, and the notice's delivery log (PDF and XLSX). Written to a
temporary file: scans may be large."""

import csv
import io
import tempfile
import zipfile
from typing import IO

from snt.meetings import ballots, proof, protocol
from snt.models import Ballot, BallotAnswer, Meeting
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
        archive.writestr("zhurnal-uvedomleniy.pdf", proof.log_pdf(meeting))
        archive.writestr("zhurnal-uvedomleniy.xlsx", to_xlsx(proof.log_table(meeting)))
    out.seek(0)
    return out


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
