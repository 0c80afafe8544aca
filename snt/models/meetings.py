"""General meetings (217-ФЗ art. 17): the meeting, its materials, and the notice's delivery log."""

from datetime import date, datetime, time
from typing import ClassVar

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.base import IDS_NEVER_REUSED, Model, utcnow
from snt.models.content import Announcement, Document
from snt.models.registry import Person
from snt.models.sms import OutboxState


class Meeting(Model):
    """A general meeting. For заочное `held_on` is the last day ballots are accepted; the notice's
    deadlines count back from `held_on` either way."""

    IN_PERSON, ABSENTEE, MIXED = "in_person", "absentee", "mixed"
    FORMS: ClassVar[dict[str, str]] = {IN_PERSON: "очное", ABSENTEE: "заочное", MIXED: "очно-заочное"}
    __table_args__ = (IDS_NEVER_REUSED,)  # ids travel in URLs and forms

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(String(12), default=IN_PERSON)
    held_on: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[time | None]
    place: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")  # one question per line
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    # The notice: started once (never again refused after), by these channels.
    notice_started_at: Mapped[datetime | None]
    notice_sms: Mapped[bool] = mapped_column(default=False)
    announcement_id: Mapped[int | None] = mapped_column(ForeignKey("announcement.id", ondelete="SET NULL"))
    # «Размещено на щите»: when the board put the printed notice up, and its photo.
    board_posted_on: Mapped[date | None]
    board_photo: Mapped[str | None] = mapped_column(String(64))

    announcement: Mapped[Announcement | None] = relationship()
    materials: Mapped[list["MeetingMaterial"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingMaterial.attached_at"
    )

    @property
    def form_title(self) -> str:
        return self.FORMS.get(self.form, self.form)

    @property
    def form_phrase(self) -> str:
        """«в очной форме»: how a notice names the form."""
        return {
            self.IN_PERSON: "в очной форме",
            self.ABSENTEE: "в заочной форме",
            self.MIXED: "в очно-заочной форме",
        }.get(self.form, "")

    @property
    def questions(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class MeetingMaterial(Model):
    """A document from «Документы» attached to a meeting as its material; `attached_at` proves
    when it became open to the owners."""

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    attached_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="materials")
    document: Mapped[Document] = relationship(lazy="joined")


class MeetingNotice(OutboxState, Model):
    """One owner's notice of a meeting by one channel: the outbox row (committed as pending before
    the mail server or the gateway is called, as the monthly SMS) and the delivery log line.

    `post` rows say the owner (no email) is on the printed list for letters: status LISTED."""

    EMAIL, SMS, POST = "email", "sms", "post"
    RESULTS = "results"  # the results of the closed count by email (snt.meetings.results), not the notice
    CHANNELS: ClassVar[dict[str, str]] = {
        EMAIL: "электропочта",
        SMS: "SMS",
        POST: "письмо по почтовому адресу",
        RESULTS: "итоги, электропочта",
    }
    LISTED = "listed"
    # sqlite_autoincrement: a row's id travels in the retry form.
    __table_args__ = (UniqueConstraint("meeting_id", "person_id", "channel"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    person_name: Mapped[str] = mapped_column(String(200), default="")  # kept if the person goes
    plots: Mapped[str] = mapped_column(String(200), default="")  # «269, 270», as on the day
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(300), default="")  # email, phone or postal address
    gateway_id: Mapped[str | None] = mapped_column(String(200))  # Message-ID or the gateway's id

    person: Mapped[Person | None] = relationship()

    @property
    def channel_title(self) -> str:
        return self.CHANNELS.get(self.channel, self.channel)
