"""Voting at a general meeting (issue 17): how each question is decided and the law's floor, the
quorum and thresholds on crafted registries, online ballots (the устав's clause, one per person,
final, refused after the deadline, a receipt over real SMTP), paper ballots with scans, voiding,
closing the count and the protocol read back from its PDF."""

import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from snt.extensions import db
from snt.models import Person, Plot
from snt.settings import save_settings
from tests.helpers import PDF, audit_actions, link_href, page_text

LAST_DAY = date(2026, 12, 20)  # заочное: the last day ballots are accepted
FEES, BOARD_ELECTION, OTHER = "Размер членских взносов на 2027 год", "Выборы председателя", "Отчёт правления"


def at(app, when: str) -> None:
    app.config["CLOCK_NOW"] = when


def crafted(app, people: list[tuple[str, bool, list[str], str]]) -> dict[str, int]:
    """Persons with their plots: (name, member?, plot numbers, email). Returns name -> person id."""
    with app.app_context():
        ids = {}
        for name, member, numbers, email in people:
            person = Person(full_name=name, is_member=member, email=email)
            for number in numbers:
                plot = Plot(number=number, street="1")
                plot.owners.append(person)
                db.session.add(plot)
            db.session.add(person)
            db.session.flush()
            ids[name] = person.id
        db.session.commit()
        return ids


@pytest.fixture
def board(app, accounts):
    at(app, "2026-11-20T10:00")
    return accounts.staff("board")


def new_meeting(board, agenda: list[str], form: str = "absentee") -> int:
    data = {
        "form": form,
        "held_on": LAST_DAY.isoformat(),
        "starts_at": "",
        "place": "",
        "agenda": "\n".join(agenda),
    }
    response = board.post("/admin/meetings/new/save", data=data)
    assert response.status_code == 302, page_text(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def decide(board, meeting_id: int, *kinds: tuple[str, str, str], status: int = 302) -> str:
    data = {}
    for n, (kind, rule, voters) in enumerate(kinds, start=1):
        data |= {f"kind_{n}": kind, f"rule_{n}": rule, f"voters_{n}": voters}
    response = board.post(f"/admin/meetings/{meeting_id}/rules/save", data=data)
    assert response.status_code == status, page_text(response)
    return page_text(response)


def paper(board, meeting_id: int, person_id: int, *answers: str, status: int = 302, scan: bytes = PDF) -> str:
    data = {"person": str(person_id), "scan": (io.BytesIO(scan), "skan.pdf")}
    data |= {f"q_{n}": a for n, a in enumerate(answers, start=1) if a}
    response = board.post(
        f"/admin/meetings/{meeting_id}/votes/paper", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == status, page_text(response)
    return page_text(response)


def count_page(board, meeting_id: int) -> str:
    return page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))


def test_the_board_may_be_stricter_than_the_law_never_looser(app, board):
    meeting_id = new_meeting(board, [FEES, BOARD_ELECTION, OTHER])
    text = decide(
        board,
        meeting_id,
        ("fees", "majority", "owners"),
        ("bodies", "two_thirds", "members"),
        ("other", "majority", "members"),
        status=422,
    )
    assert (
        "Вопрос 1: Вопрос вида «размер и срок внесения взносов и платы по ч. 3 ст. 5» решается не менее чем "
        "«не менее двух третей участвующих» (ст. 17 ч. 1 п. 21, ч. 2, ч. 3, 217-ФЗ)" in text
    )
    text = decide(
        board,
        meeting_id,
        ("fees", "two_thirds", "owners"),
        ("bodies", "two_thirds", "owners"),
        ("other", "majority", "members"),
        status=422,
    )
    assert "Вопрос 2: По вопросу вида «избрание органов товарищества" in text
    assert "собственники без членства по нему не голосуют" in text
    # Stricter than the law: unanimity, and members only on a question owners may vote on.
    decide(
        board,
        meeting_id,
        ("fees", "unanimous", "members"),
        ("bodies", "two_thirds", "members"),
        ("other", "two_thirds", "members"),
    )
    text = count_page(board, meeting_id)
    assert f"1. {FEES} единогласно; голосуют только члены товарищества" in text
    assert f"3. {OTHER} не менее двух третей участвующих; голосуют только члены товарищества" in text
    assert "meeting.rules" in audit_actions(app)


