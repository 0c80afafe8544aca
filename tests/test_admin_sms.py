"""Рассылка SMS in the browser, against a real HTTP server playing sms.ru: the preview of
`send-sms --dry-run`, then each message delivered once whatever the clicks and tabs."""

import json
import re
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select
from werkzeug import Request, Response

from snt.extensions import db
from snt.models import AuditEntry
from snt.notices import services
from snt.notices.gateways import get_backend
from tests.helpers import EXPECTED, link_href, page_text, statuses

ONCE = Counter(dict.fromkeys(EXPECTED, 1))


@pytest.fixture
def treasurer(accounts, members):
    return accounts.staff("treasurer")


def send_form(response) -> dict[str, str]:
    """The hidden fields of the preview's «Отправить SMS» form."""
    html = response.get_data(as_text=True)
    form = html[html.index('action="/admin/sms/send"') :]
    return dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form[: form.index("</form>")]))


def test_the_preview_is_the_dry_run(app, treasurer, cli, gateway):
    page = treasurer.get("/admin/sms/?period=2022-05")
    assert page.status_code == 200
    text = page_text(page)
    shell = cli("send-sms", "--period", "2022-05", "--dry-run").splitlines()
    assert shell[-1] == "Пробный запуск (--dry-run): ничего не отправлено."
    for line in shell[:-1]:  # the title, every message with its parts and length, the totals
        # «уч. 12а → 8925… (1 SMS, 69 зн.): …» is a row of the table: plot, what happens, phone, text
        assert re.sub(r"^уч\. (\S+) → ", r"\1 будет отправлено ", " ".join(line.split())) in text
    assert "4 сообщения к отправке" in text  # the count above the table
    assert "Сообщений: 4, частей SMS: 5. Будет отправлено сейчас: 4, частей SMS: 5." in text
    assert 'value="Отправить SMS: 4"' in page.get_data(as_text=True)
    assert gateway.calls == 0 and statuses(app) == Counter()


def test_send_once_then_a_second_click_sends_nothing(app, treasurer, gateway):
    form = send_form(treasurer.get("/admin/sms/"))
    assert form["period"] == "2022-05"
    sent = treasurer.post("/admin/sms/send", data=form, follow_redirects=True)
    assert sent.status_code == 200
    assert "Состояние: готово" in page_text(sent) and "Отправлено: 4 из 4." in page_text(sent)
    back = page_text(treasurer.get(link_href(sent, "К рассылке SMS")))
    assert "Отправлять нечего: все сообщения этого периода уже отправлены" in back
    again = treasurer.post(
        "/admin/sms/send", data=form, follow_redirects=True
    )  # the same form again: a double click, a reload
    assert again.status_code == 409
    assert "Список сообщений изменился после предпросмотра" in page_text(again)
    assert Counter(gateway.delivered) == ONCE and gateway.calls == 4
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "sms.send")).one()
        assert (entry.actor, entry.object_label, entry.details) == (
            "treasurer@example.ru",
            "SMS за 2022-05",
            "отправлено 4 из 4",
        )
    assert "не отправлено 0 из 4" in page_text(treasurer.get("/admin/"))


