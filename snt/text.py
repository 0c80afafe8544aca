"""Text people type or upload: checks, uploaded file names, file sizes for people."""

import re

# Control characters have no place in typed text or in a table's cells, and PostgreSQL refuses
# NUL in text outright; tab and line breaks are fine.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL_CHARACTERS.search(text))


def size_text(size: int) -> str:
    """1536 → '1,5 КБ' (for the lists and messages)."""
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.1f} КБ".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} МБ".replace(".", ",")


def clean_name(filename: str) -> str:
    """The name as uploaded, without any folder part or control characters (Cyrillic kept)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[-255:]