def test_a_member_with_three_plots_counts_once(app, board):
    ids = crafted(
        app,
        [
            ("Орлова Н. В.", True, ["1", "2", "3"], ""),
            ("Петров С. Н.", True, ["4"], ""),
            ("Белова И.", True, ["5"], ""),
        ],
    )
    meeting_id = new_meeting(board, [OTHER])
    paper(board, meeting_id, ids["Орлова Н. В."], "for")
    text = count_page(board, meeting_id)
    # Three of five plots voted, but one of three persons: no quorum.
    assert "Членов товарищества по реестру 3 Приняли участие членов 1" in text
    assert "Кворум (более половины членов: не менее 2) нет" in text
    assert (
        f"1. {OTHER} простое большинство участвующих; голосуют только члены товарищества 1 0 0 1 не принято"
        in text
    )
    text = paper(board, meeting_id, ids["Орлова Н. В."], "against", status=409)  # a second ballot of hers
    assert "От Орлова Н. В. уже есть бумажный бюллетень: второй не засчитывается." in text
    paper(board, meeting_id, ids["Петров С. Н."], "for")
    text = count_page(board, meeting_id)
    assert "Кворум (более половины членов: не менее 2) есть" in text
    assert "голосуют только члены товарищества 2 0 0 2 принято" in text


def test_a_non_members_vote_counts_on_fees_not_on_a_board_election(app, board):
    ids = crafted(
        app, [("Член 1", True, ["1"], ""), ("Член 2", True, ["2"], ""), ("Садовод", False, ["3"], "")]
    )
    meeting_id = new_meeting(board, [FEES, BOARD_ELECTION])
    decide(board, meeting_id, ("fees", "two_thirds", "owners"), ("bodies", "two_thirds", "members"))
    paper(board, meeting_id, ids["Член 1"], "for", "for")
    paper(board, meeting_id, ids["Член 2"], "against", "against")
    paper(board, meeting_id, ids["Садовод"], "for", "for")  # his mark on question 2 is not counted
    text = count_page(board, meeting_id)
    assert "Собственников без членства / приняли участие 1 / 1" in text
    assert (
        f"1. {FEES} не менее двух третей участвующих; голосуют члены и собственники без членства (ст. 5) "
        "2 1 0 3 принято" in text
    )
    assert (
        f"2. {BOARD_ELECTION} не менее двух третей участвующих; голосуют только члены товарищества "
        "1 1 0 2 не принято" in text
    )


@pytest.mark.parametrize(("votes_for", "against", "passed"), [(4, 2, True), (4, 3, False)])
def test_two_thirds_passes_at_exactly_two_thirds_and_fails_just_under(app, board, votes_for, against, passed):
    people = [(f"Член {n}", True, [str(n)], "") for n in range(1, votes_for + against + 1)]
    ids = crafted(app, people)
    meeting_id = new_meeting(board, [FEES])
    decide(board, meeting_id, ("fees", "two_thirds", "owners"))
    for n, (name, *_) in enumerate(people):
        paper(board, meeting_id, ids[name], "for" if n < votes_for else "against")
    text = count_page(board, meeting_id)
    total = votes_for + against
    verdict = "принято" if passed else "не принято"
    assert f"(ст. 5) {votes_for} {against} 0 {total} {verdict}" in text


@pytest.mark.parametrize(("votes_for", "passed"), [(2, False), (3, True)])
def test_a_simple_majority_at_exactly_half_fails(app, board, votes_for, passed):
    people = [(f"Член {n}", True, [str(n)], "") for n in range(1, 5)]
    ids = crafted(app, people)
    meeting_id = new_meeting(board, [OTHER])
    for n, (name, *_) in enumerate(people):
        paper(board, meeting_id, ids[name], "for" if n < votes_for else "abstain")
    text = count_page(board, meeting_id)
    verdict = "принято" if passed else "не принято"
    assert f"члены товарищества {votes_for} 0 {4 - votes_for} 4 {verdict}" in text


@pytest.fixture
def voters(app, accounts, board):
    """Орлова (member, plots 269 and 270) and Громов (non-member, 271), both with verified plots."""
    ids = crafted(
        app,
        [
            ("Орлова Наталья Викторовна", True, ["269", "270"], "orlova269@example.ru"),
            ("Петров Сергей Николаевич", True, ["268"], "petrov268@example.ru"),
            ("Громов Алексей", False, ["271"], "gromov271@example.ru"),
        ],
    )
    return ids, accounts.member("269", "orlova269@example.ru"), accounts.member("271", "gromov271@example.ru")


