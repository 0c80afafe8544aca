"""Registration, confirmation by a real SMTP conversation, login, logout, reset, changes."""

from pathlib import Path

import itsdangerous.timed
import pytest

from snt.extensions import db
from snt.models import Account
from tests.helpers import page_text

GOOD = "Sad-2022-ok"


def register(client, plot="269", email="orlova269@example.ru", password=GOOD, password2=None, consent="y"):
    data = {"plot_number": plot, "email": email, "password": password, "password2": password2 or password}
    if consent:
        data["consent"] = consent
    return client.post("/auth/register", data=data)


def test_registration_form_has_the_seed_fields_and_an_unticked_consent(client):
    html = client.get("/auth/register").get_data(as_text=True)
    for label in ["Номер участка (логин)", "Адрес электропочты", "Пароль", "Подтвердить пароль"]:
        assert f">{label}</label>" in html
    assert 'type="checkbox"' in html and "checked" not in html
    assert 'href="/page/privacy"' in html


def test_register_confirm_login_journey(reference, client, mailbox):
    response = register(client)
    assert response.status_code == 200
    assert "Мы отправили письмо на адрес orlova269@example.ru" in page_text(response)
    [message] = mailbox.to("orlova269@example.ru")
    assert message["Subject"] == "СНТ «Аникино»: подтвердите адрес электропочты"
    assert "https://snt.example/auth/confirm/" in mailbox.text(message)

    # Not confirmed yet: login is refused with a message that says what to do.
    response = client.post("/auth/login", data={"login": "269", "password": GOOD})
    assert response.status_code == 422
    assert "Адрес электропочты ещё не подтверждён" in page_text(response)

    response = client.get(mailbox.link("orlova269@example.ru", "/auth/confirm/"))
    assert response.status_code == 302 and response.headers["Location"] == "/my-data/"
    profile = page_text(client.get("/my-data/"))
    assert "Адрес электропочты подтверждён" in profile
    assert "269 — подтверждён" in profile  # registry email matched: verified without the board

    client.post("/auth/logout")
    response = client.post("/auth/login", data={"login": "orlova269@example.ru", "password": GOOD})
    assert response.status_code == 302


def test_login_by_plot_number_ignores_case_and_spaces(app, client, accounts):
    with app.app_context():
        from tests.helpers import add_plot

        add_plot("12а", email="belova@example.ru")
        db.session.commit()
    accounts.register("12а", "belova@example.ru")
    assert client.post("/auth/login", data={"login": " 12A ", "password": GOOD}).status_code == 302


def test_confirmation_link_twice_does_not_log_in_again(reference, client, mailbox):
    register(client)
    link = mailbox.link("orlova269@example.ru", "/auth/confirm/")
    assert client.get(link).status_code == 302
    other = client.application.test_client()
    response = other.get(link)
    assert response.headers["Location"] == "/auth/login"
    assert other.get("/my-data/").status_code == 302  # still a guest


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": "Ab1!"}, "Пароль должен быть не короче 8 знаков."),
        ({"password": "password1"}, "Этот пароль слишком распространён"),
        ({"password": "12345678"}, "Этот пароль слишком распространён"),
        ({"password": "пароль-длинный-1"}, "только латинские буквы, цифры и знаки препинания"),
        ({"password2": "Sad-2022-other"}, "Пароли не совпадают."),
        ({"email": "not-an-email"}, "Введите адрес электропочты полностью"),
        ({"email": "иван@example.ru"}, "Введите адрес электропочты полностью"),
        ({"email": ""}, "Обязательное поле."),
        ({"plot": "999"}, "Участка № 999 нет в реестре товарищества"),
        ({"plot": "abc"}, "«abc» — не номер участка"),
        ({"consent": None}, "Без согласия на обработку персональных данных регистрация невозможна."),
    ],
)
def test_bad_registration_input_gets_a_russian_message(reference, client, mailbox, fields, message):
    response = register(client, **fields)
    assert response.status_code == 422
    assert message in page_text(response)
    assert mailbox.messages == []
    with client.application.app_context():
        assert db.session.query(Account).count() == 0


def test_a_plot_already_used_as_login_makes_no_account_and_the_page_does_not_say_so(
    reference, client, accounts, mailbox
):
    accounts.register("269", "orlova269@example.ru")
    response = register(client, plot="269", email="someone@example.ru")
    assert response.status_code == 200  # the page every registration gets (issue 11)
    assert "уже используется как логин" not in page_text(response)
    assert "Участок № 269 уже служит логином" in mailbox.text(mailbox.to("someone@example.ru")[0])
    with client.application.app_context():
        assert db.session.query(Account).count() == 1


