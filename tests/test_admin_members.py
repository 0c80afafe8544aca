"""Accounts from the browser: search, block (sessions end, login refused), unblock, resend the
confirmation, roles; no page shows a password hash or a session token."""

from sqlalchemy import select

from snt.extensions import db
from snt.models import Account
from tests.helpers import ROUTES, _url, audit_actions, build_world, page_text


def account_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Account.id).where(Account.email == email))


def test_search_and_the_members_claims(app, reference, accounts):
    world = build_world(app, accounts)
    board = accounts.staff("board")
    text = page_text(board.get("/admin/members/?q=ORLOVA"))
    assert "269 orlova269@example.ru" in text and "board@example.ru" not in text
    assert "Найдено: 1." in page_text(board.get("/admin/members/?status=pending"))
    member_page = page_text(board.get(f"/admin/members/{world.member_id}"))
    assert "269 Владелец 269 orlova269@example.ru подтверждён" in member_page
    assert "271 Владелец 271 gromov271@example.ru ждёт решения" in member_page


def test_block_ends_sessions_and_refuses_login(app, reference, accounts):
    world = build_world(app, accounts)
    board = accounts.staff("board")
    assert world.member.get("/my-data/").status_code == 200
    response = board.post(f"/admin/members/{world.member_id}/block")
    assert response.status_code == 302
    assert "заблокирована: войти нельзя, открытые сеансы завершены" in page_text(
        board.get(response.headers["Location"])
    )

    assert world.member.get("/my-data/").status_code == 302  # the open session is gone
    login = app.test_client().post("/auth/login", data={"login": "269", "password": "Sad-2022-ok"})
    assert login.status_code == 422 and "Учётная запись заблокирована правлением" in page_text(login)

    board.post(f"/admin/members/{world.member_id}/unblock")
    accounts.login("269")
    assert audit_actions(app)[-2:] == ["account.block", "account.unblock"]


def test_board_cannot_block_itself(app, accounts):
    board = accounts.staff("board")
    own = account_id(app, "board@example.ru")
    response = board.post(f"/admin/members/{own}/block", follow_redirects=True)
    assert "Свою учётную запись заблокировать нельзя." in page_text(response)
    assert board.get("/admin/").status_code == 200


def test_resend_confirmation_mails_a_working_link(app, reference, accounts, client, mailbox):
    client.post(
        "/auth/register",
        data={
            "plot_number": "270",
            "email": "late@example.ru",
            "password": "Sad-2022-ok",
            "password2": "Sad-2022-ok",
            "consent": "y",
        },
    )
    mailbox.clear()
    board = accounts.staff("board")
    late = account_id(app, "late@example.ru")
    assert "адрес не подтверждён" in page_text(board.get("/admin/members/?status=unconfirmed"))
    board.post(f"/admin/members/{late}/resend")
    assert len(mailbox.to("late@example.ru")) == 1
    assert app.test_client().get(mailbox.link("late@example.ru", "/auth/confirm/")).status_code == 302
    again = board.post(f"/admin/members/{late}/resend", follow_redirects=True)
    assert "Адрес этой учётной записи уже подтверждён." in page_text(again)
    assert "account.resend" in audit_actions(app)


def test_role_change_by_the_treasurer_and_by_the_shell(app, reference, accounts, runner):
    world = build_world(app, accounts)
    treasurer = accounts.staff("treasurer")
    response = treasurer.post(
        f"/admin/members/{world.member_id}/role", data={"role": "board"}, follow_redirects=True
    )
    assert "Роль 269: правление." in page_text(response)
    assert world.member.get("/my-data/").status_code == 302  # sessions end with a new role
    bad = treasurer.post(
        f"/admin/members/{world.member_id}/role", data={"role": "admin"}, follow_redirects=True
    )
    assert "Выберите роль из списка." in page_text(bad)

    assert runner.invoke(args=["set-role", "269", "member"]).exit_code == 0
    log = page_text(treasurer.get("/admin/audit/?action=account.role"))
    assert "командная строка Роль изменена orlova269@example.ru board → member" in log
    assert "treasurer@example.ru Роль изменена orlova269@example.ru member → board" in log


def test_no_admin_page_shows_a_hash_or_a_token(app, reference, accounts):
    world = build_world(app, accounts)
    treasurer = accounts.staff("treasurer")
    with app.app_context():
        secrets = [s for a in db.session.scalars(select(Account)) for s in (a.password_hash, a.session_token)]
    pages = {_url(app, rule, world) for _, rule, method in ROUTES if method == "GET"}
    for url in sorted(pages):
        html = treasurer.get(url).get_data().decode("utf-8", "replace")  # the receipts are a PDF
        leaked = [s for s in secrets if s in html]
        assert not leaked, url
        assert "pbkdf2:" not in html and "scrypt:" not in html, url
