"""Data for the admin tests: one of every object an admin route can name, and small files."""

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from snt import documents
from snt.extensions import db
from snt.models import Account, Announcement, ContactMessage, Meeting, PlotClaim
from snt.public.services import submit_contact_message

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def xlsx_bytes() -> bytes:
    """A real (minimal) .xlsx made by openpyxl."""
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@dataclass
class World:
    member: object  # the test client of the member who owns 269 and claims 271
    claim_id: int
    member_id: int
    announcement_id: int
    document_id: int
    message_id: int


def build_world(app, accounts) -> World:
    """Reference data, a member with a pending claim, an announcement, a document, a message."""
    member = accounts.member("269", "orlova269@example.ru")
    member.post("/my-data/edit", data={"plots": "269,271"})
    with app.app_context():
        claim_id = db.session.scalar(select(PlotClaim.id).where(PlotClaim.status == PlotClaim.PENDING))
        member_id = db.session.scalar(select(Account.id).where(Account.email == "orlova269@example.ru"))
        announcement = Announcement(title="Собрание", body="В субботу.", published_at=datetime(2022, 5, 1))
        db.session.add(announcement)
        db.session.commit()
        document = documents.upload(io.BytesIO(PDF), "Устав.pdf", "Устав 2019", "charter", True, by=None)
        message = submit_contact_message("Иван", "ivan@example.ru", "271", "Нет данных.", None)
        meeting = Meeting(held_on=date.today() + timedelta(days=60), place="Правление", agenda="Смета")
        db.session.add(meeting)
        db.session.commit()
        assert meeting.id == 1  # the admin route tests name it by that id
        ids = announcement.id, document.id, message.id
    assert claim_id and member_id
    return World(member, claim_id, member_id, *ids)


def audit_actions(app) -> list[str]:
    from snt.models import AuditEntry

    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def message_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(ContactMessage.id))