def test_online_voting_needs_the_charters_clause(app, board, voters):
    _, orlova, _ = voters
    meeting_id = new_meeting(board, [FEES, BOARD_ELECTION])
    text = page_text(orlova.get(f"/meetings/{meeting_id}/vote"))
    assert (
        "Устав товарищества не предусматривает электронного голосования: голосуйте бумажным бюллетенем."
        in text
    )
    response = orlova.post(f"/meetings/{meeting_id}/vote", data={"q_1": "for", "q_2": "for"})
    assert response.status_code == 409
    assert audit_actions(app).count("ballot.online") == 0


def test_an_online_ballot_once_per_person_final_with_a_receipt(app, board, voters, mailbox, accounts):
    ids, orlova, gromov = voters
    with app.app_context():
        save_settings({"meeting_e_voting_clause": "п. 9.12 устава"}, by=None)
    meeting_id = new_meeting(board, [FEES, BOARD_ELECTION])
    decide(board, meeting_id, ("fees", "two_thirds", "owners"), ("bodies", "two_thirds", "members"))
    page = page_text(orlova.get(f"/meetings/{meeting_id}/vote"))
    assert "Электронное голосование предусмотрено уставом (п. 9.12 устава, 217-ФЗ ст. 17.1)" in page
    assert f"1. {FEES}" in page and f"2. {BOARD_ELECTION}" in page
    response = orlova.post(f"/meetings/{meeting_id}/vote", data={"q_1": "for"})
    assert response.status_code == 422
    assert "Вопрос 2: отметьте «за», «против» или «воздержался»." in page_text(response)
    mailbox.clear()
    response = orlova.post(
        f"/meetings/{meeting_id}/vote", data={"q_1": "for", "q_2": "against"}, follow_redirects=True
    )
    text = page_text(response)
    assert "Квитанция: бюллетень получен" in text
    assert f"{FEES} — за {BOARD_ELECTION} — против Бюллетень окончателен: изменить его нельзя." in text
    [receipt] = mailbox.to("orlova269@example.ru")
    assert receipt["Subject"] == "СНТ «Аникино»: ваш бюллетень на общем собрании 20 декабря 2026"
    body = mailbox.text(receipt).replace("\r\n", "\n")
    assert f"1. {FEES} — за\n2. {BOARD_ELECTION} — против" in body
    # Final: neither a second online ballot nor a paper one for her.
    response = orlova.post(f"/meetings/{meeting_id}/vote", data={"q_1": "against", "q_2": "against"})
    assert response.status_code == 409
    assert "Ваш бюллетень уже получен: голосовать второй раз нельзя." in page_text(response)
    text = paper(board, meeting_id, ids["Орлова Наталья Викторовна"], "against", "against", status=409)
    assert "От Орлова Наталья Викторовна уже есть электронный бюллетень: второй не засчитывается." in text
    # The non-member sees only the question open to him; the board cannot vote online for anyone.
    page = page_text(gromov.get(f"/meetings/{meeting_id}/vote"))
    assert FEES in page and BOARD_ELECTION not in page
    assert gromov.post(f"/meetings/{meeting_id}/vote", data={"q_1": "abstain"}).status_code == 302
    response = board.post(f"/meetings/{meeting_id}/vote", data={"q_1": "for", "q_2": "for"})
    assert response.status_code == 409
    assert "Голосовать на сайте может собственник с подтверждённым участком" in page_text(response)
    # A paper ballot first: then no online one.
    paper(board, meeting_id, ids["Петров Сергей Николаевич"], "for", "for")
    response = accounts.member("268", "petrov268@example.ru").post(
        f"/meetings/{meeting_id}/vote", data={"q_1": "against", "q_2": "against"}
    )
    assert response.status_code == 409
    assert (
        "Ваш бюллетень уже получен (бумажный, его внесло правление): голосовать второй раз нельзя."
        in page_text(response)
    )
    assert [a for a in audit_actions(app) if a.startswith("ballot.")] == [
        "ballot.online",
        "ballot.online",
        "ballot.paper",
    ]


