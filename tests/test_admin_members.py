"""Accounts from the browser: search, block (sessions end, login refused), unblock, resend the
confirmation, roles; no page shows a password hash or a session token."""

from sqlalchemy import select

from snt.audit import SHELL
from snt.extensions import db
from snt.models import Account, AuditEntry
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
    # Opened elsewhere than the registering browser: the link asks for a password first (issue 11).
    link, owner = mailbox.link("late@example.ru", "/auth/confirm/"), app.test_client()
    assert "Задайте пароль" in page_text(owner.get(link))
    assert owner.post(link, data={"password": "Late-2022-ok", "password2": "Late-2022-ok"}).status_code == 302
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
    assert "из командной строки: set-role Роль изменена orlova269@example.ru board → member" in log
    assert "treasurer@example.ru из браузера Роль изменена orlova269@example.ru member → board" in log


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


def test_the_board_frees_a_login_plot_held_under_another_email(app, reference, accounts, mailbox, runner):
    """Plot squatting (issue 11): a confirmed account holds 271 under its own email for ever."""
    squatter = accounts.member("271", "squatter@example.ru")
    board = accounts.staff("board", "chair@example.ru")
    squatter_id = account_id(app, "squatter@example.ru")
    page = page_text(board.get(f"/admin/members/{squatter_id}"))
    assert "Освободить участок № 271 от логина" in page
    mailbox.clear()

    response = board.post(
        f"/admin/members/{squatter_id}/release-login", data={"plot": "271"}, follow_redirects=True
    )
    assert "Участок № 271 больше не логин учётной записи squatter@example.ru" in page_text(response)
    [notice] = mailbox.to("squatter@example.ru")
    assert "входите по адресу электропочты squatter@example.ru" in mailbox.text(notice)
    assert "account.release_login" in audit_actions(app)
    assert "Участок освобождён от логина" in page_text(board.get("/admin/audit/"))

    # The squatter logs in by email only; «Забыли пароль» for 271 mails nobody; the owner registers 271.
    assert squatter.get("/my-data/").status_code == 200
    assert accounts.login("squatter@example.ru")
    assert (
        app.test_client().post("/auth/login", data={"login": "271", "password": "Sad-2022-ok"}).status_code
        == 422
    )
    mailbox.clear()
    app.test_client().post("/auth/forgot", data={"login": "271"})
    assert mailbox.messages == []
    accounts.register("271", "gromov271@example.ru")
    assert "271 — подтверждён" in page_text(accounts.login("271").get("/my-data/"))


def test_a_login_plot_under_its_registry_email_is_not_freed_and_the_shell_frees_the_others(
    app, reference, accounts, mailbox, runner
):
    accounts.member("269", "orlova269@example.ru")
    accounts.member("270", "someone@example.ru")
    board = accounts.staff("board")
    orlova_id = account_id(app, "orlova269@example.ru")
    assert "от логина" not in page_text(board.get(f"/admin/members/{orlova_id}"))
    refused = board.post(
        f"/admin/members/{orlova_id}/release-login", data={"plot": "269"}, follow_redirects=True
    )
    assert "адрес участка № 269 по реестру: логин освобождать незачем" in page_text(refused)

    result = runner.invoke(args=["release-login", "269"])
    assert result.exit_code == 1 and "логин освобождать незачем" in result.output
    result = runner.invoke(args=["release-login", "270"])
    assert result.exit_code == 0, result.output
    assert "Участок № 270 больше не логин учётной записи someone@example.ru" in result.output
    assert "из командной строки: release-login Участок освобождён от логина" in page_text(
        board.get("/admin/audit/")
    )
    assert runner.invoke(args=["release-login", "270"]).exit_code == 1


def test_blocking_follows_the_role_order(app, reference, accounts):
    world = build_world(app, accounts)
    board = accounts.staff("board")
    other_board = accounts.staff("board", email="board2@example.ru")
    treasurer = accounts.staff("treasurer")
    accounts.staff("treasurer", email="zam@example.ru")
    ids = {
        email: account_id(app, email)
        for email in ("board2@example.ru", "treasurer@example.ru", "zam@example.ru")
    }

    # A board member cannot block the treasurer or another board member, and sees no button for it.
    for target in ("treasurer@example.ru", "board2@example.ru"):
        page = board.get(f"/admin/members/{ids[target]}")
        assert "Заблокировать" not in page_text(page)
        response = board.post(f"/admin/members/{ids[target]}/block", follow_redirects=True)
        assert (
            "вы заблокировать не можете: блокировать и разблокировать можно только учётные записи с ролью "
            in (page_text(response))
        )
        assert "ниже вашей (член товарищества → правление → казначей)" in page_text(response)
    assert treasurer.get("/admin/").status_code == 200 and other_board.get("/admin/").status_code == 200

    # A treasurer cannot block another treasurer either.
    response = treasurer.post(f"/admin/members/{ids['zam@example.ru']}/block", follow_redirects=True)
    assert "Учётную запись с ролью «казначей» вы заблокировать не можете" in page_text(response)

    # Down the order it works: the board blocks a member, the treasurer blocks a board member.
    assert "заблокирована" in page_text(
        board.post(f"/admin/members/{world.member_id}/block", follow_redirects=True)
    )
    treasurer.post(f"/admin/members/{ids['board2@example.ru']}/block")
    assert other_board.get("/admin/").status_code == 302  # its session ended
    # …and the board member cannot unblock itself through another board account.
    response = board.post(f"/admin/members/{ids['board2@example.ru']}/unblock", follow_redirects=True)
    assert "вы разблокировать не можете" in page_text(response)
    assert "Разблокировать её может администратор сервера" in page_text(response)
    assert audit_actions(app).count("account.block") == 2


def test_the_shell_can_always_unblock(app, reference, accounts, runner):
    from snt.auth import members

    accounts.staff("treasurer")
    with app.app_context():
        account = db.session.get(Account, account_id(app, "treasurer@example.ru"))
        members.set_blocked(account, True, by=None)
    refused = app.test_client().post(
        "/auth/login", data={"login": "treasurer@example.ru", "password": "Sad-2022-ok"}
    )
    assert "Учётная запись заблокирована правлением" in page_text(refused)

    result = runner.invoke(args=["unblock", "treasurer@example.ru"])
    assert result.exit_code == 0, result.output
    assert "Учётная запись treasurer@example.ru <treasurer@example.ru> разблокирована." in result.output
    accounts.login("treasurer@example.ru")
    assert audit_actions(app)[-2:] == ["account.block", "account.unblock"]
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.actor, entry.actor_id) == ("account.unblock", f"{SHELL}: unblock", None)

    again = runner.invoke(args=["unblock", "treasurer@example.ru"])
    assert again.exit_code == 1 and "Учётная запись не заблокирована." in again.output
    unknown = runner.invoke(args=["unblock", "nobody@example.ru"])
    assert unknown.exit_code == 1 and "Учётной записи «nobody@example.ru» нет." in unknown.output
    help_text = runner.invoke(args=["unblock", "--help"]).output
    assert "Разблокировать учётную запись (LOGIN — номер участка или адрес электропочты)." in help_text
