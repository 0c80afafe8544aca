"""`flask send-sms` against a real HTTP server on localhost playing sms.ru."""

import json
from collections import Counter
from pathlib import Path

import pytest
from werkzeug import Request, Response

from tests.helpers import EXPECTED, FLAG_268, command_in_fresh_process, page_text, statuses


def test_dry_run_prints_every_message_and_the_segments(members, cli, gateway):
    output = cli("send-sms", "--period", "2022-05", "--dry-run")
    assert "SMS за период 01 мая 2022 – 01 июня 2022 (2022-05)." in output
    for _, text in EXPECTED:
        assert text in output
    assert "уч. 269 → 89031221105 (2 SMS, 76 зн.): СНТ Аникино, уч. 269:" in output  # 76 > 70 Cyrillic
    assert "уч. 270 → 89031221105 (1 SMS, 70 зн.)" in output
    assert "Сообщений: 4, частей SMS: 5." in output
    assert gateway.calls == 0


def test_sends_the_exact_texts_once(app, members, cli, gateway):
    output = cli("send-sms", "--period", "2022-05")
    assert "Отправлено: 4 из 4." in output
    assert set(gateway.delivered) == EXPECTED and len(gateway.delivered) == 4
    again = cli("send-sms", "--period", "2022-05")
    assert "Уже отправлены раньше и не повторяются: 4." in again and "Отправлять нечего." in again
    assert gateway.calls == 4
    assert statuses(app) == {"sent": 4}


def test_the_newest_period_is_the_default(members, cli, gateway):
    assert "SMS за период 01 мая 2022 – 01 июня 2022 (2022-05)." in cli("send-sms", "--dry-run")


@pytest.mark.parametrize("trouble", ["500", "late"])
def test_a_gateway_failing_halfway_then_a_rerun_delivers_each_exactly_once(
    app, members, cli, gateway, trouble
):
    gateway.trouble = {2: trouble}
    first = cli("send-sms", "--period", "2022-05", fails=True)
    gateway.slow_call_over.wait(5)  # the test server handles one request at a time
    assert "Отправка остановлена" in first
    assert "НЕ ОТПРАВЛЕНО" in first if trouble == "500" else "НЕИЗВЕСТНО" in first
    second = cli("send-sms", "--period", "2022-05")
    if trouble == "late":
        assert "Не отправляются повторно (1): прошлый запуск прервался, шлюз мог их доставить." in second
    assert Counter(gateway.delivered) == Counter(dict.fromkeys(EXPECTED, 1))
    expected_status = {"sent": 4} if trouble == "500" else {"sent": 3, "unknown": 1}
    assert statuses(app) == expected_status
    cli("send-sms", "--period", "2022-05")
    assert Counter(gateway.delivered) == Counter(dict.fromkeys(EXPECTED, 1))


def test_an_undelivered_unknown_is_resent_only_when_the_operator_says_so(app, members, cli, gateway):
    gateway.trouble = {1: "hang"}
    cli("send-sms", "--period", "2022-05", fails=True)
    gateway.slow_call_over.wait(5)
    cli("send-sms", "--period", "2022-05")
    assert len(gateway.delivered) == 3
    output = cli("send-sms", "--period", "2022-05", "--resend-unknown")
    assert "Отправлено: 1 из 1." in output
    assert Counter(gateway.delivered) == Counter(dict.fromkeys(EXPECTED, 1))