def test_taken_email_answers_like_success_and_tells_the_owner(reference, client, accounts, mailbox):
    accounts.register("269", "orlova269@example.ru")
    mailbox.clear()
    response = register(client, plot="270", email="orlova269@example.ru")
    assert response.status_code == 200
    assert "Мы отправили письмо на адрес orlova269@example.ru" in page_text(response)
    [notice] = mailbox.to("orlova269@example.ru")
    assert "Кто-то пытался зарегистрироваться" in mailbox.text(notice)
    with client.application.app_context():
        assert db.session.query(Account).count() == 1


def test_wrong_password_and_unknown_login_get_the_same_answer(reference, client, accounts):
    accounts.register("269", "orlova269@example.ru")
    wrong = client.post("/auth/login", data={"login": "269", "password": "Wrong-pass-1"})
    unknown = client.post("/auth/login", data={"login": "270", "password": "Wrong-pass-1"})
    assert wrong.status_code == unknown.status_code == 422
    assert "Неверный логин или пароль." in page_text(wrong)
    assert "Неверный логин или пароль." in page_text(unknown)


def test_logout_is_post_only_and_ends_the_session(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    assert client.get("/auth/logout").status_code == 405
    cookie = client.get_cookie("session").value
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/my-data/").status_code == 302
    # A cookie copied before logout gets nothing afterwards: the session token was rotated.
    client.set_cookie("session", cookie)
    assert client.get("/my-data/").status_code == 302


def test_expired_confirmation_link_is_refused_with_an_offer_of_a_new_one(
    reference, client, mailbox, monkeypatch
):
    register(client)
    link = mailbox.link("orlova269@example.ru", "/auth/confirm/")
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() + 48 * 3600 + 1)
    response = client.get(link)
    assert response.status_code == 400
    text = page_text(response)
    assert "Срок действия ссылки истёк" in text
    assert "Отправить новое письмо для подтверждения" in text


def test_tampered_link_is_refused(reference, client, mailbox):
    register(client)
    link = mailbox.link("orlova269@example.ru", "/auth/confirm/")
    response = client.get(link[:-3] + "abc")
    assert response.status_code == 400
    assert "Ссылка повреждена или недействительна" in page_text(response)


def test_resend_confirmation_sends_a_fresh_link(reference, client, mailbox):
    register(client)
    mailbox.clear()
    response = client.post("/auth/confirm/resend", data={"login": "269"})
    assert "Если такая учётная запись есть" in page_text(response)
    assert client.get(mailbox.link("orlova269@example.ru", "/auth/confirm/")).status_code == 302
    # Same answer for an account that does not exist, and nothing is sent.
    mailbox.clear()
    response = client.post("/auth/confirm/resend", data={"login": "271"})
    assert "Если такая учётная запись есть" in page_text(response)
    assert mailbox.messages == []


def test_password_reset_link_works_once(reference, client, accounts, mailbox):
    accounts.register("269", "orlova269@example.ru")
    response = client.post("/auth/forgot", data={"login": "269"})
    assert "Если такая учётная запись есть" in page_text(response)
    link = mailbox.link("orlova269@example.ru", "/auth/reset/")
    response = client.post(link, data={"password": "New-pass-2022", "password2": "New-pass-2022"})
    assert response.status_code == 302
    assert client.post("/auth/login", data={"login": "269", "password": "New-pass-2022"}).status_code == 302

    again = client.application.test_client().post(
        link, data={"password": "Other-2022-x", "password2": "Other-2022-x"}
    )
    assert again.status_code == 400
    assert "Ссылка уже использована или устарела" in page_text(again)


def test_reset_for_unknown_login_answers_the_same_and_sends_nothing(reference, client, mailbox):
    response = client.post("/auth/forgot", data={"login": "nobody@example.ru"})
    assert response.status_code == 200
    assert "Если такая учётная запись есть" in page_text(response)
    assert mailbox.messages == []