def test_a_late_ballot_is_refused_in_the_partnerships_time_zone(app, board, voters):
    _, orlova, _ = voters
    with app.app_context():
        save_settings({"meeting_e_voting_clause": "п. 9.12 устава"}, by=None)
    meeting_id = new_meeting(board, [OTHER])
    at(app, "2026-12-20T23:59")  # the last minute of the last day in Moscow
    page = page_text(orlova.get(f"/meetings/{meeting_id}/vote"))
    assert "Итоги голосования будут видны здесь после окончания приёма бюллетеней." in page
    at(app, "2026-12-20T21:00:00+00:00")  # 00:00 on 21 December in Moscow
    response = orlova.post(f"/meetings/{meeting_id}/vote", data={"q_1": "for"})
    assert response.status_code == 409
    assert "Приём бюллетеней закончился 20 декабря 2026 включительно. Бюллетень не принят." in page_text(
        response
    )
    assert audit_actions(app).count("ballot.online") == 0
    # After the deadline members see the totals.
    assert "Итоги голосования" in page_text(orlova.get(f"/meetings/{meeting_id}/vote"))


def test_a_wrong_paper_entry_is_voided_and_entered_again(app, board):
    ids = crafted(app, [("Член 1", True, ["1"], ""), ("Член 2", True, ["2"], "")])
    meeting_id = new_meeting(board, [OTHER])
    paper(board, meeting_id, ids["Член 1"], "against")
    text = paper(board, meeting_id, ids["Член 2"], "for", scan=b"not a scan", status=422)
    assert "Скан должен быть в формате PDF, JPEG или PNG." in text
    with app.app_context():
        from snt.models import Ballot

        ballot_id = db.session.scalar(select(Ballot.id))
    response = board.post(
        f"/admin/meetings/{meeting_id}/votes/{ballot_id}/void",
        data={"reason": "Перепутан ответ"},
        follow_redirects=True,
    )
    assert "Запись бюллетеня Член 1 аннулирована: внесите бюллетень заново." in page_text(response)
    paper(board, meeting_id, ids["Член 1"], "for")
    text = count_page(board, meeting_id)
    assert "Аннулирован" in text and "Перепутан ответ" in text
    assert "голосуют только члены товарищества 1 0 0 1" in text
    scan = board.get(f"/admin/meetings/{meeting_id}/votes/{ballot_id}/scan")
    assert scan.status_code == 200 and scan.data == PDF
    assert [a for a in audit_actions(app) if a.startswith("ballot.")] == [
        "ballot.paper",
        "ballot.void",
        "ballot.paper",
    ]


