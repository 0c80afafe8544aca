"""Checks on text people type or upload."""

import re

# Control characters have no place in typed text or in a table's cells, and PostgreSQL refuses
# NUL in text outright; tab and line breaks are fine.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL_CHARACTERS.search(text))
