"""SMS gateways: `console` (the log and instance/outbox/sms.log) and `smsru` (sms.ru's HTTP API).

Each send returns an Outcome that tells whether the message surely went (sent), surely did not
(failed: refused, HTTP error, no connection) or may have gone (unknown: no answer in time, an
answer we cannot read). `stop` asks the caller to stop the run: the gateway itself is in trouble.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from snt.models import SmsMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: str  # SmsMessage.SENT, FAILED or UNKNOWN
    gateway_id: str | None = None
    error: str = ""
    stop: bool = False


class ConsoleBackend:
    """For trying things out: the message goes to the log and to instance/outbox/sms.log."""

    def __init__(self, instance_path: str):
        self.path = Path(instance_path) / "outbox" / "sms.log"

    def send(self, phone: str, text: str) -> Outcome:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as log_file:
            log_file.write(f"{datetime.now():%Y-%m-%d %H:%M:%S}\t{phone}\t{text}\n")
        log.info("SMS (console) to %s: %s", phone, text)
        return Outcome(SmsMessage.SENT, gateway_id=f"console-{uuid.uuid4().hex[:12]}")


class SmsRuBackend:
    """sms.ru: POST <url>/sms/send with api_id, to, msg, json=1; per-number status_code 100 = accepted."""

    def __init__(self, url: str, api_id: str, timeout: float):
        self.url = url.rstrip("/") + "/sms/send"
        self.api_id = api_id
        self.timeout = timeout

    def send(self, phone: str, text: str) -> Outcome:
        import requests  # here: only this backend needs it, and importing it slows every command
        from urllib3.exceptions import NewConnectionError

        data = {"api_id": self.api_id, "to": phone, "msg": text, "json": 1}
        try:
            response = requests.post(self.url, data=data, timeout=self.timeout)
        except requests.ConnectTimeout as exc:
            return Outcome(SmsMessage.FAILED, error=f"шлюз недоступен: {exc}", stop=True)
        except requests.ReadTimeout:
            return Outcome(
                SmsMessage.UNKNOWN,
                error=f"шлюз не ответил за {self.timeout:g} с — мог и отправить",
                stop=True,
            )
        except requests.ConnectionError as exc:
            never_connected = any(isinstance(a, NewConnectionError) for a in _causes(exc))
            status = SmsMessage.FAILED if never_connected else SmsMessage.UNKNOWN
            return Outcome(status, error=f"нет связи со шлюзом: {exc}", stop=True)
        except requests.RequestException as exc:
            return Outcome(SmsMessage.UNKNOWN, error=f"ошибка связи со шлюзом: {exc}", stop=True)
        if response.status_code != 200:
            # sms.ru answers its own errors with HTTP 200 and JSON; any other status means the
            # request was not processed.
            return Outcome(SmsMessage.FAILED, error=f"шлюз ответил HTTP {response.status_code}", stop=True)
        try:
            body = response.json()
            entry = body.get("sms", {}).get(phone) if body.get("status") == "OK" else None
        except (ValueError, AttributeError):
            return Outcome(SmsMessage.UNKNOWN, error="непонятный ответ шлюза", stop=True)
        if body.get("status") != "OK":
            reason = f"sms.ru: {body.get('status_code')} {body.get('status_text', '')}".strip()
            return Outcome(SmsMessage.FAILED, error=reason, stop=True)
        if not isinstance(entry, dict):
            return Outcome(SmsMessage.UNKNOWN, error="в ответе шлюза нет этого номера", stop=True)
        if entry.get("status_code") == 100:
            return Outcome(SmsMessage.SENT, gateway_id=str(entry.get("sms_id", "")))
        reason = f"sms.ru: {entry.get('status_code')} {entry.get('status_text', '')}".strip()
        return Outcome(SmsMessage.FAILED, error=reason)


def _causes(exc: BaseException):
    """The exception and everything it wraps (requests hides urllib3's reason two levels down)."""
    stack, seen = [exc], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack += [a for a in current.args if isinstance(a, BaseException)]
        for wrapped in (getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(wrapped, BaseException):
                stack.append(wrapped)


def get_backend(config: dict, instance_path: str):
    """The backend named by SMS_BACKEND. Raises ValueError (Russian) when it is not usable."""
    name = config.get("SMS_BACKEND", "console")
    if name == "console":
        return ConsoleBackend(instance_path)
    if name == "smsru":
        if not config.get("SMSRU_API_ID"):
            raise ValueError("Для sms.ru задайте ключ: переменная окружения SNT_SMSRU_API_ID.")
        return SmsRuBackend(
            config["SMSRU_URL"], config["SMSRU_API_ID"], float(config.get("SMSRU_TIMEOUT", 15))
        )
    raise ValueError(f"Неизвестный способ отправки SMS «{name}»: нужно console или smsru (SNT_SMS_BACKEND).")