def test_closing_freezes_the_count_and_the_protocol_carries_the_numbers(app, board):
    ids = crafted(
        app,
        [
            ("Член 1", True, ["1"], ""),
            ("Член 2", True, ["2", "3"], ""),
            ("Член 3", True, ["4"], ""),
            ("Садовод", False, ["5"], ""),
        ],
    )
    meeting_id = new_meeting(board, [FEES, BOARD_ELECTION])
    decide(board, meeting_id, ("fees", "two_thirds", "owners"), ("bodies", "two_thirds", "members"))
    job = board.post(f"/admin/meetings/{meeting_id}/ballots", data={})  # a job: its page has the file
    assert "Бюллетеней: 4." in page_text(board.get(job.headers["Location"]))
    ballots_pdf = board.get(job.headers["Location"] + "/result")
    assert ballots_pdf.headers["Content-Disposition"].startswith("attachment; filename=byulleteni-")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(ballots_pdf.data)).pages]
    assert len(pages) == 4 and "Собственник: Садовод" in pages[3]
    assert "Вопросы № 2 решают только члены товарищества." in pages[3]
    paper(board, meeting_id, ids["Член 1"], "for", "for")
    paper(board, meeting_id, ids["Член 2"], "for", "against")
    paper(board, meeting_id, ids["Садовод"], "against", "")
    close = {
        "chair": "Иванов И. И.",
        "secretary": "Смирнова А. А.",
        "commission": "Кузнецов К. К.\nПопова П. П.",
    }
    response = board.post(f"/admin/meetings/{meeting_id}/votes/close", data=close)
    assert response.status_code == 409
    assert (
        "Бюллетени принимаются до 20 декабря 2026 включительно: подсчёт закрывается после этого."
        in page_text(response)
    )
    at(app, "2026-12-21T09:00")
    assert board.post(f"/admin/meetings/{meeting_id}/votes/close", data=close).status_code == 302
    text = paper(board, meeting_id, ids["Член 3"], "for", "for", status=409)
    assert "Подсчёт голосов закрыт: бюллетени больше не вносятся." in text
    protocol = board.get(f"/admin/meetings/{meeting_id}/protocol.pdf")
    assert protocol.mimetype == "application/pdf"
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(protocol.data)).pages)
    pdf_text = " ".join(pdf_text.split())
    assert "Форма проведения: заочное." in pdf_text
    assert "Председатель собрания: Иванов И. И. Секретарь собрания: Смирнова А. А." in pdf_text
    assert "Счётная комиссия: Кузнецов К. К., Попова П. П." in pdf_text
    assert "Членов товарищества по реестру: 3. Собственников без членства: 1." in pdf_text
    assert "Приняли участие членов товарищества: 2; собственников без членства: 1." in pdf_text
    assert "Кворум есть" in pdf_text
    assert "Участвовали: 3. За: 2. Против: 1. Воздержались: 0. Решение: ПРИНЯТО" in pdf_text
    assert "Участвовали: 2. За: 1. Против: 1. Воздержались: 0. Решение: НЕ ПРИНЯТО" in pdf_text
    assert "Приложение: бюллетени (3)" in pdf_text and "Садовод (уч. 5; без членства), бумажный" in pdf_text
    assert "meeting.close" in audit_actions(app)
    front = board.get("/")
    assert "Итоги общего собрания 20 декабря 2026" in page_text(front)
    news = page_text(board.get(link_href(front, "Читать полностью")))
    assert f"{FEES}: за — 2, против — 1, воздержались — 0. Решение принято." in news
    assert f"{BOARD_ELECTION}: за — 1, против — 1, воздержались — 0. Решение не принято." in news
    assert "Итоги общего собрания" not in page_text(app.test_client().get("/"))  # not for passers-by
    from docx import Document

    editable = board.get(f"/admin/meetings/{meeting_id}/protocol.docx")
    assert editable.headers["Content-Disposition"].endswith("protokol-2026-12-20.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(editable.data)).paragraphs]
    assert "Участвовали: 3. За: 2. Против: 1. Воздержались: 0." in paragraphs
    assert (
        "Решение: НЕ ПРИНЯТО." in paragraphs
        and "Счётная комиссия: Кузнецов К. К., Попова П. П." in paragraphs
    )

    records = board.get(f"/admin/meetings/{meeting_id}/records.zip")
    assert records.headers["Content-Disposition"].endswith("sobranie-2026-12-20.zip")
    with zipfile.ZipFile(io.BytesIO(records.data)) as archive:
        names = sorted(archive.namelist())
        listing = archive.read("byulleteni.csv").decode("utf-8-sig")
        first_scan = archive.read(next(n for n in names if n.startswith("skany/")))
    assert names[:4] == ["byulleteni.csv", "protokol.docx", "protokol.pdf", "skany/byulleten-1.pdf"]
    assert len([n for n in names if n.startswith("skany/")]) == 3 and first_scan == PDF
    assert "zhurnal-uvedomleniy.pdf" in names and "zhurnal-uvedomleniy.xlsx" in names
    assert "Член 2;2, 3;да;бумажный;20.11.2026 10:00;1 — за, 2 — против;skany/byulleten-2;" in listing


def test_the_board_sees_who_voted_how_unless_the_charter_hides_it(app, board):
    ids = crafted(app, [("Член 1", True, ["1"], ""), ("Член 2", True, ["2"], "")])
    meeting_id = new_meeting(board, [OTHER])
    paper(board, meeting_id, ids["Член 1"], "against")
    assert "Член 1 1 бумажный (скан) 20.11.2026 10:00 1: против" in count_page(board, meeting_id)
    with app.app_context():
        save_settings({"meeting_count_hidden": "y"}, by=None)
    text = count_page(board, meeting_id)
    assert "По уставу ход голосования скрыт до закрытия подсчёта (настройка)." in text
    assert "Бюллетеней получено: 1 (членов — 1 из 2" in text
    assert "1: против" not in text and "Кворум" not in text
