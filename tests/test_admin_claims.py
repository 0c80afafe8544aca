"""Claims from the browser: approve or reject with a reason; the member is emailed over real
SMTP either way, the cabinet changes, and the audit log records who decided."""

import re
from html import unescape

from sqlalchemy import select

from snt.extensions import db
from snt.models import Plot, PlotClaim
from tests.helpers import add_plot, audit_actions, build_world, page_text

SEEN = {"plot": "271", "account": "269"}  # what the board's page showed for world.claim_id


def test_board_approves_a_claim_and_the_member_is_emailed(app, reference, accounts, mailbox):
    world = build_world(app, accounts)
    board = accounts.staff("board", "chair@example.ru")
    listing = page_text(board.get("/admin/claims/"))
    assert "271" in listing and "Владелец 271" in listing and "gromov271@example.ru" in listing
    mailbox.clear()

    response = board.post(f"/admin/claims/{world.claim_id}/approve", data={"next": "/admin/claims/"} | SEEN)
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
    assert (
        "chair@example.ru из браузера Заявка на участок подтверждена участок 271, 269 <orlova269@example.ru>"
        in log
    )


def test_rejection_needs_a_reason_and_mails_it(app, reference, accounts, mailbox):
    world = build_world(app, accounts)
    board = accounts.staff("board")
    mailbox.clear()

    refused = board.post(f"/admin/claims/{world.claim_id}/reject", data={"reason": "  "} | SEEN)
    assert refused.status_code == 422
    assert "Укажите причину отказа: её увидит заявитель." in page_text(refused)
    assert mailbox.messages == []
    with app.app_context():
        assert db.session.get(PlotClaim, world.claim_id).status == PlotClaim.PENDING

    response = board.post(
        f"/admin/claims/{world.claim_id}/reject", data={"reason": "в реестре другой владелец"} | SEEN
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
    board.post(f"/admin/claims/{world.claim_id}/approve", data=SEEN)
    page = page_text(board.get("/admin/claims/?status=all"))
    assert "Решение сохранено, но письмо на orlova269@example.ru не отправлено" in page
    with app.app_context():
        assert db.session.get(PlotClaim, world.claim_id).status == PlotClaim.VERIFIED


def test_the_shell_and_the_web_share_the_decision(app, reference, accounts, mailbox, runner):
    world = build_world(app, accounts)
    mailbox.clear()
    result = runner.invoke(args=["claims", "approve", str(world.claim_id)], input="y\n")
    assert result.exit_code == 0, result.output
    [mail] = mailbox.to("orlova269@example.ru")
    assert "участок № 271 подтверждён" in mail["Subject"]
    assert audit_actions(app)[-1] == "claim.approve"
    with app.app_context():
        claim = db.session.scalar(select(PlotClaim).where(PlotClaim.id == world.claim_id))
        assert claim.decided_by_id is None
    assert "из командной строки: claims approve" in page_text(accounts.staff("board").get("/admin/audit/"))


def _row_form(page: str, plot: str, action: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of a claim row's «Подтвердить» or «Отклонить» form, as the
    board's browser would post them."""
    for row in re.findall(r'<tr id="claim-\d+">.*?</tr>', page, flags=re.S):
        if re.search(rf"<th scope=\"row\"><a [^>]*>{re.escape(plot)}</a>", row):
            form = re.search(rf'<form method="post" action="([^"]*/{action})"[^>]*>(.*?)</form>', row, re.S)
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[2]))
            return unescape(form[1]), {k: unescape(v) for k, v in fields.items()}
    raise AssertionError(f"no claim row for plot {plot}")


def _attack_setup(app, accounts):
    """The member claims 251, the board opens «Заявки», the member swaps 251 for 269 (issue 11)."""
    with app.app_context():
        add_plot("250", email="owner250@example.ru")
        add_plot("251", email="owner251@example.ru")
        db.session.commit()
    member = accounts.member("250", "squatter@example.ru")
    assert member.post("/my-data/edit", data={"plots": "250,251"}).status_code == 302
    board = accounts.staff("board", "chair@example.ru")
    page = board.get("/admin/claims/").get_data(as_text=True)
    assert member.post("/my-data/edit", data={"plots": "250"}).status_code == 302
    assert member.post("/my-data/edit", data={"plots": "250,269"}).status_code == 302
    return member, board, page


def test_approving_a_row_the_board_saw_never_approves_another_plot(app, reference, accounts, mailbox):
    member, board, page = _attack_setup(app, accounts)
    action, fields = _row_form(page, "251", "approve")
    response = board.post(action, data=fields | {"next": "/admin/claims/"}, follow_redirects=True)

    assert "269 — подтверждён" not in page_text(member.get("/my-data/"))
    assert "9 532" not in page_text(member.get("/my-data/electricity/"))
    with app.app_context():
        statuses = dict(
            db.session.execute(select(Plot.number, PlotClaim.status).join(PlotClaim.plot)).tuples().all()
        )
    assert statuses == {"250": PlotClaim.PENDING, "269": PlotClaim.PENDING}
    assert response.status_code in (200, 404, 409)
    assert "Подтверждено: 269" not in page_text(response)


def test_rejecting_a_row_the_board_saw_never_rejects_another_plot(app, reference, accounts, mailbox):
    _, board, page = _attack_setup(app, accounts)
    action, fields = _row_form(page, "251", "reject")
    board.post(action, data=fields | {"reason": "не владелец"})
    with app.app_context():
        claim = db.session.scalar(select(PlotClaim).join(PlotClaim.plot).where(Plot.number == "269"))
        assert claim.status == PlotClaim.PENDING


def test_a_decision_naming_another_plot_or_account_is_refused(app, reference, accounts, mailbox):
    """Whatever the ids: the form carries the plot and the account the board saw."""
    world = build_world(app, accounts)
    board = accounts.staff("board")
    mailbox.clear()
    for wrong in ({"plot": "270", "account": "269"}, {"plot": "271", "account": "270"}, {}):
        response = board.post(f"/admin/claims/{world.claim_id}/approve", data=wrong, follow_redirects=True)
        assert (
            "Заявка изменилась после того, как вы открыли страницу: участок № 271, заявитель 269. "
            "Проверьте её ещё раз." in page_text(response)
        )
        response = board.post(
            f"/admin/claims/{world.claim_id}/reject", data=wrong | {"reason": "нет"}, follow_redirects=True
        )
        assert "Заявка изменилась после того, как вы открыли страницу" in page_text(response)
    with app.app_context():
        assert db.session.get(PlotClaim, world.claim_id).status == PlotClaim.PENDING
    assert mailbox.messages == []


def test_a_withdrawn_claims_id_is_never_given_to_a_new_claim(app, reference, accounts, mailbox):
    _, board, page = _attack_setup(app, accounts)
    action, _ = _row_form(page, "251", "approve")
    with app.app_context():
        new_id = db.session.scalar(select(PlotClaim.id).join(PlotClaim.plot).where(Plot.number == "269"))
    assert action != f"/admin/claims/{new_id}/approve"
    assert board.post(action, data={"plot": "251", "account": "250"}).status_code == 404
