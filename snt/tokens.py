"""Signed links: one salt per purpose, and every load checks an age."""

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_EMAIL = "confirm-email"
CHANGE_EMAIL = "change-email"
RESET_PASSWORD = "reset-password"


class TokenError(Exception):
    """A link that cannot be used; the message is Russian and shown to the person."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict[str, Any]:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError("Срок действия ссылки истёк. Запросите новую ссылку.") from exc
    except BadSignature as exc:
        raise TokenError("Ссылка повреждена или недействительна. Запросите новую ссылку.") from exc
    if not isinstance(payload, dict):
        raise TokenError("Ссылка повреждена или недействительна. Запросите новую ссылку.")
    return payload
