"""The in-person part of a meeting (issue 17, item 2's last sentence): the board registers who
attended, in person or by proxy with the document, and enters the show of hands per question; the
quorum and decisions come from them (one vote per person, non-members only on the questions open
to them); a person registered cannot have a ballot counted, and the reverse; the protocol, the
archive and the audit log carry it all. And the results of a closed count by email, as a job."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from snt.extensions import db
from snt.meetings import notice
from snt.models import MeetingNotice
from tests.helpers import PDF, audit_actions, page_text
from tests.test_meeting_votes import BOARD_ELECTION, FEES, LAST_DAY, OTHER, at, crafted, decide, paper

CLOSE = {"chair": "Иванов И. И.", "secretary": "Смирнова А. А.", "commission": "Кузнецов К. К."}


@pytest.fixture
def board(app, accounts):
    at(app, "2026-11-20T10:00")
    return accounts.staff("board")


def new_meeting(board, agenda: list[str], form: str = "in_person") -> int:
    data = {
        "form": form,
        "held_on": LAST_DAY.isoformat(),
        "starts_at": "11:00",
        "place": "Правление",
        "agenda": "\n".join(agenda),
    }
    response = board.post("/admin/meetings/new/save", data=data)
    assert response.status_code == 302, page_text(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def attend(
    board, meeting_id: int, person_id: int, proxy: str = "", document: bytes | None = None, status=302
):
    data: dict = {"person": str(person_id), "proxy_name": proxy}
    if document is not None:
        data["document"] = (io.BytesIO(document), "doverennost.pdf")
    response = board.post(
        f"/admin/meetings/{meeting_id}/hall/attend", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == status, page_text(response)
    return page_text(response)


def hands(board, meeting_id: int, number: int, votes_for: int, against: int, abstained: int, status=302):
    data = {"number": str(number), "votes_for": votes_for, "against": against, "abstained": abstained}
    response = board.post(f"/admin/meetings/{meeting_id}/hall/hands", data=data)
    assert response.status_code == status, page_text(response)
    return page_text(response)


def protocol_text(board, meeting_id: int) -> str:
    response = board.get(f"/admin/meetings/{meeting_id}/protocol.pdf")
    assert response.mimetype == "application/pdf"
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())


def test_an_in_person_meeting_counts_persons_present_and_the_hands(app, board):
    ids = crafted(
        app,
        [
            ("Член 1", True, ["1", "2", "3"], ""),
            ("Член 2", True, ["4"], ""),
            ("Член 3", True, ["5"], ""),
            ("Садовод", False, ["6"], ""),
        ],
    )
    meeting_id = new_meeting(board, [FEES, BOARD_ELECTION])
    decide(board, meeting_id, ("fees", "two_thirds", "owners"), ("bodies", "two_thirds", "members"))
    attend(board, meeting_id, ids["Член 1"])
    text = attend(board, meeting_id, ids["Член 2"], proxy="Петров П. П.", status=422)
    assert "Приложите доверенность представителя (PDF, JPEG или PNG)." in text
    text = attend(board, meeting_id, ids["Член 2"], proxy="Петров П. П.", document=b"not a scan", status=422)
    assert "Скан доверенности должен быть в формате PDF, JPEG или PNG." in text
    attend(board, meeting_id, ids["Член 2"], proxy="Петров П. П.", document=PDF)
    attend(board, meeting_id, ids["Садовод"])
    text = attend(board, meeting_id, ids["Член 1"], status=409)
    assert "Член 1 уже зарегистрирован(а) лично: второй раз не учитывается." in text
    # A member with three plots is one of three members; two of three: a quorum.
    text = page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))
    assert "Зарегистрировано на собрании: 3 (членов — 2 из 3, собственников без членства — 1 из 1)" in text
    assert "Кворум (более половины членов: не менее 2) есть" in text
    assert "Член 2 4 по доверенности (Петров П. П.) (доверенность)" in text
    # Fees: open to the non-member, three vote; 2 of 3 is exactly two thirds.
    hands(board, meeting_id, 1, 2, 1, 0)
    text = hands(board, meeting_id, 1, 2, 1, 0, status=409)
    assert "Голосование по вопросу 1 уже внесено." in text
    # The board election: members only, two vote; three hands are a mistake.
    text = hands(board, meeting_id, 2, 3, 0, 0, status=422)
    assert "Вопрос 2: голосов 3, а голосующих по нему на собрании зарегистрировано 2." in text
    hands(board, meeting_id, 2, 1, 0, 1)
    text = page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))
    assert (
        f"1. {FEES} не менее двух третей участвующих; голосуют члены и собственники без членства (ст. 5) 2 1 0 3 принято"
        in text
    )
    assert (
        f"2. {BOARD_ELECTION} не менее двух третей участвующих; голосуют только члены товарищества 1 0 1 2 не принято"
        in text
    )

    text = page_text(board.post(f"/admin/meetings/{meeting_id}/votes/close", data=CLOSE))
    assert "Собрание начинается 20 декабря 2026, 11:00: подсчёт закрывается после начала." in text
    at(app, "2026-12-20T13:00")
    assert board.post(f"/admin/meetings/{meeting_id}/votes/close", data=CLOSE).status_code == 302
    assert "Подсчёт голосов закрыт" in attend(board, meeting_id, ids["Член 3"], status=409)
    pdf_text = protocol_text(board, meeting_id)
    assert "Форма проведения: очное. Дата проведения: 20 декабря 2026, 11:00." in pdf_text
    assert "Приняли участие членов товарищества: 2; собственников без членства: 1." in pdf_text
    assert (
        "Зарегистрированы на собрании (голосование поднятием рук): 3, из них лично — 2, по доверенности — 1"
        in pdf_text
    )
    assert "Кворум есть" in pdf_text
    assert "Участвовали: 3. За: 2. Против: 1. Воздержались: 0. Решение: ПРИНЯТО" in pdf_text
    assert "Участвовали: 2. За: 1. Против: 0. Воздержались: 1. Решение: НЕ ПРИНЯТО" in pdf_text
    assert "Приложение: список зарегистрированных на собрании (3)" in pdf_text
    assert "Член 2 (уч. 4; член), по доверенности (Петров П. П.)" in pdf_text
    assert "Приложение: бюллетени" not in pdf_text

    with zipfile.ZipFile(io.BytesIO(board.get(f"/admin/meetings/{meeting_id}/records.zip").data)) as archive:
        names = archive.namelist()
        listing = archive.read("registratsiya.csv").decode("utf-8-sig")
        shown = archive.read("golosovanie-na-sobranii.csv").decode("utf-8-sig")
        proxy = archive.read(next(n for n in names if n.startswith("doverennosti/")))
    assert "protokol.pdf" in names and proxy == PDF
    assert "Член 2;4;да;по доверенности (Петров П. П.);doverennosti/doverennost-2;" in listing
    assert "2;1;0;1;" in shown
    actions = audit_actions(app)
    assert actions.count("attendance.mark") == 3 and actions.count("hands.enter") == 2
    assert "meeting.close" in actions


def test_a_simple_majority_of_hands_at_exactly_half_fails(app, board):
    ids = crafted(
        app, [("Член 1", True, ["1"], ""), ("Член 2", True, ["2"], ""), ("Член 3", True, ["3"], "")]
    )
    meeting_id = new_meeting(board, [OTHER])
    attend(board, meeting_id, ids["Член 1"])
    attend(board, meeting_id, ids["Член 2"])
    hands(board, meeting_id, 1, 1, 1, 0)
    text = page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))
    assert (
        f"1. {OTHER} простое большинство участвующих; голосуют только члены товарищества 1 1 0 2 не принято"
        in text
    )


def test_a_non_member_present_counts_on_fees_not_on_a_board_election(app, board):
    ids = crafted(app, [("Член", True, ["1"], ""), ("Садовод", False, ["2"], "")])
    meeting_id = new_meeting(board, [FEES, BOARD_ELECTION])
    decide(board, meeting_id, ("fees", "two_thirds", "owners"), ("bodies", "two_thirds", "members"))
    attend(board, meeting_id, ids["Член"])
    attend(board, meeting_id, ids["Садовод"])
    hands(board, meeting_id, 1, 1, 1, 0)  # one of two: fails
    hands(board, meeting_id, 2, 1, 0, 0)  # the member alone: passes
    text = page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))
    assert " 1 1 0 2 не принято" in text and " 1 0 0 1 принято" in text


def test_wrong_marks_and_hands_are_voided_and_made_again(app, board):
    ids = crafted(app, [("Член 1", True, ["1"], ""), ("Член 2", True, ["2"], "")])
    meeting_id = new_meeting(board, [OTHER])
    attend(board, meeting_id, ids["Член 1"])
    hands(board, meeting_id, 1, 1, 0, 0)
    with app.app_context():
        from snt.models import Attendance, HandsVote

        mark_id = db.session.query(Attendance.id).scalar()
        entry_id = db.session.query(HandsVote.id).scalar()
    board.post(f"/admin/meetings/{meeting_id}/hall/{mark_id}/void", data={"reason": "не тот собственник"})
    board.post(f"/admin/meetings/{meeting_id}/hall/hands/{entry_id}/void", data={"reason": "ошибка подсчёта"})
    attend(board, meeting_id, ids["Член 2"])
    at(app, "2026-12-20T13:00")
    text = page_text(board.post(f"/admin/meetings/{meeting_id}/votes/close", data=CLOSE))
    assert "Внесите голосование на собрании по вопросу 1." in text
    hands(board, meeting_id, 1, 0, 1, 0)
    text = page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))
    assert "Аннулирована" in text and "не тот собственник" in text and "ошибка подсчёта" in text
    assert " 0 1 0 1 не принято" in text
    actions = audit_actions(app)
    assert "attendance.void" in actions and "hands.void" in actions


def test_a_person_present_cannot_have_a_ballot_counted_and_the_reverse(app, board):
    ids = crafted(app, [("Член 1", True, ["1"], ""), ("Член 2", True, ["2"], "")])
    meeting_id = new_meeting(board, [OTHER], form="mixed")
    paper(board, meeting_id, ids["Член 1"], "for")
    text = attend(board, meeting_id, ids["Член 1"], status=409)
    assert "От Член 1 уже есть бумажный бюллетень: голосовать ещё и на собрании нельзя" in text
    attend(board, meeting_id, ids["Член 2"])
    text = paper(board, meeting_id, ids["Член 2"], "for", status=409)
    assert "Член 2 зарегистрирован(а) на очной части собрания: голос учитывается там" in text
    hands(board, meeting_id, 1, 1, 0, 0)
    text = page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))
    assert "Бюллетеней получено: 1, зарегистрировано на собрании: 1 (членов — 2 из 2" in text
    assert " 2 0 0 2 принято" in text


def test_an_absentee_meeting_has_no_hall(app, board):
    ids = crafted(app, [("Член 1", True, ["1"], "")])
    meeting_id = new_meeting(board, [OTHER], form="absentee")
    assert "У заочного собрания нет очной части" in attend(board, meeting_id, ids["Член 1"], status=409)
    assert "Регистрация на собрании" not in page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))


OWNERS = [
    ("Член 1", True, ["1"], "m1@example.ru"),
    ("Член 2", True, ["2"], "m2@example.ru"),
    ("Член 3", True, ["3"], ""),
    ("Садовод", False, ["4"], "s4@example.ru"),
]


def test_the_results_go_by_email_as_a_job_safe_to_rerun(app, board, mailbox, monkeypatch):
    """Closing the count starts the job; the worker dies before the second letter; a rerun from
    the job's page sends the rest and nobody gets two."""
    ids = crafted(app, OWNERS)
    meeting_id = new_meeting(board, [OTHER])
    attend(board, meeting_id, ids["Член 1"])
    attend(board, meeting_id, ids["Член 2"])
    hands(board, meeting_id, 1, 2, 0, 0)
    at(app, "2026-12-20T13:00")
    mailbox.clear()
    original, claims = notice.claim_draft, []

    def dies_before_the_second(meeting, draft):
        claims.append(draft.address)
        if len(claims) == 2:
            raise RuntimeError("worker killed")
        return original(meeting, draft)

    monkeypatch.setattr(notice, "claim_draft", dies_before_the_second)
    response = board.post(f"/admin/meetings/{meeting_id}/votes/close", data=CLOSE)
    assert response.status_code == 302
    text = page_text(board.get(response.headers["Location"]))
    assert "Итоги рассылаются по электронной почте" in text
    assert "Итоги по электронной почте задача № 1 (ошибка)" in text
    job_page = "/admin/jobs/1"
    text = page_text(board.get(job_page))
    assert "Итоги общего собрания по электронной почте" in text and "обработано 1 из 3" in text
    assert [m["X-Envelope-To"] for m in mailbox.messages] == ["m1@example.ru"]
    monkeypatch.setattr(notice, "claim_draft", original)
    assert board.post(f"{job_page}/rerun", data={}).status_code == 302
    text = page_text(board.get(job_page))
    assert "Состояние: готово" in text and "обработано 2 из 2" in text
    assert "Уже отправлены раньше и не повторяются: 1. Писем с итогами отправлено: 2." in text
    assert "К подсчёту голосов" in text
    assert board.post(f"{job_page}/rerun", data={}).status_code == 302  # done: nothing happens
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == [
        "m1@example.ru",
        "m2@example.ru",
        "s4@example.ru",
    ]
    letter = mailbox.messages[0]
    assert "итоги общего собрания 20 декабря 2026" in letter["Subject"]
    body = mailbox.text(letter)
    assert "Здравствуйте, Член 1!" in body
    assert f"1. {OTHER}: за — 2, против — 0, воздержались — 0. Решение принято." in body
    # The notice's delivery log does not list the results letters.
    with app.app_context():
        assert db.session.query(MeetingNotice).filter_by(channel=MeetingNotice.RESULTS).count() == 3
    assert "m2@example.ru" not in page_text(board.get(f"/admin/meetings/{meeting_id}"))
    assert "meeting.results" in audit_actions(app)
    # The board (not only the treasurer) follows the job.
    assert board.get(job_page).status_code == 200
