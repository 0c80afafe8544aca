"""Voting at a general meeting (217-ФЗ art. 17): how each agenda question is decided, the ballots
(online or paper, one live ballot per person), their answers, and the closed count."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.base import IDS_NEVER_REUSED, Model, unique_where, utcnow
from snt.models.registry import Person


class MeetingQuestion(Model):
    """How agenda question `number` (1-based, as the agenda lists it) is decided: its kind, the
    majority it needs and who votes on it. A question without a row is «other» with the law's
    defaults."""

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(12))  # majority, two_thirds, unanimous
    voters: Mapped[str] = mapped_column(String(12))  # members, owners


class Ballot(Model):
    """One person's ballot. Online ballots are final; a paper one entered wrongly is voided (kept,
    with the reason) and entered again. At most one live (not voided) ballot per person and meeting."""

    ONLINE, PAPER = "online", "paper"
    CHANNELS: ClassVar[dict[str, str]] = {ONLINE: "электронный", PAPER: "бумажный"}
    __table_args__ = (
        unique_where("uq_ballot_live", "meeting_id", "person_id", where="voided_at IS NULL"),
        IDS_NEVER_REUSED,  # ids travel in the void form
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    # SET NULL: the registry may drop a person later; the ballot keeps the name and plots of the day.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    person_name: Mapped[str] = mapped_column(String(200), default="")  # as on the day
    plots: Mapped[str] = mapped_column(String(200), default="")  # «269, 270», as on the day
    as_member: Mapped[bool] = mapped_column(default=True)  # a member of the partnership on the day
    channel: Mapped[str] = mapped_column(String(10))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Online: the voter's own account; paper: the board member who entered it.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    scan: Mapped[str | None] = mapped_column(String(64))  # the paper ballot's scan, a generated name
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    void_reason: Mapped[str] = mapped_column(String(300), default="")

    person: Mapped[Person | None] = relationship()
    answers: Mapped[list["BallotAnswer"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="BallotAnswer.number"
    )

    @property
    def channel_title(self) -> str:
        return self.CHANNELS.get(self.channel, self.channel)

    def answer(self, number: int) -> str | None:
        return next((a.answer for a in self.answers if a.number == number), None)


class BallotAnswer(Model):
    FOR, AGAINST, ABSTAIN, BLANK = "for", "against", "abstain", "blank"
    TITLES: ClassVar[dict[str, str]] = {
        FOR: "за",
        AGAINST: "против",
        ABSTAIN: "воздержался",
        BLANK: "не заполнено",
    }

    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    answer: Mapped[str] = mapped_column(String(10))


class MeetingCount(Model):
    """The closed count: when and by whom, who signs the protocol, and the registry's numbers on
    that day (the votes themselves are always recomputed from the ballots)."""

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    chair: Mapped[str] = mapped_column(String(200))
    secretary: Mapped[str] = mapped_column(String(200))
    commission: Mapped[str] = mapped_column(Text, default="")  # one name per line
    members_total: Mapped[int]
    others_total: Mapped[int]  # owners without membership


class Attendance(Model):
    """A person registered at the in-person part of a meeting (очное, or the очная часть of an
    очно-заочное one), in person or by proxy with the proxy's document. One vote per person however
    many plots; a wrong mark is voided (kept, with the reason), never edited. At most one live mark
    per person and meeting, and never beside a live ballot (snt.meetings.hall)."""

    __table_args__ = (
        unique_where("uq_attendance_live", "meeting_id", "person_id", where="voided_at IS NULL"),
        IDS_NEVER_REUSED,  # ids travel in the void form
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    person_name: Mapped[str] = mapped_column(String(200), default="")  # as on the day
    plots: Mapped[str] = mapped_column(String(200), default="")
    as_member: Mapped[bool] = mapped_column(default=True)
    proxy_name: Mapped[str] = mapped_column(String(200), default="")  # "" when in person
    proxy_document: Mapped[str | None] = mapped_column(String(64))  # the proxy's scan, a generated name
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    void_reason: Mapped[str] = mapped_column(String(300), default="")

    @property
    def by_proxy(self) -> bool:
        return bool(self.proxy_name)

    @property
    def way(self) -> str:
        return f"по доверенности ({self.proxy_name})" if self.proxy_name else "лично"


class HandsVote(Model):
    """The show of hands on agenda question `number` as the counting commission counted it: «за»,
    «против», «воздержался». Entered wrongly, it is voided (kept, with the reason) and entered
    again; at most one live entry per question."""

    __table_args__ = (
        unique_where("uq_hands_vote_live", "meeting_id", "number", where="voided_at IS NULL"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    votes_for: Mapped[int]
    against: Mapped[int]
    abstained: Mapped[int]
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    void_reason: Mapped[str] = mapped_column(String(300), default="")
