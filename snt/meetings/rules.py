"""How each agenda question is decided (217-ФЗ art. 17 ч. 2–4, see docs/meetings.md): the majority
it needs (of those taking part) and who votes on it, with the law's defaults per kind of question.
The board may choose stricter (a larger majority, fewer voters), never looser."""

from dataclasses import dataclass

from sqlalchemy import select

from snt import audit
from snt.database import writes
from snt.extensions import db
from snt.models import Account, Attendance, Ballot, HandsVote, Meeting, MeetingQuestion

MAJORITY, TWO_THIRDS, UNANIMOUS = "majority", "two_thirds", "unanimous"
RULES = {
    MAJORITY: "простое большинство участвующих",
    TWO_THIRDS: "не менее двух третей участвующих",
    UNANIMOUS: "единогласно",
}
STRICTNESS = {MAJORITY: 0, TWO_THIRDS: 1, UNANIMOUS: 2}
MEMBERS, OWNERS = "members", "owners"
VOTERS = {MEMBERS: "только члены товарищества", OWNERS: "члены и собственники без членства (ст. 5)"}


@dataclass(frozen=True)
class Kind:
    title: str
    rule: str  # the law's (the loosest allowed)
    voters: str  # the law's (the widest allowed)
    article: str


# ч. 2: two thirds for п. 1–6, 10, 17, 21–24, 26 of ч. 1; ч. 3: owners without membership vote on
# п. 4–6.1, 21, 22, 24, 26; ч. 4: everything else by a simple majority of the members taking part.
KINDS: dict[str, Kind] = {
    "charter": Kind("изменение устава", TWO_THIRDS, MEMBERS, "ст. 17 ч. 1 п. 1, ч. 2"),
    "bodies": Kind(
        "избрание органов товарищества (председатель, правление, ревизионная комиссия)",
        TWO_THIRDS,
        MEMBERS,
        "ст. 17 ч. 1 п. 2, ч. 2",
    ),
    "property": Kind(
        "земельные участки и имущество общего пользования (приобретение, создание, передача)",
        TWO_THIRDS,
        OWNERS,
        "ст. 17 ч. 1 п. 4–6.1, ч. 2, ч. 3",
    ),
    "fees": Kind(
        "размер и срок внесения взносов и платы по ч. 3 ст. 5",
        TWO_THIRDS,
        OWNERS,
        "ст. 17 ч. 1 п. 21, ч. 2, ч. 3",
    ),
    "estimate": Kind(
        "приходно-расходная смета и её исполнение", TWO_THIRDS, OWNERS, "ст. 17 ч. 1 п. 22, ч. 2, ч. 3"
    ),
    "justification": Kind(
        "финансово-экономическое обоснование взносов и платы",
        TWO_THIRDS,
        OWNERS,
        "ст. 17 ч. 1 п. 24, ч. 2, ч. 3",
    ),
    "reports": Kind(
        "отчёты правления, председателя, ревизионной комиссии", MAJORITY, MEMBERS, "ст. 17 ч. 1, ч. 4"
    ),
    "other": Kind("иной вопрос", MAJORITY, MEMBERS, "ст. 17 ч. 4"),
}


class RulesError(ValueError):
    """A Russian message for the board: nothing was changed."""


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    kind: str
    rule: str
    voters: str

    @property
    def kind_title(self) -> str:
        return KINDS[self.kind].title

    @property
    def rule_title(self) -> str:
        return RULES[self.rule]

    @property
    def voters_title(self) -> str:
        return VOTERS[self.voters]

    @property
    def owners_vote(self) -> bool:
        return self.voters == OWNERS


def questions(meeting: Meeting) -> list[Question]:
    """The agenda's questions with how each is decided (the law's defaults where not chosen)."""
    chosen = {
        q.number: q
        for q in db.session.scalars(select(MeetingQuestion).where(MeetingQuestion.meeting_id == meeting.id))
    }
    found = []
    for number, text in enumerate(meeting.questions, start=1):
        row = chosen.get(number)
        if row is not None and row.kind in KINDS:
            found.append(Question(number, text, row.kind, row.rule, row.voters))
        else:
            kind = KINDS["other"]
            found.append(Question(number, text, "other", kind.rule, kind.voters))
    return found


def check(kind: str, rule: str, voters: str) -> str | None:
    """Why this choice is not allowed, or None."""
    if kind not in KINDS or rule not in RULES or voters not in VOTERS:
        return "Выберите вид вопроса, порядок принятия решения и кто голосует из списков."
    law = KINDS[kind]
    if STRICTNESS[rule] < STRICTNESS[law.rule]:
        return (
            f"Вопрос вида «{law.title}» решается не менее чем «{RULES[law.rule]}» ({law.article}, 217-ФЗ): "
            "устав может требовать больше, но не меньше."
        )
    if voters == OWNERS and law.voters == MEMBERS:
        return (
            f"По вопросу вида «{law.title}» голосуют только члены товарищества ({law.article}, 217-ФЗ): "
            "собственники без членства по нему не голосуют."
        )
    return None


def locked(meeting: Meeting) -> bool:
    """Once a ballot, an attendance mark or a show of hands is in, the rules no longer change."""
    return any(
        db.session.scalar(select(model.id).where(model.meeting_id == meeting.id).limit(1)) is not None
        for model in (Ballot, Attendance, HandsVote)
    )


@writes
def save_questions(meeting: Meeting, chosen: dict[int, tuple[str, str, str]], by: Account | None) -> None:
    """Save (kind, rule, voters) per question number. Refused (RulesError, nothing saved) once a
    ballot has come in, or for a choice looser than the law."""
    if locked(meeting):
        raise RulesError("Голосование уже началось: порядок голосования по вопросам менять нельзя.")
    count = len(meeting.questions)
    for number, (kind, rule, voters) in sorted(chosen.items()):
        if not 1 <= number <= count:
            raise RulesError("В повестке нет такого вопроса.")
        reason = check(kind, rule, voters)
        if reason:
            raise RulesError(f"Вопрос {number}: {reason}")
    rows = {
        q.number: q
        for q in db.session.scalars(select(MeetingQuestion).where(MeetingQuestion.meeting_id == meeting.id))
    }
    for number, (kind, rule, voters) in sorted(chosen.items()):
        row = rows.get(number) or MeetingQuestion(meeting_id=meeting.id, number=number)
        row.kind, row.rule, row.voters = kind, rule, voters
        db.session.add(row)
    audit.record(
        "meeting.rules",
        by,
        meeting,
        label=f"собрание {meeting.held_on:%d.%m.%Y}",
        details="; ".join(
            f"{n}: {KINDS[k].title}, {RULES[r]}, {VOTERS[v]}" for n, (k, r, v) in sorted(chosen.items())
        ),
    )