def test_two_tabs_sending_at_once_deliver_each_message_once(app, accounts, treasurer, httpserver, gateway):
    def slow(request: Request) -> Response:
        time.sleep(0.05)  # each call takes a while, so the two runs overlap
        return gateway(request)

    httpserver.clear()
    httpserver.expect_request("/sms/send", method="POST").respond_with_handler(slow)
    app.config["SMSRU_TIMEOUT"] = 5
    other_tab = accounts.login("treasurer@example.ru")
    forms = [send_form(c.get("/admin/sms/")) for c in (treasurer, other_tab)]
    responses = []
    threads = [
        threading.Thread(
            target=lambda c=c, f=f: responses.append(c.post("/admin/sms/send", data=f, follow_redirects=True))
        )
        for c, f in zip((treasurer, other_tab), forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.status_code in (200, 409) for r in responses)
    assert Counter(gateway.delivered) == ONCE
    assert statuses(app) == {"sent": 4}


def test_runs_planned_before_either_sends_share_the_work(app, members, gateway, httpserver):
    """The race two tabs can hit, made deterministic: both plans are made before either sends,
    for new messages and for retries of refused ones."""
    refused = {"status": "ERROR", "status_code": 207, "status_text": "На этот номер нельзя отправлять"}

    def refuse(request: Request) -> Response:
        body = {"status": "OK", "status_code": 100, "sms": {request.form["to"]: refused}}
        return Response(json.dumps(body), content_type="application/json")

    with app.app_context():
        backend = get_backend(app.config, app.instance_path)
        first, second = services.plan("2022-05"), services.plan("2022-05")
        httpserver.clear()
        httpserver.expect_request("/sms/send", method="POST").respond_with_handler(refuse)
        assert len(services.deliver(first, backend).failed) == 4
        assert len(services.deliver(second, backend).taken) == 4  # new rows: already claimed
        httpserver.clear()
        httpserver.expect_request("/sms/send", method="POST").respond_with_handler(gateway)
        retry, retry_again = services.plan("2022-05"), services.plan("2022-05")
        assert len(services.deliver(retry, backend).sent) == 4
        result = services.deliver(retry_again, backend)  # the failed rows it saw were retried meanwhile
        assert len(result.taken) == 4 and not result.sent
    assert Counter(gateway.delivered) == ONCE


def test_held_and_bad_periods(app, treasurer, gateway):
    gateway.trouble = {2: "hang"}
    form = send_form(treasurer.get("/admin/sms/?period=2022-05"))
    first = page_text(treasurer.post("/admin/sms/send", data=form, follow_redirects=True))
    gateway.slow_call_over.wait(5)
    assert "Отправлено: 1 из 4." in first and "Отправка остановлена" in first
    assert "1 сообщение с неизвестной судьбой" in first and "судьба неизвестна 8" in first
    page = treasurer.get("/admin/sms/?period=2022-05")
    text = page_text(page)
    assert "Не отправляются повторно (1)" in text and "отложено: судьба неизвестна" in text
    assert "Будет отправлено сейчас: 2" in text
    resend = send_form(treasurer.get("/admin/sms/?period=2022-05&resend_unknown=1"))
    assert resend["resend_unknown"] == "1"
    assert "Отправлено: 3 из 3." in page_text(
        treasurer.post("/admin/sms/send", data=resend, follow_redirects=True)
    )

    bad = treasurer.get("/admin/sms/?period=2022-13")
    assert bad.status_code == 422 and "«2022-13» — не месяц" in page_text(bad)
    none = treasurer.get("/admin/sms/?period=2021-01")
    assert none.status_code == 422 and "За 2021-01 нет начислений за электроэнергию" in page_text(none)
    empty = treasurer.post("/admin/sms/send", data={})
    assert empty.status_code == 422 and "Сначала откройте предпросмотр рассылки." in page_text(empty)


def test_the_dashboard_counts_unsent_sms(app, treasurer, accounts, cli):
    text = page_text(treasurer.get("/admin/"))
    assert "SMS: за период 01 мая 2022 – 01 июня 2022 отправлено 0, не отправлено 4 из 4" in text
    board = accounts.staff("board")
    assert "не отправлено 4 из 4" in page_text(board.get("/admin/"))
    cli("send-sms", "--period", "2022-05")
    assert "не отправлено 0 из 4" in page_text(board.get("/admin/"))
    with app.app_context():  # the shell's run is in the audit log as the shell's
        assert db.session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "sms.send")) == (
            "командная строка: send-sms"
        )
    assert "из командной строки: send-sms Разосланы SMS" in page_text(board.get("/admin/audit/"))


def test_flagged_plots_wait_in_the_browser_too(app, spike, treasurer, gateway):
    from tests.helpers import FLAG_268

    page = treasurer.get("/admin/sms/?period=2022-05")
    text = page_text(page)
    assert "Не отправляются, пока не проверены показания (1)" in text and FLAG_268 in text
    assert "268 отложено: проверьте показания 89165551268 (" in text
    sent = treasurer.post("/admin/sms/send", data=send_form(page), follow_redirects=True)
    assert "Отправлено: 3 из 3." in page_text(sent)
    assert "79165551268" not in {phone for phone, _ in gateway.delivered}

    checked = treasurer.get("/admin/sms/?period=2022-05&include_flagged=1")
    assert 'value="Отправить SMS: 1"' in checked.get_data(as_text=True)
    assert "Отправлено: 1 из 1." in page_text(
        treasurer.post("/admin/sms/send", data=send_form(checked), follow_redirects=True)
    )
    assert statuses(app) == {"sent": 4}


def test_the_page_says_in_words_which_gateway_is_set_up(app, treasurer):
    app.config["SMS_BACKEND"] = "console"
    text = page_text(treasurer.get("/admin/sms/"))
    assert "Шлюз SMS не подключён: сообщения не уходят на телефоны" in text
    assert "руководстве администратора" in text and "SNT_" not in text
    app.config.update(SMS_BACKEND="smsru", SMSRU_API_ID="")
    text = page_text(treasurer.get("/admin/sms/"))
    assert "Шлюз SMS настроен с ошибкой, отправить SMS нельзя." in text and "SNT_" not in text
    app.config.update(SMS_BACKEND="smsru", SMSRU_API_ID="key")
    assert "SMS отправляются через sms.ru." in page_text(treasurer.get("/admin/sms/"))
