"""The count, always recomputed from the live ballots: the quorum (more than half of the members,
persons not plots, 217-ФЗ art. 17 ч. 19) and per question «за/против/воздержался» against its
threshold. Closing the count freezes it: no ballot is entered or voided after, and the registry's
numbers of that day are kept for the protocol."""

from dataclasses import dataclass

from snt import audit, clock
from snt.database import writes
from snt.extensions import db
from snt.meetings import ballots as ballot_service
from snt.meetings import hall, rules
from snt.meetings.notice import owners
from snt.models import Account, Announcement, Attendance, Ballot, BallotAnswer, Meeting, MeetingCount
from snt.templating import ru_date


class CountError(ValueError):
    """A Russian message for the board: nothing was changed."""


@dataclass(frozen=True)
class QuestionResult:
    question: rules.Question
    votes_for: int
    against: int
    abstained: int
    blank: int
    taking_part: int  # the ballots counted on this question: its voters who took part

    @property
    def passed(self) -> bool:
        """Of those taking part: a simple majority is more than half (exactly half fails), two
        thirds is at least two thirds, unanimity is every one «за»."""
        n, yes = self.taking_part, self.votes_for
        if n == 0:
            return False
        if self.question.rule == rules.UNANIMOUS:
            return yes == n
        if self.question.rule == rules.TWO_THIRDS:
            return 3 * yes >= 2 * n
        return 2 * yes > n


@dataclass(frozen=True)
class Tally:
    members_total: int
    others_total: int  # owners without membership
    members_voted: int
    others_voted: int
    results: list[QuestionResult]
    ballots: list[Ballot]
    present: list[Attendance]  # registered at the in-person part, in person or by proxy

    @property
    def quorum_needed(self) -> int:
        return self.members_total // 2 + 1

    @property
    def quorum(self) -> bool:
        return self.members_total > 0 and 2 * self.members_voted > self.members_total

    def decided(self, result: QuestionResult) -> bool:
        """Without a quorum the meeting decides nothing (art. 17 ч. 19)."""
        return self.quorum and result.passed


def tally(meeting: Meeting) -> Tally:
    """The count from the live ballots, the live attendance marks and the entered show of hands
    (those attending who vote on a question and raised no hand count as taking part, not «за»);
    the registry's totals as of closing once it is closed."""
    live = ballot_service.ballots(meeting)
    present = hall.attendances(meeting) if hall.in_hall(meeting) else []
    shown = {h.number: h for h in hall.hands(meeting)} if present else {}
    frozen = ballot_service.closed(meeting)
    if frozen is not None:
        members_total, others_total = frozen.members_total, frozen.others_total
    else:
        people = owners()
        members_total = sum(1 for p in people if p.is_member)
        others_total = len(people) - members_total
    results = []
    for question in rules.questions(meeting):
        counted = [b for b in live if b.as_member or question.owners_vote]
        answers = [b.answer(question.number) for b in counted]
        answers = [a for a in answers if a is not None]
        voters = hall.eligible(present, question)
        row = shown.get(question.number)
        raised = (row.votes_for, row.against, row.abstained) if row is not None else (0, 0, 0)
        results.append(
            QuestionResult(
                question=question,
                votes_for=answers.count(BallotAnswer.FOR) + raised[0],
                against=answers.count(BallotAnswer.AGAINST) + raised[1],
                abstained=answers.count(BallotAnswer.ABSTAIN) + raised[2],
                blank=answers.count(BallotAnswer.BLANK) + max(0, voters - sum(raised)),
                taking_part=len(answers) + voters,
            )
        )
    return Tally(
        members_total=members_total,
        others_total=others_total,
        members_voted=sum(1 for b in live if b.as_member) + sum(1 for a in present if a.as_member),
        others_voted=sum(1 for b in live if not b.as_member) + sum(1 for a in present if not a.as_member),
        results=results,
        ballots=live,
        present=present,
    )


@writes
def close_count(
    meeting: Meeting, chair: str, secretary: str, commission: str, by: Account | None
) -> MeetingCount:
    """Freeze the count (after the deadline), naming who signs the protocol (ГК РФ art. 181.2)."""
    if ballot_service.closed(meeting) is not None:
        raise CountError("Подсчёт голосов уже закрыт.")
    if not ballot_service.past_deadline(meeting):
        if not ballot_service.by_ballots(meeting):
            raise CountError(
                f"Собрание начинается {ballot_service.deadline_text(meeting)}: подсчёт закрывается после начала."
            )
        raise CountError(
            f"Бюллетени принимаются до {ballot_service.deadline_text(meeting)}: подсчёт закрывается после этого."
        )
    unready = hall.unready(meeting)
    if unready:
        raise CountError(unready)
    chair, secretary = chair.strip(), secretary.strip()
    names = [line.strip() for line in commission.splitlines() if line.strip()]
    if not chair or not secretary or not names:
        raise CountError("Укажите председателя и секретаря собрания и членов счётной комиссии.")
    people = owners()
    members_total = sum(1 for p in people if p.is_member)
    row = MeetingCount(
        meeting_id=meeting.id,
        closed_at=clock.utcnow(),
        closed_by_id=by.id if by else None,
        chair=chair[:200],
        secretary=secretary[:200],
        commission="\n".join(names),
        members_total=members_total,
        others_total=len(people) - members_total,
    )
    db.session.add(row)
    db.session.flush()
    result = tally(meeting)
    announcement = Announcement(
        title=f"Итоги общего собрания {ru_date(meeting.held_on)}",
        body=results_text(meeting, result),
        is_public=False,  # for members and owners with a verified plot, as the materials
        published_at=row.closed_at,
    )
    db.session.add(announcement)
    db.session.flush()
    audit.record("announcement.publish", by, announcement, label=announcement.title)
    audit.record(
        "meeting.close",
        by,
        meeting,
        label=f"собрание {meeting.held_on:%d.%m.%Y}",
        details=f"членов {result.members_total}, участвовали {result.members_voted}, "
        f"кворум {'есть' if result.quorum else 'нет'}; "
        + "; ".join(
            f"{r.question.number}: {r.votes_for}/{r.against}/{r.abstained} — "
            f"{'принято' if result.decided(r) else 'не принято'}"
            for r in result.results
        ),
    )
    return row


def results_text(meeting: Meeting, result: Tally) -> str:
    """The announcement of the results (Markdown): the quorum and each question's votes and decision."""
    how = (
        f"{meeting.form_title} голосование, бюллетени принимались до {ballot_service.deadline_text(meeting)}"
        if ballot_service.by_ballots(meeting)
        else f"очное, {ballot_service.deadline_text(meeting)}"
    )
    lines = [
        f"Подсчёт голосов общего собрания ({how}) закрыт.",
        "",
        f"Членов товарищества — {result.members_total}, приняли участие — {result.members_voted}; "
        f"собственников без членства приняли участие — {result.others_voted}. "
        f"Кворум {'есть' if result.quorum else 'отсутствует: решения не приняты'}.",
        "",
    ]
    for item in result.results:
        decision = "принято" if result.decided(item) else "не принято"
        lines.append(
            f"{item.question.number}. {item.question.text}: за — {item.votes_for}, против — {item.against}, "
            f"воздержались — {item.abstained}. Решение {decision}."
        )
    lines += ["", "Протокол собрания — у правления; он будет опубликован в разделе «Протоколы собраний»."]
    return "\n".join(lines)
