"""Plot numbers, phones and the lists members type: normalising and validating.

No Flask in here: the forms and the importers share these rules.
"""

import re

# Latin letters that look like Cyrillic ones: a member typing "12a" means "12а".
# Applied after lower-casing, so the upper-case look-alikes (B, H, M, T) are covered too.
LOOKALIKES = str.maketrans("abcehkmoptxy", "авсенкмортху")
_PLOT = re.compile(r"^[0-9]{1,5}[а-яё]?$")
_PHONE_JUNK = re.compile(r"[\s\-()\u00a0.]")


def normalise_plot_number(text: str, fix_lookalikes: bool = True) -> str:
    """'  12А ' -> '12а'. Raises ValueError with a Russian message for anything else."""
    value = text.strip().lower()
    if fix_lookalikes:
        value = value.translate(LOOKALIKES)
    if not _PLOT.match(value):
        raise ValueError(f"«{text.strip()}» — не номер участка (нужны цифры и, может быть, буква: 123, 12а)")
    return value.lstrip("0") or "0"


def has_latin_lookalike(text: str) -> bool:
    return text.strip() != text.strip().translate(LOOKALIKES)


def plot_sort_key(number: str) -> str:
    """Natural order in SQL: '12а' < '123' < '269'. Digits zero-padded, then the letter."""
    digits = "".join(ch for ch in number if ch.isdigit())
    letter = number[len(digits) :]
    return f"{int(digits or 0):06d}{letter}"


def parse_plot_list(text: str) -> tuple[list[str], list[str]]:
    """'269, 270' -> (['269', '270'], []). Returns the numbers and a list of Russian errors."""
    numbers: list[str] = []
    errors: list[str] = []
    parts = text.split(",")
    if not text.strip():
        return [], ["Укажите хотя бы один номер участка."]
    for position, part in enumerate(parts, start=1):
        if not part.strip():
            errors.append(f"Пустой номер на месте {position}: между запятыми ничего нет.")
            continue
        try:
            number = normalise_plot_number(part)
        except ValueError as exc:
            errors.append(str(exc)[0].upper() + str(exc)[1:] + ".")
            continue
        if number not in numbers:
            numbers.append(number)
    return numbers, errors


def normalise_phone(text: str, mobile: bool = True) -> str:
    """'+7 (999) 123-45-67' -> '89991234567' (the seed's stored form).

    Raises ValueError with a Russian message. With `mobile`, the number must be a Russian
    mobile one (8 9XX ...), since SMS go only there.
    """
    value = _PHONE_JUNK.sub("", text.strip())
    if value.startswith("+7"):
        value = "8" + value[2:]
    elif len(value) == 11 and value.startswith("7"):
        value = "8" + value[1:]
    elif len(value) == 10 and value.startswith("9"):
        value = "8" + value
    if not (value.isascii() and value.isdigit() and len(value) == 11 and value.startswith("8")):
        raise ValueError(
            f"«{text.strip()}» — не номер телефона. Введите 11 цифр, начиная с 8, например 89991234567."
        )
    if mobile and value[1] != "9":
        raise ValueError(
            f"«{text.strip()}» — не мобильный номер: после 8 должна идти 9, например 89991234567."
        )
    return value


def gateway_phone(stored: str) -> str:
    """'89991234567' -> '79991234567', the form SMS gateways take."""
    return "7" + stored[1:]
