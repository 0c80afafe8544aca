"""What a payment's purpose names: a year («членские 2022») or an electricity period («за май 2022»).

A period is named by the month it starts in, as `send-sms --period 2022-05` names «01 мая – 01 июня».
Pure functions: the importers call them, the allocation uses what they found.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_MONTH_WORD = re.compile(
    r"(?<![а-яё])(январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|"
    r"августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])\s*(20[0-9]{2})(?![0-9])"
)
# 05.2022, 5/2022 (but not the tail of a date 04.05.2022) and 2022-05.
_MONTH_DIGITS = re.compile(r"(?<![0-9])(?<![0-9][./])(0?[1-9]|1[0-2])[./](20[0-9]{2})(?![0-9])")
_ISO_MONTH = re.compile(r"(?<![0-9])(20[0-9]{2})-(0[1-9]|1[0-2])(?![0-9-])")
_YEAR = re.compile(r"(?<![0-9.,/-])(20[0-9]{2})(?![0-9])")
_FULL_DATE = re.compile(r"[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4}")
# «уч. 2015», «участок № 2005», «2010 уч»: a plot number, not a year.
_PLOT_AFTER_WORD = re.compile(
    r"(?<![а-яёa-z])уч(?:асток|астка|астке|-?ка?|\.)?\s*(?:№|n|no\.?|#)?\s*[0-9]{1,5}[а-яёa-z]?"
)
_PLOT_BEFORE_WORD = re.compile(r"[0-9]{1,5}[а-яёa-z]?\s*уч(?:асток|\.|-к|-ка)?(?![а-яё])")


def _cleaned(purpose: str) -> str:
    """Lower case without plot numbers and full dates (the payment's own date is no period)."""
    text = _PLOT_AFTER_WORD.sub(" ", purpose.lower().replace("ё", "е"))
    return _PLOT_BEFORE_WORD.sub(" ", text)


def named_month(purpose: str) -> date | None:
    """The first day of the month a purpose names, if it names exactly one."""
    text = _cleaned(purpose)
    found = set()
    for word, year in _MONTH_WORD.findall(text):
        month = next(n for stem, n in _MONTHS.items() if word.startswith(stem))
        found.add(date(int(year), month, 1))
    text = _FULL_DATE.sub(" ", text)  # «от 04.06.2022» is the payment's date, not a period
    found.update(date(int(y), int(m), 1) for m, y in _MONTH_DIGITS.findall(text))
    found.update(date(int(y), int(m), 1) for y, m in _ISO_MONTH.findall(text))
    return found.pop() if len(found) == 1 else None


def named_year(purpose: str) -> int | None:
    """The year a purpose names, if exactly one (a full date in it does not count)."""
    month = named_month(purpose)
    if month is not None:
        return month.year
    text = _FULL_DATE.sub(" ", _cleaned(purpose))
    years = {int(y) for y in _YEAR.findall(text)}
    return years.pop() if len(years) == 1 else None


# The one purpose of a plot's QR code and receipt, paying several kinds at once:
# «уч. 269: членские 2022 7200,00; электроэнергия 4121,45». The importers split a payment with
# this purpose into its kinds, so a combined payment is never booked to one kind.
PURPOSE_WORDS = {"membership": "членские", "target": "целевые", "electricity": "электроэнергия"}
_WORD_KINDS = {word: kind for kind, word in PURPOSE_WORDS.items()}
_COMBINED = re.compile(r"^\s*уч\.\s*([0-9]{1,5}[а-яё]?)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_PART = re.compile(r"^(членские|целевые|электроэнергия)(?:\s+(20[0-9]{2}))?\s+([0-9]{1,9},[0-9]{2})$")


@dataclass(frozen=True)
class Part:
    kind: str
    year: int | None
    amount: Decimal


def combined_purpose(plot_number: str, parts: list[Part]) -> str:
    """The fixed form; amounts with a decimal comma and no thousands separator."""
    items = [
        " ".join(
            [PURPOSE_WORDS[p.kind], *([str(p.year)] if p.year else []), f"{p.amount:.2f}".replace(".", ",")]
        )
        for p in parts
    ]
    return f"уч. {plot_number}: " + "; ".join(items)


def combined_parts(purpose: str) -> tuple[str, list[Part]] | None:
    """(plot number, parts) of a purpose in the fixed form; None for any other purpose."""
    match = _COMBINED.match(purpose.replace("ё", "е").lower())
    if match is None:
        return None
    parts = []
    for item in match.group(2).split(";"):
        part = _PART.match(item.strip())
        if part is None:
            return None
        kind = _WORD_KINDS[part.group(1)]
        year = int(part.group(2)) if part.group(2) else None
        parts.append(Part(kind, year, Decimal(part.group(3).replace(",", "."))))
    return match.group(1), parts
