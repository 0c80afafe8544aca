"""Bank statements in the 1C exchange format (`1CClientBankExchange`), as Russian banks export them.

Only incoming payments are taken. The plot is read from the payment purpose («уч. 269»,
«участок №269», «269 уч», «уч.12а»); a document naming no plot, several plots, or a plot not in
the registry is listed and skipped, never guessed.
"""

import re
from datetime import date

from snt.dates import parse_date
from snt.imports.common import CONTROL_MESSAGE, NewPayment, guess_kind, plots_by_number
from snt.money import parse_decimal
from snt.plots import has_latin_lookalike, normalise_plot_number
from snt.reports import SKIPPED, Report
from snt.text import has_control_characters

MAGIC = "1CClientBankExchange"
_PLOT_AFTER_WORD = re.compile(
    r"(?<![а-яёa-z])уч(?:асток|астка|астке|-?ка?|\.)?\s*(?:№|n|no\.?|#)?\s*(\d{1,5}[а-яёa-z]?)(?![а-яёa-z0-9])",
    re.IGNORECASE,
)
_PLOT_BEFORE_WORD = re.compile(
    r"(?<![0-9])(\d{1,5}[а-яёa-z]?)\s*(?:-?й\s+)?уч(?:асток|\.|-к|-ка)?(?![а-яё])", re.IGNORECASE
)


def is_statement(data: bytes) -> bool:
    return data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(MAGIC.encode())


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # some banks write UTF-8 whatever the standard says
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251")
    if re.search(r"^Кодировка=DOS", text, re.MULTILINE):
        text = data.decode("cp866")
    return text


def plots_in(purpose: str) -> dict[str, str]:
    """Plot numbers named in a payment purpose: normalised number -> as written, in order."""
    found: dict[str, str] = {}
    for pattern in (_PLOT_AFTER_WORD, _PLOT_BEFORE_WORD):
        for match in pattern.finditer(purpose):
            try:
                number = normalise_plot_number(match.group(1))
            except ValueError:
                continue
            found.setdefault(number, match.group(1))
    return found


def _documents(text: str) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """Our account number and each document's fields with the line where it starts."""
    account = ""
    documents = []
    current: dict[str, str] | None = None
    start = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        key, _, value = line.strip().partition("=")
        if key == "СекцияДокумент":
            current, start = {}, line_no
        elif key == "КонецДокумента" and current is not None:
            documents.append((start, current))
            current = None
        elif current is not None:
            current[key] = value.strip()
        elif key == "РасчСчет" and not account:
            account = value.strip()
    return account, documents


def read_statement(data: bytes, report: Report, today: date) -> list[NewPayment]:
    """Incoming payments with a plot; skipped documents are listed as warnings."""
    text = _decode(data)
    damaged = [n for n, line in enumerate(text.splitlines(), start=1) if has_control_characters(line)]
    for line_no in damaged:
        report.error(line_no, CONTROL_MESSAGE)
    if damaged:
        return []
    account, documents = _documents(text)
    candidates = []
    for line, doc in documents:
        if account and doc.get("ПолучательСчет", account) != account:
            report.count("расходных документов пропущено")
            continue
        purpose = doc.get("НазначениеПлатежа", "")
        payer = doc.get("Плательщик") or doc.get("Плательщик1", "")
        about = f"документ № {doc.get('Номер', '?')} от {doc.get('Дата', '?')}, {payer}, {doc.get('Сумма', '?')} ₽"
        named = plots_in(purpose)
        numbers = list(named)
        kind = guess_kind(purpose)
        reason = (
            "в назначении нет номера участка"
            if not numbers
            else f"в назначении несколько участков ({', '.join(numbers)})"
            if len(numbers) > 1
            else "не понятно, за что платёж (членские, целевые или электроэнергия)"
            if kind is None
            else ""
        )
        if reason:
            _skip(report, line, f"{reason}: «{purpose}» ({about}) — внесите вручную")
            continue
        if has_latin_lookalike(named[numbers[0]].lower()):
            report.warn(
                line, f"в назначении «{purpose}» латинская буква в номере участка; принято как «{numbers[0]}»"
            )
        candidates.append((line, doc, numbers[0], kind, purpose, about))
    plots = plots_by_number(c[2] for c in candidates)
    payments = []
    for line, doc, number, kind, purpose, about in candidates:
        if number not in plots:
            _skip(report, line, f"участка № {number} нет в реестре: «{purpose}» ({about}) — внесите вручную")
            continue
        payment = _payment(line, doc, number, kind, report, today)
        if payment is not None:
            payments.append(payment)
    return payments


def _payment(line: int, doc: dict, number: str, kind: str, report: Report, today: date):
    try:
        amount = parse_decimal(doc.get("Сумма", ""))
        paid_on = parse_date(doc.get("ДатаПоступило") or doc.get("Дата", ""))
    except ValueError as exc:
        report.error(line, str(exc))
        return None
    if amount == 0:
        report.error(line, "сумма 0: оплаты без денег не бывает")
        return None
    if paid_on > today:
        report.error(line, f"дата {paid_on:%d.%m.%Y} ещё не наступила")
        return None
    reference = f"1C:{doc.get('Номер', '')}:{doc.get('Дата', '')}:{doc.get('ПлательщикСчет', '')}"
    return NewPayment(line, number, paid_on, amount, kind, reference[:100])


def _skip(report: Report, line: int, message: str) -> None:
    report.count(SKIPPED)
    report.warn(line, "пропущено: " + message)
