"""The agenda form offers how each question is decided (issue 17, item 1): the kind, and the
majority and voters «по закону» for the kind unless the board chooses stricter; a looser choice is
refused with the law's reference and nothing is saved."""

import pytest

from snt.extensions import db
from snt.models import Meeting
from tests.helpers import audit_actions, page_text
from tests.test_meeting_votes import BOARD_ELECTION, FEES, LAST_DAY, OTHER, at


@pytest.fixture
def board(app, accounts):
    at(app, "2026-11-20T10:00")
    return accounts.staff("board")


def post_agenda(board, rows: dict[str, str], status: int, url: str = "/admin/meetings/new/save") -> str:
    data = {
        "form": "absentee",
        "held_on": LAST_DAY.isoformat(),
        "starts_at": "",
        "place": "",
        "agenda": "\n".join([FEES, BOARD_ELECTION, OTHER]),
        **rows,
    }
    response = board.post(url, data=data)
    assert response.status_code == status, page_text(response)
    return response.headers.get("Location", "") if status == 302 else page_text(response)


def test_the_agenda_form_offers_the_laws_defaults_per_question(app, board):
    text = page_text(board.get("/admin/meetings/new"))
    assert "Как решается каждый вопрос" in text and "по закону для вида вопроса" in text
    assert "размер и срок внесения взносов и платы по ч. 3 ст. 5 не менее двух третей участвующих" in text
    location = post_agenda(
        board,
        {
            "kind_1": "fees", "rule_1": "", "voters_1": "",
            "kind_2": "bodies", "rule_2": "unanimous", "voters_2": "",
            "kind_3": "reports", "rule_3": "", "voters_3": "",
            "kind_4": "other", "rule_4": "", "voters_4": "",  # a spare row: no question 4
        },
        302,
    )  # fmt: skip
    meeting_id = int(location.rsplit("/", 1)[1])
    text = page_text(board.get(f"/admin/meetings/{meeting_id}/votes"))
    assert (
        f"1. {FEES} не менее двух третей участвующих; голосуют члены и собственники без членства (ст. 5)"
        in text
    )
    assert f"2. {BOARD_ELECTION} единогласно; голосуют только члены товарищества" in text
    assert f"3. {OTHER} простое большинство участвующих; голосуют только члены товарищества" in text
    assert audit_actions(app).count("meeting.rules") == 1
    edit = board.get(f"/admin/meetings/{meeting_id}/edit").get_data(as_text=True)
    assert '<option selected value="fees">' in edit and '<option selected value="unanimous">' in edit


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            {"kind_1": "fees", "rule_1": "majority"},
            "Вопрос 1: Вопрос вида «размер и срок внесения взносов и платы по ч. 3 ст. 5» решается не менее "
            "чем «не менее двух третей участвующих» (ст. 17 ч. 1 п. 21, ч. 2, ч. 3, 217-ФЗ)",
        ),
        (
            {"kind_2": "bodies", "voters_2": "owners"},
            "Вопрос 2: По вопросу вида «избрание органов товарищества (председатель, правление, ревизионная "
            "комиссия)» голосуют только члены товарищества",
        ),
    ],
)
def test_a_looser_choice_than_the_law_is_refused_and_nothing_saved(app, board, rows, message):
    assert message in post_agenda(board, rows, 422)
    with app.app_context():
        assert db.session.query(Meeting).count() == 0


def test_the_rules_no_longer_change_once_voting_began(app, board):
    from tests.test_meeting_votes import crafted, paper

    ids = crafted(app, [("Член 1", True, ["1"], "")])
    location = post_agenda(board, {"kind_1": "fees"}, 302)
    meeting_id = int(location.rsplit("/", 1)[1])
    paper(board, meeting_id, ids["Член 1"], "for", "for", "for")
    text = page_text(board.get(f"/admin/meetings/{meeting_id}/edit"))
    assert "Голосование уже началось: порядок голосования по вопросам не меняется." in text
    assert "Как решается каждый вопрос" not in text