def test_change_password_needs_the_current_one(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    response = client.post(
        "/auth/account",
        data={
            "pw-current_password": "wrong-one-1",
            "pw-password": "New-pass-2022",
            "pw-password2": "New-pass-2022",
            "pw-submit": "1",
        },
    )
    assert response.status_code == 422
    assert "Текущий пароль введён неверно." in page_text(response)
    response = client.post(
        "/auth/account",
        data={
            "pw-current_password": GOOD,
            "pw-password": "New-pass-2022",
            "pw-password2": "New-pass-2022",
            "pw-submit": "1",
        },
    )
    assert response.status_code == 302
    assert client.get("/my-data/").status_code == 200  # this session carries on
    assert accounts.login("269", "New-pass-2022")


def test_password_change_logs_out_other_sessions(reference, accounts):
    phone = accounts.member("269", "orlova269@example.ru")
    laptop = accounts.login("269")
    laptop.post(
        "/auth/account",
        data={
            "pw-current_password": GOOD,
            "pw-password": "New-pass-2022",
            "pw-password2": "New-pass-2022",
            "pw-submit": "1",
        },
    )
    assert phone.get("/my-data/").status_code == 302


def test_a_new_secret_key_ends_sessions_unless_the_old_one_is_a_fallback(app, reference, accounts):
    """The session cookie's serializer is kept between requests (snt/security.py) yet follows the
    keys: with a new SECRET_KEY and the old one in SECRET_KEY_FALLBACKS a member stays signed in;
    without the old one, the cookie signed with it no longer opens the cabinet."""
    member = accounts.member("269", "orlova269@example.ru")
    assert member.get("/my-data/").status_code == 200
    old = app.secret_key
    app.secret_key = "another-secret"
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert member.get("/my-data/").status_code == 200
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert member.get("/my-data/").status_code == 302


def test_change_email_is_confirmed_at_the_new_address(reference, accounts, mailbox):
    client = accounts.member("269", "orlova269@example.ru")
    old_link = mailbox.link("orlova269@example.ru", "/auth/confirm/")
    response = client.post(
        "/auth/account",
        data={"email-email": "new.orlova@example.ru", "email-current_password": GOOD, "email-submit": "1"},
    )
    assert response.status_code == 302
    assert "orlova269@example.ru" in page_text(client.get("/my-data/"))  # not changed yet
    assert client.get(mailbox.link("new.orlova@example.ru", "/auth/change-email/")).status_code == 302
    assert "new.orlova@example.ru" in page_text(client.get("/my-data/"))
    # The old confirmation link is useless once the email has changed.
    response = client.get(old_link)
    assert response.status_code == 400
    assert "адрес электропочты был изменён" in page_text(response)


def test_change_email_needs_the_password(reference, accounts, mailbox):
    client = accounts.member("269", "orlova269@example.ru")
    mailbox.clear()
    response = client.post(
        "/auth/account",
        data={
            "email-email": "new.orlova@example.ru",
            "email-current_password": "bad-pass-1",
            "email-submit": "1",
        },
    )
    assert response.status_code == 422
    assert "Текущий пароль введён неверно." in page_text(response)
    assert mailbox.messages == []


def test_next_redirect_only_to_this_site(reference, client, accounts):
    accounts.register("269", "orlova269@example.ru")
    response = client.post("/auth/login?next=https://evil.example/", data={"login": "269", "password": GOOD})
    assert response.headers["Location"] == "/my-data/payments/"  # «Статус моих оплат» after login
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/my-data/electricity/", data={"login": "269", "password": GOOD})
    assert response.headers["Location"] == "/my-data/electricity/"


def test_forms_refuse_a_post_without_csrf_token(app, reference):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/auth/login", data={"login": "269", "password": GOOD})
    assert response.status_code == 400
    assert "Форма устарела" in page_text(response)


def test_without_a_mail_server_mail_goes_to_the_outbox(app, reference, client):
    app.config["MAIL_SERVER"] = None
    register(client)
    [saved] = list((Path(app.instance_path) / "outbox").iterdir())
    text = saved.read_text(encoding="utf-8")
    assert "To: orlova269@example.ru" in text
    assert "https://snt.example/auth/confirm/" in text


# --- Pre-hijacking (issue 11): whoever holds the mailbox ends up the only one who can log in.

ATTACKER_PASSWORD = "Attacker-2022"


def test_registering_with_the_owners_email_gives_the_stranger_nothing(app, reference, mailbox):
    """A stranger registers 271 with the registry's email of its owner and a password of their
    own; the owner opens the emailed link in their own browser."""
    stranger = app.test_client()
    assert (
        register(stranger, plot="271", email="gromov271@example.ru", password=ATTACKER_PASSWORD).status_code
        == 200
    )
    owner = app.test_client()
    link = mailbox.link("gromov271@example.ru", "/auth/confirm/")

    response = owner.get(link)
    assert response.status_code == 200
    assert "Задайте пароль" in page_text(response)
    refused = stranger.post("/auth/login", data={"login": "271", "password": ATTACKER_PASSWORD})
    assert refused.status_code == 422  # still unconfirmed: nobody is in yet

    response = owner.post(link, data={"password": "Gromov-own-1", "password2": "Gromov-own-1"})
    assert response.status_code == 302 and response.headers["Location"] == "/my-data/"
    assert "271 — подтверждён" in page_text(owner.get("/my-data/"))
    assert "8 500,00" in page_text(owner.get("/my-data/payments/"))

    refused = stranger.post("/auth/login", data={"login": "271", "password": ATTACKER_PASSWORD})
    assert refused.status_code == 422 and "Неверный логин или пароль." in page_text(refused)
    refused = stranger.post(
        "/auth/login", data={"login": "gromov271@example.ru", "password": ATTACKER_PASSWORD}
    )
    assert refused.status_code == 422


def test_an_email_change_to_the_owners_address_gives_the_stranger_nothing(app, reference, accounts, mailbox):
    """A member claims 271 and asks to change their email to its owner's; the owner opens the link."""
    stranger = accounts.member("269", "stranger@example.ru", ATTACKER_PASSWORD)
    stranger.post("/my-data/edit", data={"plots": "269,271"})
    response = stranger.post(
        "/auth/account",
        data={
            "email-email": "gromov271@example.ru",
            "email-current_password": ATTACKER_PASSWORD,
            "email-submit": "1",
        },
    )
    assert response.status_code == 302
    owner = app.test_client()
    link = mailbox.link("gromov271@example.ru", "/auth/change-email/")

    response = owner.get(link)
    assert response.status_code == 200 and "Задайте пароль" in page_text(response)
    assert "8 500,00" not in page_text(stranger.get("/my-data/payments/"))
    response = owner.post(link, data={"password": "Gromov-own-1", "password2": "Gromov-own-1"})
    assert response.status_code == 302

    assert stranger.get("/my-data/").status_code == 302  # the stranger's session has ended
    refused = app.test_client().post("/auth/login", data={"login": "269", "password": ATTACKER_PASSWORD})
    assert refused.status_code == 422
    owner = accounts.login("gromov271@example.ru", "Gromov-own-1")
    assert "8 500,00" in page_text(owner.get("/my-data/payments/"))


def test_a_link_opened_in_the_browser_that_asked_for_it_needs_no_new_password(reference, accounts, mailbox):
    client = accounts.member("269", "orlova269@example.ru")  # registers and confirms in one browser
    client.post(
        "/auth/account",
        data={"email-email": "new.orlova@example.ru", "email-current_password": GOOD, "email-submit": "1"},
    )
    response = client.get(mailbox.link("new.orlova@example.ru", "/auth/change-email/"))
    assert response.status_code == 302
    assert "new.orlova@example.ru" in page_text(client.get("/my-data/"))


# --- Plot squatting (issue 11): the registry's email wins an unconfirmed login plot.


def test_a_registration_with_the_registry_email_replaces_an_unconfirmed_squatter(app, reference, mailbox):
    squatter = app.test_client()
    register(squatter, plot="271", email="squatter@example.ru")
    owner = app.test_client()
    assert (
        register(owner, plot="271", email="gromov271@example.ru", password="Gromov-own-1").status_code == 200
    )
    assert owner.get(mailbox.link("gromov271@example.ru", "/auth/confirm/")).status_code == 302
    assert "271 — подтверждён" in page_text(owner.get("/my-data/"))
    # The squatter's account is gone, and with it their link.
    response = squatter.get(mailbox.link("squatter@example.ru", "/auth/confirm/"))
    assert response.status_code == 400


def test_an_unconfirmed_registry_email_is_never_replaced_by_another(app, reference, mailbox):
    owner = app.test_client()
    register(owner, plot="271", email="gromov271@example.ru", password="Gromov-own-1")
    squatter = app.test_client()
    register(squatter, plot="271", email="squatter@example.ru")
    assert "Участок № 271 уже служит логином" in mailbox.text(mailbox.to("squatter@example.ru")[0])
    assert owner.get(mailbox.link("gromov271@example.ru", "/auth/confirm/")).status_code == 302
    assert "271 — подтверждён" in page_text(owner.get("/my-data/"))
