"""Shell commands of this issue: seed-demo, claims, create-user, set-role."""

import re

import click
from sqlalchemy import select

from snt.extensions import db
from snt.models import Account, Plot, PlotClaim
from tests.helpers import page_text


def test_seed_demo_fills_an_empty_database_once(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "логин 269  пароль Anikino-269" in result.output
    with app.app_context():
        assert db.session.query(Plot).count() >= 50
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 1 and "База не пуста" in again.output
    quiet = runner.invoke(args=["seed-demo", "--if-empty"])
    assert quiet.exit_code == 0 and "уже заполнена" in quiet.output


def test_claims_approve_makes_the_data_visible(app, runner, reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "269,271"})
    listing = runner.invoke(args=["claims", "list"])
    assert listing.exit_code == 0
    assert "уч. 271" in listing.output and "orlova269@example.ru" in listing.output
    assert "ожидает подтверждения" in listing.output and "pending" not in listing.output
    with app.app_context():
        claim_id = db.session.scalar(select(PlotClaim.id).where(PlotClaim.status == "pending"))
    result = runner.invoke(args=["claims", "approve", str(claim_id)], input="y\n")
    assert f"Заявка {claim_id}: участок № 271, заявитель 269 <orlova269@example.ru>" in result.output
    assert result.exit_code == 0 and "участок 271 подтверждён" in result.output
    assert "271 — подтверждён" in page_text(client.get("/my-data/"))
    assert "Заявок, ожидающих подтверждения, нет." in runner.invoke(args=["claims", "list"]).output


def test_claims_reject_with_reason(app, runner, reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "269,271"})
    with app.app_context():
        claim_id = db.session.scalar(select(PlotClaim.id).where(PlotClaim.status == "pending"))
    result = runner.invoke(
        args=["claims", "reject", str(claim_id), "--reason", "в реестре другой владелец"], input="y\n"
    )
    assert result.exit_code == 0
    assert "отклонён правлением: в реестре другой владелец" in page_text(client.get("/my-data/"))
    listing = runner.invoke(args=["claims", "list", "--all"]).output
    assert "отклонена: в реестре другой владелец" in listing and "rejected" not in listing


def test_claims_approve_checks_the_plot_and_account_it_was_given(app, runner, reference, accounts):
    """A claim id typed from an old `claims list` may name another plot by now (issue 11)."""
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "269,271"})
    with app.app_context():
        claim_id = db.session.scalar(select(PlotClaim.id).where(PlotClaim.status == "pending"))
    for plot, login in [("270", "269"), ("271", "270")]:
        result = runner.invoke(args=["claims", "approve", str(claim_id), "--plot", plot, "--account", login])
        assert result.exit_code == 1
        assert "Заявка изменилась после того, как вы открыли страницу: участок № 271, заявитель 269" in (
            result.output
        )
    declined = runner.invoke(args=["claims", "approve", str(claim_id)], input="n\n")
    assert declined.exit_code == 1 and "Ничего не изменено." in declined.output
    assert "271 — ожидает подтверждения правлением" in page_text(client.get("/my-data/"))
    result = runner.invoke(args=["claims", "approve", str(claim_id), "--plot", "271", "--account", "269"])
    assert result.exit_code == 0 and "участок 271 подтверждён" in result.output


def test_claims_unknown_id(runner):
    result = runner.invoke(args=["claims", "approve", "999"])
    assert result.exit_code == 1 and "Заявки № 999 нет" in result.output


def test_create_user_and_set_role(app, runner, reference):
    result = runner.invoke(
        args=["create-user", "--email", "Chair@Example.ru", "--role", "board"],
        input="Chair-2022-pass\nChair-2022-pass\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(Account.role).where(Account.email == "chair@example.ru")) == "board"
    assert runner.invoke(args=["set-role", "chair@example.ru", "treasurer"]).exit_code == 0
    with app.app_context():
        assert (
            db.session.scalar(select(Account.role).where(Account.email == "chair@example.ru")) == "treasurer"
        )
    weak = runner.invoke(args=["create-user", "--email", "x@example.ru"], input="12345678\n12345678\n")
    assert weak.exit_code == 1 and "слишком распространён" in weak.output
    unknown = runner.invoke(args=["set-role", "nobody@example.ru", "board"])
    assert unknown.exit_code == 1 and "Учётной записи «nobody@example.ru» нет." in unknown.output


def test_requisites_set_checks_control_keys(app, runner):
    base = [
        "requisites", "set", "--name", "СНТ «Аникино»", "--inn", "5012345672", "--kpp", "501201001",
        "--bank-name", "ПАО Сбербанк", "--bik", "044525225", "--corr-account", "30101810400000000225",
    ]  # fmt: skip
    wrong = runner.invoke(args=[*base, "--account", "40703810638000001234"])
    assert wrong.exit_code == 1
    assert "Расчётный счёт: Расчётный счёт не сходится с БИК по контрольному ключу" in wrong.output
    assert "Реквизиты не заданы" in runner.invoke(args=["requisites", "show"]).output
    good = runner.invoke(args=[*base, "--account", "40703810538000001234"])
    assert good.exit_code == 0 and "Реквизиты сохранены." in good.output
    assert "Расчётный счёт: 40703810538000001234" in runner.invoke(args=["requisites", "show"]).output


def test_receipts_for_all_debtors_in_one_file(app, runner, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    out = tmp_path / "receipts.pdf"
    result = runner.invoke(args=["receipts", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Квитанции")  # click's progress bar (its label, off a terminal)
    from pypdf import PdfReader

    reader = PdfReader(out)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Квитанция на оплату — участок 269" in text and "Квитанция на оплату — участок 270" in text
    count = int(result.output.split("Квитанций: ")[1].split(",")[0])
    assert text.count("Квитанция на оплату — участок") == count > 10


def test_demo_plots_without_electricity_have_no_meter(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        unpowered = db.session.scalars(select(Plot).where(Plot.electrified.is_(False))).all()
        assert "221" in {p.number for p in unpowered}
        assert [p.number for p in unpowered if p.two_tariff] == []


def _our_commands(app):
    """Every command and subcommand this project adds to `flask`, by its full name."""
    from snt.cli import COMMANDS, LazyCommand

    todo = [(name, LazyCommand(name, *entry).load()) for name, entry in COMMANDS.items()]
    while todo:
        name, command = todo.pop()
        yield name, command
        todo += [(f"{name} {sub}", c) for sub, c in getattr(command, "commands", {}).items()]


def test_every_command_and_option_of_ours_has_russian_help(app, runner):
    cyrillic = re.compile(r"[а-яё]", re.IGNORECASE)
    missing = []
    for name, command in _our_commands(app):
        if not cyrillic.search(command.help or ""):
            missing.append(name)
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and not cyrillic.search(param.help or ""):
                missing.append(f"{name} {param.opts[0]}")
    assert missing == []
    shown = runner.invoke(args=["import-readings", "--help"]).output
    assert "Показания счётчиков" in shown and "--replace" in shown
