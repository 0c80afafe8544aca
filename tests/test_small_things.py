"""Small things a member expects (issue 13 item 9): tel: links, a favicon, an instruction that
covers the QR code, the receipt and «Мои платежи»."""

from snt.markup import render_markdown
from tests.helpers import page_text


def test_phones_on_contacts_are_tel_links(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    html = client.get("/contacts").get_data(as_text=True)
    assert '<a href="tel:+79160000000">8 (916) 000-00-00</a>' in html


def test_phone_links_leave_other_numbers_links_and_code_alone():
    html = str(
        render_markdown(
            "Председатель: +7 916 123-45-67, сын 89160000270.\n\n"
            "ИНН 5012345672, счёт 40703810538000001234, [звоните](tel:+79161112233), `8 (916) 000-00-00`"
        )
    )
    assert '<a href="tel:+79161234567">+7 916 123-45-67</a>' in html
    assert '<a href="tel:+79160000270">89160000270</a>' in html
    assert "счёт 40703810538000001234," in html and "ИНН 5012345672," in html
    assert "<code>8 (916) 000-00-00</code>" in html
    assert html.count("tel:") == 3


def test_a_favicon(client):
    html = client.get("/").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")


def test_the_instruction_covers_the_new_pages(client):
    text = page_text(client.get("/help/instruction.html"))
    for words in (
        "Итого к оплате",
        "один QR-код на всю сумму",
        "Сохранить QR-код",
        "Квитанция на оплату (PDF)",
        "Мои платежи",
        "Акт сверки",
        "загружено ранее",
        "в т.ч. долг",
    ):
        assert words in text, words