def test_a_refused_number_is_failed_and_retried(app, members, cli, gateway, httpserver):
    refused = {"status": "ERROR", "status_code": 207, "status_text": "На этот номер нельзя отправлять"}

    def refuse_orlova(request: Request) -> Response:
        if request.form["to"] == "79031221105":
            body = {"status": "OK", "status_code": 100, "sms": {"79031221105": refused}}
            return Response(json.dumps(body), content_type="application/json")
        return gateway(request)

    httpserver.clear()
    httpserver.expect_request("/sms/send", method="POST").respond_with_handler(refuse_orlova)
    output = cli("send-sms", "--period", "2022-05", fails=True)
    assert "Отправлено: 2 из 4." in output
    assert "НЕ ОТПРАВЛЕНО уч. 269 (89031221105): sms.ru: 207 На этот номер нельзя отправлять" in output
    assert statuses(app) == {"sent": 2, "failed": 2}
    httpserver.clear()
    httpserver.expect_request("/sms/send", method="POST").respond_with_handler(gateway)
    assert "Отправлено: 2 из 2." in cli("send-sms", "--period", "2022-05")
    assert Counter(gateway.delivered) == Counter(dict.fromkeys(EXPECTED, 1))


def test_console_backend_writes_the_outbox_log(app, members, cli):
    assert "Отправлено: 4 из 4." in cli("send-sms", "--period", "2022-05")
    log = (Path(app.instance_path) / "outbox" / "sms.log").read_text(encoding="utf-8")
    assert "79165551268\tСНТ Аникино: расход 158 кВт·ч. К оплате 936.94. Оплатить до 5 числа." in log


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2022-13"], "«2022-13» — не месяц"),
        (["--period", "2021-01"], "За 2021-01 нет начислений за электроэнергию"),
    ],
)
def test_bad_periods(members, cli, args, message):
    assert message in cli("send-sms", *args, fails=True)


def test_smsru_without_a_key(app, members, cli):
    app.config.update(SMS_BACKEND="smsru", SMSRU_API_ID="")
    assert "SNT_SMSRU_API_ID" in cli("send-sms", "--period", "2022-05", fails=True)


def test_dry_run_lists_the_suspicious_readings(spike, cli, gateway):
    output = cli("send-sms", "--period", "2022-05", "--dry-run")
    assert "Проверка показаний: подозрительных — 1." in output and FLAG_268 in output
    assert "уч. 268 → 89165551268 (1 SMS, 69 зн.) [отложено: проверьте показания]" in output
    assert "Будет отправлено сейчас: 3" in output
    assert gateway.calls == 0


def test_flagged_plots_are_held_back_until_included(app, spike, cli, gateway):
    output = cli("send-sms", "--period", "2022-05")
    assert "Не отправляются, пока не проверены показания (1)" in output and FLAG_268 in output
    assert "Отправлено: 3 из 3." in output
    assert {phone for phone, _ in gateway.delivered} == {"79031221105", "79250001122"}
    output = cli("send-sms", "--period", "2022-05", "--include-flagged")
    assert "Отправлено: 1 из 1." in output
    assert gateway.delivered[-1] == (
        "79165551268",
        "СНТ Аникино: расход 898 кВт·ч. К оплате 5325.14. Оплатить до 5 числа.",
    )
    assert statuses(app) == {"sent": 4}


def test_a_dry_run_in_a_fresh_process_configures_no_mapper(app, spike, cli, gateway):
    """The plan reads plain rows through the tables (recipients, figures, outbox, balances, the
    checks, the settings): a dry run never pays for configuring every mapper, and prints what it
    prints in a process where they are configured, sent messages and a flagged plot included."""
    assert "Отправлено: 3 из 3." in cli("send-sms", "--period", "2022-05")
    expected = app.test_cli_runner().invoke(args=["send-sms", "--dry-run"]).output
    assert "[уже отправлено]" in expected and "[отложено: проверьте показания]" in expected
    status, output = command_in_fresh_process(app, "send-sms", "--dry-run")
    assert status == "0 False"
    assert output == expected
    assert gateway.calls == 3


def test_the_dashboard_lists_the_same_flags(spike, accounts):
    text = page_text(accounts.staff("board").get("/admin/"))
    assert "Проверка показаний за период с 01 мая 2022" in text
    assert "Подозрительных показаний: 1." in text and FLAG_268 in text
