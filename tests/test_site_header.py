"""The header and its menu are drawn once per kind of visitor and kept (snt/templating.py): each
visitor still sees their own menu, their own login plot and a logout form with their own token."""

import itertools
import re
import time

from itsdangerous import TimestampSigner
from sqlalchemy import select

from snt import security
from snt.extensions import db
from snt.models import Account
from tests.helpers import Accounts, add_reference_case, dispose, make_app, page_text

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def menu(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_each_visitor_sees_their_own_menu(app, reference, client, accounts):
    first = accounts.member("269", "orlova269@example.ru")
    second = accounts.member("271", "gromov271@example.ru")
    board = accounts.staff("board")
    for who in (client, first, second, board, first, client):  # the kept copies, in any order
        assert "Объявления" in menu(who.get("/"))
    anonymous, one, two, staff = (menu(c.get("/")) for c in (client, first, second, board))
    assert "Войти" in anonymous and "Выйти" not in anonymous and "Собрания" not in anonymous
    assert 'href="/my-data/">269</a>' in one and ">271</a>" not in one
    assert 'href="/my-data/">271</a>' in two and ">269</a>" not in two
    assert "Администрирование" in staff and "Регистрационные данные" in staff
    assert "Администрирование" not in one and "Администрирование" not in anonymous


def test_the_menu_and_the_contact_form_name_the_login_plot_until_it_is_freed(app, reference, accounts):
    """The session's account is loaded with its login plot's number, not the plot (snt/auth/views.py):
    the menu and the contact form show it, and stop the request after the board frees it."""
    squatter = accounts.member("271", "squatter@example.ru")
    board = accounts.staff("board", "chair@example.ru")
    assert 'href="/my-data/">271</a>' in menu(squatter.get("/my-data/payments/"))
    assert 'name="plot_number" type="text" value="271"' in squatter.get("/contacts").get_data(as_text=True)
    with app.app_context():
        squatter_id = db.session.scalar(select(Account.id).where(Account.email == "squatter@example.ru"))
    assert board.post(f"/admin/members/{squatter_id}/release-login", data={"plot": "271"}).status_code == 302
    after = menu(squatter.get("/my-data/payments/"))
    assert 'href="/my-data/">Регистрационные данные</a>' in after and ">271<" not in after
    assert 'value="271"' not in squatter.get("/contacts").get_data(as_text=True)


def test_the_logout_form_carries_the_sessions_own_token(tmp_path, smtp_server, mailbox):
    app = make_app(tmp_path, smtp_server[0].port)
    with app.app_context():
        add_reference_case()
        db.session.commit()
    accounts = Accounts(app, mailbox)
    first = accounts.member("269", "orlova269@example.ru")
    second = accounts.member("271", "gromov271@example.ru")
    app.config["WTF_CSRF_ENABLED"] = True  # on from here: the forms above posted without tokens
    first_token = TOKEN.search(menu(first.get("/my-data/"))).group(1)
    second_token = TOKEN.search(menu(second.get("/my-data/"))).group(1)
    assert first_token != second_token
    # Another session's token is refused; the session's own logs it out.
    assert first.post("/auth/logout", data={"csrf_token": second_token}).status_code == 400
    assert first.post("/auth/logout", data={"csrf_token": first_token}).status_code == 302
    assert "Войти" in page_text(first.get("/"))
    dispose(app)


def test_the_logout_token_is_signed_again_at_most_once_a_minute(tmp_path, smtp_server, mailbox, monkeypatch):
    """Signing the token on every page was a twentieth of a page's work (snt/security.py): pages of
    one session within a minute carry the same signed token, which logs out like a fresh one; the
    first page after the minute carries a newly signed one."""
    app = make_app(tmp_path, smtp_server[0].port)
    with app.app_context():
        add_reference_case()
        db.session.commit()
    member = Accounts(app, mailbox).member("269", "orlova269@example.ru")
    app.config["WTF_CSRF_ENABLED"] = True
    now = [1000.0]
    monkeypatch.setattr(security, "_monotonic", lambda: now[0])
    seconds = itertools.count(int(time.time()), 3)  # each signature a later second
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: next(seconds))

    def token(url: str) -> str:
        return TOKEN.search(menu(member.get(url))).group(1)

    first = token("/my-data/")
    now[0] += 59
    assert token("/my-data/payments/") == token("/") == first
    now[0] += 1
    second = token("/my-data/")
    assert second != first and token("/") == second
    assert member.post("/auth/logout", data={"csrf_token": first}).status_code == 302
    assert "Войти" in page_text(member.get("/"))
    dispose(app)
