"""Arbitrary text in the registration and «Изменить регистрационные данные» forms: never a 500,
never a partial write. (The import parsers get the same treatment with the treasurer's importers.)"""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from snt.extensions import db
from snt.models import Account, PlotClaim
from tests.helpers import CHARACTERS, FUZZ

GOOD = "Sad-2022-ok"


ANY_TEXT = st.text(CHARACTERS, max_size=300)


def text_or(*plausible: str):
    """Arbitrary text, a plausible value, or a plausible value with arbitrary text around it."""
    noisy = st.tuples(
        st.text(CHARACTERS, max_size=5), st.sampled_from(plausible), st.text(CHARACTERS, max_size=5)
    )
    return st.one_of(ANY_TEXT, st.sampled_from(plausible), noisy.map("".join))


@pytest.fixture
def registry(app, reference):
    return app


@st.composite
def registration_forms(draw) -> dict[str, str]:
    """A valid registration with one or two fields replaced by arbitrary (or noisy) text."""
    data = {
        "plot_number": draw(st.sampled_from(["269", "270", "271"])),
        "email": draw(st.sampled_from(["orlova269@example.ru", "new@example.ru"])),
        "password": GOOD,
        "password2": GOOD,
        "consent": "y",
    }
    arbitrary = {
        "plot_number": text_or("269", " 12а "),
        "email": text_or("new@example.ru", "иван@example.ru", "a@пример.рф"),
        "password": text_or(GOOD, "short", "password1"),
        "password2": ANY_TEXT,
        "consent": st.sampled_from(["", "n", "y"]),
    }
    for name in draw(st.lists(st.sampled_from(list(data)), min_size=1, max_size=2, unique=True)):
        data[name] = draw(arbitrary[name])
        if name == "password":
            data["password2"] = data["password"]
    return data


@FUZZ
@given(data=registration_forms())
def test_registration_with_arbitrary_text(registry, mailbox, data):
    data = {name: value for name, value in data.items() if value}
    client = registry.test_client()
    response = client.post("/auth/register", data=data)
    assert response.status_code in (200, 422)
    with registry.app_context():
        accounts = db.session.scalar(select(func.count()).select_from(Account))
        claims = db.session.scalar(select(func.count()).select_from(PlotClaim))
        # All or nothing: a new account always comes with its login plot's claim.
        assert (accounts, claims) == ((1, 1) if response.status_code == 200 and mailbox.messages else (0, 0))
        db.session.execute(delete(PlotClaim))
        db.session.execute(delete(Account))
        db.session.commit()
    mailbox.clear()


def profile(app) -> tuple:
    with app.app_context():
        account = db.session.scalar(select(Account))
        claims = sorted((c.plot.number, c.status) for c in account.claims)
        return account.full_name, account.contact_persons, account.phone, account.sms_consent, claims


@pytest.fixture
def member(registry, accounts):
    return accounts.member("269", "orlova269@example.ru")


@FUZZ
@given(
    # Valid plots and phone half of the time, so arbitrary names and contacts do get saved.
    plots=st.one_of(st.sampled_from(["269", "269,270", "269, 271"]), text_or("269", "270;999")),
    phone=st.one_of(st.sampled_from(["", "89991234567", "+7 999 123-45-67"]), text_or("8999", "89991234567")),
    full_name=ANY_TEXT,
    contacts=ANY_TEXT,
    sms=st.sampled_from(["y", ""]),
)
def test_registration_data_edit_with_arbitrary_text(registry, member, plots, full_name, contacts, phone, sms):
    before = profile(registry)
    data = {"plots": plots, "full_name": full_name, "contact_persons": contacts, "phone": phone}
    if sms:
        data["sms_consent"] = sms
    response = member.post("/my-data/edit", data=data)
    assert response.status_code in (302, 422)
    after = profile(registry)
    if response.status_code == 422:
        assert after == before  # nothing of a refused form is saved
    else:
        assert after[0] == full_name.strip() and after[1] == contacts.strip()


def test_control_characters_get_a_russian_message_and_nothing_is_saved(registry, member):
    response = member.post("/my-data/edit", data={"plots": "269", "full_name": "Орлова\x00", "phone": ""})
    assert response.status_code == 422
    assert "В поле есть невидимые управляющие символы" in response.get_data(as_text=True)
    assert profile(registry)[0] == ""
