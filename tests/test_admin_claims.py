"""Claims from the browser: approve or reject with a reason; the member is emailed over real
SMTP either way, the cabinet changes, and the audit log records who decided."""

from sqlalchemy import select

from snt.extensions import db
from snt.models import PlotClaim
from tests.helpers import audit_actions, build_world, page_text


def test_board_approves_a_claim_and_the_member_is_emailed(app, reference, accounts, mailbox):
    world = build_world(app, accounts)
    board = accounts.staff("board", "chair@example.ru")
    listing = page_text(board.get("/admin/claims/"))
    assert "271" in listing and "Владелец 271" in listing and "gromov271@example.ru" in listing
    mailbox.clear()

    response = board.post(f"/admin/claims/{world.claim_id}/approve", data={"next": "/admin/claims/"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/claims/"
    page = page_text(board.get("/admin/claims/"))
    assert (
        "Участок № 271 подтверждён для 269." in page and "Письмо отправлено на orlova269@example.ru." in page
    )

    [mail] = mailbox.to("orlova269@example.ru")
    assert mail["Subject"] == "СНТ «Аникино»: участок № 271 подтверждён"
    text = mailbox.text(mail)
    assert "Правление подтвердило, что участок № 271 принадлежит вам" in text
    assert "https://snt.example/my-data/payments/" in text
    assert "271 — подтверждён" in page_text(world.member.get("/my-data/"))

    assert audit_actions(app)[-1] == "claim.approve"
    log = page_text(board.get("/admin/audit/"))
    assert "chair@example.ru Заявка на участок подтверждена участок 271, 269 <orlova269@example.ru>" in log


def test_rejection_needs_a_reason_and_mails_it(app, reference, accounts, mailbox):
    world = build_world(app, accounts)
    board = accounts.staff("board")
    mailbox.clear()

    refused = board.post(f"/admin/claims/{world.claim_id}/reject", data={"reason": "  "})
    assert refused.status_code == 422
    assert "Укажите причину отказа: её увидит заявитель." in page_text(refused)
    assert mailbox.messages == []
    with app.app_context():
        assert db.session.get(PlotClaim, world.claim_id).status == PlotClaim.PENDING

    response = board.post(
        f"/admin/claims/{world.claim_id}/reject", data={"reason": "в реестре другой владелец"}
    )
    assert response.status_code == 302
    [mail] = mailbox.to("orlova269@example.ru")
    assert mail["Subject"] == "СНТ «Аникино»: участок № 271 не подтверждён"
    assert "Причина: в реестре другой владелец" in mailbox.text(mail)
    assert "отклонён правлением: в реестре другой владелец" in page_text(world.member.get("/my-data/"))
    assert audit_actions(app)[-1] == "claim.reject"


def test_a_decision_is_saved_even_when_the_mail_server_is_down(app, reference, accounts, mailbox):
    world = build_world(app, accounts)
    board = accounts.staff("board")
    app.extensions["mail"].port = 9  # nothing listens there: the connection is refused
    board.post(f"/admin/claims/{world.claim_id}/approve")
    page = page_text(board.get("/admin/claims/?status=all"))
    assert "Решение сохранено, но письмо на orlova269@example.ru не отправлено" in page
    with app.app_context():
        assert db.session.get(PlotClaim, world.claim_id).status == PlotClaim.VERIFIED


def test_the_shell_and_the_web_share_the_decision(app, reference, accounts, mailbox, runner):
    world = build_world(app, accounts)
    mailbox.clear()
    result = runner.invoke(args=["claims", "approve", str(world.claim_id)])
    assert result.exit_code == 0, result.output
    [mail] = mailbox.to("orlova269@example.ru")
    assert "участок № 271 подтверждён" in mail["Subject"]
    assert audit_actions(app)[-1] == "claim.approve"
    with app.app_context():
        claim = db.session.scalar(select(PlotClaim).where(PlotClaim.id == world.claim_id))
        assert claim.decided_by_id is None
    assert "командная строка" in page_text(accounts.staff("board").get("/admin/audit/"))
