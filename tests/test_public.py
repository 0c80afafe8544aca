"""Public pages: the seed's menu, announcements, database-backed pages, contact form, help."""

from datetime import datetime

from snt.extensions import db
from snt.models import Account, Announcement, ContactMessage, Page
from tests.helpers import page_text


def test_menu_has_the_seed_items(client):
    text = page_text(client.get("/"))
    for item in ["Объявления", "Устав", "Правление", "Финансы", "Контакты", "Мои данные", "Помощь"]:
        assert item in text
    for item in [
        "Смета",
        "Отчёты",
        "Протоколы собраний",
        "Реквизиты для оплаты",
        "Скачать инструкцию по работе с личным кабинетом",
    ]:
        assert item in text


def test_member_menu_holds_the_seed_subitems(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    text = page_text(client.get("/"))
    for item in [
        "Статус моих оплат",
        "Показания моих счетчиков электричества",
        "269",
        "Изменить регистрационные данные",
        "Изменить электропочту или пароль",
        "Выйти",
    ]:
        assert item in text


def test_announcements_public_and_members_only(app, client, reference, accounts):
    with app.app_context():
        db.session.add_all(
            [
                Announcement(title="Вывоз мусора", body="По вторникам.", published_at=datetime(2022, 5, 1)),
                Announcement(
                    title="Смета для членов",
                    body="Проект.",
                    is_public=False,
                    published_at=datetime(2022, 5, 2),
                ),
                Announcement(title="Черновик", body="Не готово."),
            ]
        )
        db.session.commit()
    text = page_text(client.get("/"))
    assert "Вывоз мусора" in text and "Смета для членов" not in text and "Черновик" not in text
    assert client.get("/announcements/2").status_code == 404  # members-only, guest
    assert client.get("/announcements/3").status_code == 404  # draft
    member = accounts.member("269", "orlova269@example.ru")
    assert "Смета для членов" in page_text(member.get("/"))
    assert member.get("/announcements/2").status_code == 200


def test_pages_come_from_the_database(app, client):
    assert "Раздел пока не заполнен." in page_text(client.get("/page/charter"))
    with app.app_context():
        db.session.add(
            Page(slug="charter", title="Устав", body="Устав принят в 2019 году.\n\n<script>x</script>")
        )
        db.session.commit()
    response = client.get("/page/charter")
    assert "Устав принят в 2019 году." in page_text(response)
    assert "<script>x</script>" not in response.get_data(as_text=True)  # escaped text, not HTML
    assert client.get("/page/nonsense").status_code == 404


def test_contact_form_stores_the_message_and_mails_the_board(app, client, mailbox):
    with app.app_context():
        db.session.add(Account(email="board@example.ru", role="board", password_hash="x"))
        db.session.commit()
    response = client.post(
        "/contacts",
        data={
            "name": "Иван",
            "email": "ivan@example.ru",
            "plot_number": "269",
            "text": "Нет данных по участку.",
        },
    )
    assert response.status_code == 302
    assert "Сообщение отправлено правлению" in page_text(client.get("/contacts"))
    with app.app_context():
        message = db.session.query(ContactMessage).one()
        assert (message.name, message.plot_number, message.text) == ("Иван", "269", "Нет данных по участку.")
    [mail] = mailbox.to("board@example.ru")
    assert "Нет данных по участку." in mailbox.text(mail)
    assert "От: Иван <ivan@example.ru>" in mailbox.text(mail)


def test_contact_form_bad_input(app, client, mailbox):
    response = client.post("/contacts", data={"name": "", "email": "nope", "text": ""})
    assert response.status_code == 422
    text = page_text(response)
    assert "Обязательное поле." in text and "Введите адрес электропочты полностью" in text
    with app.app_context():
        assert db.session.query(ContactMessage).count() == 0


def test_help_page_and_instruction_download(client):
    text = page_text(client.get("/help"))
    assert "Номера ваших участков" in text and "ожидает подтверждения правлением" in text
    response = client.get("/help/instruction.html")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert "Инструкция по работе с личным кабинетом" in response.get_data(as_text=True)


def test_unknown_page_gets_a_russian_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Такой страницы нет." in page_text(response)


def test_members_only_content_is_closed_to_an_account_without_a_verified_plot(
    app, client, reference, accounts
):
    """«Только членам товарищества» (issue 11): registering an account is not enough."""
    import io

    from snt.public import documents
    from tests.helpers import PDF

    with app.app_context():
        notice = Announcement(
            title="Смета для членов",
            body="Взносы 2023: 1 200 ₽ с сотки.",
            is_public=False,
            published_at=datetime(2022, 5, 2),
        )
        db.session.add(notice)
        db.session.commit()
        secret = documents.upload(io.BytesIO(PDF), "Смета.pdf", "Смета 2023", "budget", False, by=None)
        notice_id, document_id = notice.id, secret.id
    stranger = accounts.member("270", "stranger@example.ru")  # 270 is Orlova's: the claim waits

    assert "Смета для членов" not in page_text(stranger.get("/"))
    assert "1 200 ₽" not in page_text(stranger.get("/"))
    assert stranger.get(f"/announcements/{notice_id}").status_code == 404
    response = stranger.get(f"/documents/{document_id}")
    assert response.status_code == 403 and response.data != PDF
    assert "после того, как правление подтвердит ваш участок" in page_text(response)
    budget = page_text(stranger.get("/page/budget"))
    assert "Смета 2023" not in budget
    assert "Ещё документов для членов товарищества: 1" in budget
    assert "после того, как правление подтвердит ваш участок" in budget

    member = accounts.member("269", "orlova269@example.ru")  # registry email: verified at once
    assert "Смета для членов" in page_text(member.get("/"))
    assert member.get(f"/announcements/{notice_id}").status_code == 200
    assert member.get(f"/documents/{document_id}").data == PDF
    board = accounts.staff("board")
    assert board.get(f"/documents/{document_id}").data == PDF
