"""Bank statements in the 1C exchange format (`1CClientBankExchange`), as Russian banks export them.

Only incoming payments are taken. The plot is read from the payment purpose («уч. 269»,
«участок №269», «269 уч», «уч.12а»); a document naming no plot, several plots, or a plot not in
the registry is never guessed: it goes to «Нераспознанные платежи» (snt.payments.unmatched) for
the treasurer to assign. A statement of an account that is not the partnership's (its
requisites) is refused unless loaded on purpose.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from snt import audit
from snt.dates import parse_date
from snt.imports.common import CONTROL_MESSAGE, NewPayment, guess_kind, plots_by_number, split_combined
from snt.models import Payment
from snt.money import format_money, parse_decimal
from snt.payments.purpose import combined_parts
from snt.payments.requisites import current_requisites
from snt.plots import has_latin_lookalike, normalise_plot_number
from snt.reports import Report
from snt.text import has_control_characters

MAGIC = "1CClientBankExchange"
_PLOT_AFTER_WORD = re.compile(
    r"(?<![а-яёa-z])уч(?:асток|астка|астке|-?ка?|\.)?\s*(?:№|n|no\.?|#)?\s*(\d{1,5}[а-яёa-z]?)(?![а-яёa-z0-9])",
    re.IGNORECASE,
)
_PLOT_BEFORE_WORD = re.compile(
    r"(?<![0-9./])(\d{1,5}[а-яёa-z]?)\s*(?:-?й\s+)?уч(?:асток|\.|-к|-ка)?(?![а-яё])", re.IGNORECASE
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


@dataclass
class Unmatched:
    """An incoming payment no plot (or kind) could be read for: for «Нераспознанные платежи»."""

    line: int
    reference: str
    paid_on: date
    amount: Decimal
    payer: str
    purpose: str
    reason: str
    guessed_kind: str | None


def check_account(account: str, report: Report, other_account: bool) -> bool:
    """The statement's account against the partnership's requisites; False refuses the file."""
    ours = (requisites.account if (requisites := current_requisites()) else "").strip()
    if not account or not ours:
        missing = (
            "в выписке не указан счёт" if not account else "в реквизитах товарищества нет расчётного счёта"
        )
        report.warn(None, f"Счёт выписки не сверен: {missing}.")
        return True
    if account == ours:
        return True
    both = f"выписка по счёту {account}, а расчётный счёт товарищества — {ours}"
    if not other_account:
        report.error(
            None,
            f"Это выписка другого счёта: {both}. Ничего не записано. Если её всё же нужно загрузить, "
            "загрузите с отметкой «Выписка по другому счёту» (это запишется в журнал действий).",
        )
        return False
    report.warn(
        None, f"{both[:1].upper()}{both[1:]}: загружается по явному выбору, это записано в журнал действий."
    )
    if not report.dry_run:
        audit.record("import.other_account", report.by, label=report.filename, details=both)
    return True


def read_statement(
    data: bytes, report: Report, today: date, other_account: bool = False
) -> tuple[list[NewPayment], list[Unmatched]]:
    """Incoming payments with a plot, and those without one for the treasurer to assign."""
    text = _decode(data)
    damaged = [n for n, line in enumerate(text.splitlines(), start=1) if has_control_characters(line)]
    for line_no in damaged:
        report.error(line_no, CONTROL_MESSAGE)
    if damaged:
        return [], []
    account, documents = _documents(text)
    if not check_account(account, report, other_account):
        return [], []
    candidates = []
    unmatched: list[Unmatched] = []
    for line, doc in documents:
        if account and doc.get("ПолучательСчет", account) != account:
            report.count("расходных документов пропущено")
            continue
        purpose = doc.get("НазначениеПлатежа", "")
        named = plots_in(purpose)
        numbers = list(named)
        kind = "combined" if combined_parts(purpose) is not None else guess_kind(purpose)
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
            _unmatched(unmatched, report, line, doc, reason, today)
            continue
        if has_latin_lookalike(named[numbers[0]].lower()):
            report.warn(
                line, f"в назначении «{purpose}» латинская буква в номере участка; принято как «{numbers[0]}»"
            )
        candidates.append((line, doc, numbers[0], kind))
    return _placed(candidates, unmatched, report, today), unmatched


def _placed(
    candidates: list[tuple], unmatched: list[Unmatched], report: Report, today: date
) -> list[NewPayment]:
    """The candidates whose plot is in the registry, as payments; a combined purpose split by kind."""
    plots = plots_by_number(c[2] for c in candidates)
    payments: list[NewPayment] = []
    for line, doc, number, kind in candidates:
        if number not in plots:
            _unmatched(unmatched, report, line, doc, f"участка № {number} нет в реестре", today)
            continue
        payment = _payment(line, doc, number, kind, report, today)
        if payment is None:
            continue
        split = split_combined(payment)
        if isinstance(split, str):
            _unmatched(unmatched, report, line, doc, split, today)
        else:
            payments.extend(split or [payment])
    return payments


def _about(doc: dict) -> str:
    """«документ № 3 от 25.05.2022, НЕИЗВЕСТНЫЙ ПЛАТЕЛЬЩИК, 0,00 ₽»: money as Russians write it."""
    try:
        amount = f"{format_money(parse_decimal(doc.get('Сумма', '')))} ₽"
    except ValueError:
        amount = f"сумма «{doc.get('Сумма', '')}»"
    return f"документ № {doc.get('Номер', '?')} от {doc.get('Дата', '?')}, {_payer(doc)}, {amount}"


def _payer(doc: dict) -> str:
    return doc.get("Плательщик") or doc.get("Плательщик1", "")


def _reference(doc: dict) -> str:
    return f"1C:{doc.get('Номер', '')}:{doc.get('Дата', '')}:{doc.get('ПлательщикСчет', '')}"[:100]


def _unmatched(
    found: list[Unmatched], report: Report, line: int, doc: dict, reason: str, today: date
) -> None:
    """Keep a payment no plot was found for, for the treasurer; a bad date or sum is an error."""
    try:
        amount = parse_decimal(doc.get("Сумма", ""))
        paid_on = parse_date(doc.get("ДатаПоступило") or doc.get("Дата", ""))
    except ValueError as exc:
        report.error(line, str(exc))
        return
    if paid_on > today:
        report.error(line, f"дата {paid_on:%d.%m.%Y} ещё не наступила")
        return
    purpose = doc.get("НазначениеПлатежа", "")
    report.warn(
        line,
        f"не распознан — {reason}: «{purpose}» ({_about(doc)}); он в списке «Нераспознанные платежи», "
        "отнесите его на участок там",
    )
    kind = guess_kind(purpose)
    found.append(
        Unmatched(
            line, _reference(doc), paid_on, amount, _payer(doc)[:300], purpose[:500], reason[:300], kind
        )
    )


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
    purpose = doc.get("НазначениеПлатежа", "")[:500]
    return NewPayment(line, number, paid_on, amount, kind, _reference(doc), purpose, Payment.STATEMENT)
