"""Password rules (length, not a common password, not the login) and hashing."""

import gzip
from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
_ALLOWED = {chr(c) for c in range(33, 127)}  # Latin letters, digits, punctuation


@cache
def _common_passwords() -> frozenset[str]:
    # The 20,000 most common passwords, from Django (BSD licence), see README.
    path = Path(__file__).parent / "data" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def password_problem(password: str) -> str | None:
    """A Russian explanation of what is wrong with the password, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Пароль должен быть не короче {MIN_LENGTH} знаков."
    if not set(password) <= _ALLOWED:
        return "В пароле допустимы только латинские буквы, цифры и знаки препинания, без пробелов."
    if password.lower() in _common_passwords():
        return "Этот пароль слишком распространён, его легко подобрать. Придумайте другой."
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password", method=method)


def spend_hash_time(password: str) -> None:
    """Check against a dummy hash, so an unknown login costs as much time as a wrong password."""
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
