"""The contact-form inbox: read and handled marks, and a reply sent by real SMTP."""

from snt.extensions import db
from snt.models import ContactMessage
from tests.helpers import audit_actions, message_id, page_text


def send_message(client, text="Нет данных по участку 271."):
    client.post(
        "/contacts", data={"name": "Иван", "email": "ivan@example.ru", "plot_number": "271", "text": text}
    )


def test_inbox_read_reply_and_handled(app, client, accounts, mailbox):
    board = accounts.staff("board")
    send_message(client)
    assert "Непрочитанные сообщения с сайта: 1" in page_text(board.get("/admin/"))
    assert "Иван" in page_text(board.get("/admin/messages/?show=unread"))
    number = message_id(app)

    page = page_text(board.get(f"/admin/messages/{number}"))
    assert "Нет данных по участку 271." in page
    assert "Непрочитанные сообщения с сайта: 0 (ждут ответа: 1)" in page_text(board.get("/admin/"))

    empty = board.post(f"/admin/messages/{number}", data={"text": " "})
    assert empty.status_code == 422 and "Напишите текст ответа." in page_text(empty)

    mailbox.clear()
    response = board.post(
        f"/admin/messages/{number}", data={"text": "Участок подтвердим в субботу.", "handled": "y"}
    )
    assert response.status_code == 302
    [mail] = mailbox.to("ivan@example.ru")
    assert mail["Subject"] == "СНТ «Аникино»: ответ правления"
    body = mailbox.text(mail)
    assert "Здравствуйте, Иван!" in body and "Участок подтвердим в субботу." in body
    assert "Нет данных по участку 271." in body  # the question quoted below
    page = page_text(board.get(f"/admin/messages/{number}"))
    assert (
        "Ответ отправлен на ivan@example.ru." in page
        and "board@example.ru Участок подтвердим в субботу." in page
    )
    assert "Сообщений нет." in page_text(board.get("/admin/messages/?show=open"))

    board.post(f"/admin/messages/{number}/handled")  # back to waiting
    assert "Иван" in page_text(board.get("/admin/messages/?show=open"))
    board.post(f"/admin/messages/{number}/unread")
    with app.app_context():
        assert db.session.get(ContactMessage, number).is_read is False
    assert audit_actions(app)[-2:] == ["message.reply", "message.reopened"]


def test_a_reply_that_could_not_be_sent_is_not_recorded(app, client, accounts, mailbox):
    board = accounts.staff("board")
    send_message(client)
    app.extensions["mail"].port = 9  # nothing listens there
    response = board.post(f"/admin/messages/{message_id(app)}", data={"text": "Ответ."})
    assert response.status_code == 422
    assert "Письмо на ivan@example.ru не отправлено" in page_text(response)
    assert "Ответ." in response.get_data(as_text=True)  # the text stays in the form
    with app.app_context():
        message = db.session.get(ContactMessage, message_id(app))
        assert message.replies == [] and message.handled_at is None
    assert "message.reply" not in audit_actions(app)
