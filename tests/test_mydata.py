"""«Изменить регистрационные данные»: plots, owner, contacts, mobile; ownership claims."""

import pytest

from snt.extensions import db
from snt.models import Account
from tests.helpers import page_text


def save(client, **fields):
    data = {"plots": "269", "full_name": "", "contact_persons": "", "phone": ""}
    data.update(fields)
    return client.post("/my-data/edit", data=data)


def test_profile_page_is_titled_by_the_login_plot(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    text = page_text(client.get("/my-data/"))
    assert "<title>269 — " in client.get("/my-data/").get_data(as_text=True)
    assert "Номер участка (логин) 269 Адрес электропочты orlova269@example.ru" in text


def test_edit_form_has_the_seed_fields_and_buttons(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    html = client.get("/my-data/edit").get_data(as_text=True)
    for label in ["Номера участков", "ФИО владельца", "Контактные лица", "Мобильный"]:
        assert f">{label}</label>" in html
    assert "Номера Ваших участков" in html
    assert 'value="Сохранить"' in html and ">Отмена</a>" in html


def test_saving_data_with_spaces_and_any_order(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    response = save(
        client,
        plots=" 270 , 269 ",
        full_name="Орлова Наталья Викторовна",
        contact_persons="Орлов В. П., сын",
        phone="+7 (903) 122-11-05",
        sms_consent="y",
    )
    assert response.status_code == 302
    text = page_text(client.get("/my-data/"))
    assert "269 — подтверждён 270 — подтверждён" in text
    assert "ФИО владельца Орлова Наталья Викторовна" in text
    assert "Мобильный 89031221105" in text
    assert "SMS с показаниями присылать" in text


@pytest.mark.parametrize(
    ("plots", "messages"),
    [
        ("269,,abc", ["Пустой номер на месте 2: между запятыми ничего нет.", "«abc» — не номер участка"]),
        ("269;270", ["«269;270» — не номер участка"]),
        ("", ["Обязательное поле."]),
        ("269, 999", ["Участка № 999 нет в реестре товарищества."]),
    ],
)
def test_junk_plot_lists_get_clear_errors_and_change_nothing(reference, accounts, plots, messages):
    client = accounts.member("269", "orlova269@example.ru")
    save(client, plots="269,270")
    response = save(client, plots=plots, full_name="Новое имя")
    assert response.status_code == 422
    text = page_text(response)
    for message in messages:
        assert message in text
    profile = page_text(client.get("/my-data/"))
    assert "270 — подтверждён" in profile and "Новое имя" not in profile


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("89991234567", "89991234567"),
        ("+7 999 123-45-67", "89991234567"),
        ("8 (999) 123 45 67", "89991234567"),
        ("79991234567", "89991234567"),
    ],
)
def test_good_phones_are_normalised(reference, accounts, app, phone, stored):
    client = accounts.member("269", "orlova269@example.ru")
    assert save(client, phone=phone).status_code == 302
    with app.app_context():
        assert db.session.query(Account).one().phone == stored


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("12345", "не номер телефона"),
        ("8999123456", "не номер телефона"),
        ("+1 202 555 0101", "не номер телефона"),
        ("84951234567", "не мобильный номер"),
        ("８９９９１２３４５６７", "не номер телефона"),
        ("phone", "не номер телефона"),
    ],
)
def test_bad_phones_get_a_russian_message(reference, accounts, phone, message):
    client = accounts.member("269", "orlova269@example.ru")
    response = save(client, phone=phone)
    assert response.status_code == 422
    assert message in page_text(response)


def test_sms_needs_a_phone(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    response = save(client, sms_consent="y")
    assert response.status_code == 422
    assert "Чтобы получать SMS, укажите мобильный номер." in page_text(response)


def test_a_plot_with_another_registry_email_waits_for_the_board(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    save(client, plots="269,271")
    text = page_text(client.get("/my-data/"))
    assert "271 — ожидает подтверждения правлением" in text


def test_the_login_plot_stays_claimed(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    save(client, plots="270")
    assert "269 — подтверждён 270 — подтверждён" in page_text(client.get("/my-data/"))


def test_cancel_leads_back_without_saving(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    html = client.get("/my-data/edit").get_data(as_text=True)
    assert 'href="/my-data/">Отмена</a>' in html


def test_cabinet_pages_need_login(client):
    for url in ["/my-data/", "/my-data/edit", "/my-data/payments/", "/my-data/electricity/", "/auth/account"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
