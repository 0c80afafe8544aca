"""The board's settings: choices that are not deployment settings (due days, prices, windows,
periods), kept in one table, edited on «Настройки», read through `setting(key)`.

Each setting is declared once in SPECS with its type, bounds and default; the admin page, the
validation and the reader follow from that declaration. A key never saved reads as its default.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy import select

from snt import audit
from snt.database import writes
from snt.extensions import db
from snt.models import Account, BoardSetting
from snt.money import format_money, parse_decimal
from snt.text import has_control_characters

Kind = Literal["int", "decimal", "text", "bool"]
Value = int | Decimal | str | bool
MAX_TEXT = 500


@dataclass(frozen=True)
class SettingSpec:
    key: str
    title: str  # Russian, the page's label
    kind: Kind
    default: Value
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    help: str = ""  # Russian, shown under the field


SPECS: tuple[SettingSpec, ...] = (
    # Money truth: when electricity is due and what an SMS part costs.
    SettingSpec(
        "electricity_due_day",
        "Оплатить электроэнергию до (число месяца)",
        "int",
        5,
        minimum=1,
        maximum=28,
        help="Период «01 мая – 01 июня» нужно оплатить до этого числа июня.",
    ),
    SettingSpec(
        "sms_part_price",
        "Цена одной части SMS, ₽",
        "decimal",
        Decimal("0.00"),
        minimum=Decimal("0"),
        maximum=Decimal("100"),
        help="По договору с SMS-шлюзом; нужна, чтобы показать стоимость рассылки.",
    ),
    # Operations: how long the nightly copies of the database are kept (flask backup --prune).
    SettingSpec(
        "backup_keep_days",
        "Хранить ночные копии базы, дней",
        "int",
        30,
        minimum=1,
        maximum=3650,
        help="После каждой удачной ночной копии более старые копии удаляются.",
    ),
    # Readings passed by members (snt/submissions): the window, the reminder, how long photos stay.
    SettingSpec(
        "readings_open_day",
        "Приём показаний открывается (число месяца)",
        "int",
        20,
        minimum=1,
        maximum=28,
        help="С этого числа участники передают показания на 1-е число следующего месяца; "
        "в этот день уходит напоминание.",
    ),
    SettingSpec(
        "readings_late_days",
        "Приём показаний продолжается после 1-го числа (дней)",
        "int",
        0,
        minimum=0,
        maximum=27,
        help="0 — приём закрывается в последний день месяца; 3 — ещё до 3-го числа включительно.",
    ),
    SettingSpec(
        "readings_always_open",
        "Принимать показания в любой день",
        "bool",
        False,
        help="До дня открытия показания передаются на 1-е число текущего месяца, с него — следующего.",
    ),
    SettingSpec(
        "readings_reminders",
        "Напоминать о показаниях по SMS и электропочте",
        "bool",
        True,
        help="Один раз за период тем, кто выбрал SMS или письма и ещё не передал показания.",
    ),
    SettingSpec(
        "readings_keep_days",
        "Хранить переданные показания и фото счётчиков (дней)",
        "int",
        400,
        minimum=30,
        maximum=3650,
        help="Потом запись и фото удаляются; принятые показания остаются в истории участка.",
    ),
    # General meetings (issue 16): the устав may set longer periods than 217-ФЗ art. 17, never shorter.
    SettingSpec(
        "meeting_notice_days",
        "Уведомление о собрании — не позднее чем за (дней)",
        "int",
        14,
        minimum=14,
        maximum=90,
        help="Закон: не менее двух недель (217-ФЗ, ст. 17, ч. 13). Устав может установить больший срок.",
    ),
    SettingSpec(
        "meeting_materials_days",
        "Материалы к собранию открыть не позднее чем за (дней)",
        "int",
        7,
        minimum=7,
        maximum=90,
        help="Закон: не менее семи дней (217-ФЗ, ст. 17, ч. 17). Устав может установить больший срок.",
    ),
    # Voting (issue 17): electronic ballots only where the устав provides for them (art. 17.1).
    SettingSpec(
        "meeting_e_voting_clause",
        "Электронное голосование по уставу: пункт устава",
        "text",
        "",
        help="Например: «п. 9.12 устава». Пусто — устав не предусматривает электронного голосования, "
        "на сайте голосовать нельзя (217-ФЗ, ст. 17.1).",
    ),
    SettingSpec(
        "meeting_count_hidden",
        "Скрывать ход голосования от правления до закрытия подсчёта",
        "bool",
        False,
        help="Если так требует устав: до закрытия подсчёта правление видит только, кто сдал бюллетень.",
    ),
)


class SettingsError(ValueError):
    """Some values are wrong: `problems` maps a key to a Russian message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def spec(key: str) -> SettingSpec:
    for candidate in SPECS:
        if candidate.key == key:
            return candidate
    raise KeyError(f"unknown setting {key!r}")


def setting(key: str) -> Value:
    """The saved value of `key`, typed; its default when never saved."""
    declared = spec(key)
    # Through the table, not `session.get`: a command that reads no object (the SMS plan) then
    # never configures every mapper (0.05-0.1 s of CPU). A value changed in this session but not
    # yet flushed is flushed first, as `session.get`'s query would.
    if db.session.autoflush:
        db.session.flush()
    table = BoardSetting.__table__
    stored = db.session.scalar(select(table.c.value).where(table.c.key == key))
    if stored is None:
        return declared.default
    return _decode(declared, stored)


def display(declared: SettingSpec, value: Value) -> str:
    """The value as the page's field shows it."""
    if declared.kind == "decimal":
        return format_money(Decimal(value))
    return str(value)


def parse(declared: SettingSpec, text: str) -> Value:
    """A typed value from what a person typed; ValueError with a Russian message otherwise."""
    text = text.strip()
    if declared.kind == "bool":
        return text.lower() in ("1", "y", "yes", "on", "true", "да")
    if declared.kind == "text":
        if len(text) > MAX_TEXT:
            raise ValueError(f"не длиннее {MAX_TEXT} знаков")
        if has_control_characters(text):
            raise ValueError("в тексте есть невидимые управляющие символы")
        return text
    number = parse_decimal(text, max_places=0 if declared.kind == "int" else 2)
    value: int | Decimal = int(number) if declared.kind == "int" else number
    if declared.minimum is not None and value < declared.minimum:
        raise ValueError(f"не меньше {display(declared, declared.minimum)}")
    if declared.maximum is not None and value > declared.maximum:
        raise ValueError(f"не больше {display(declared, declared.maximum)}")
    return value


def _encode(value: Value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _decode(declared: SettingSpec, stored: str) -> Value:
    if declared.kind == "bool":
        return stored == "1"
    if declared.kind == "int":
        return int(stored)
    if declared.kind == "decimal":
        return Decimal(stored)
    return stored


@writes
def save_settings(values: Mapping[str, str], by: Account | None) -> list[str]:
    """Validate every given key, then save the changed ones with one audit entry each.

    Raises SettingsError (nothing saved) when any value is wrong. Returns the changed keys.
    """
    parsed: dict[str, Value] = {}
    problems: dict[str, str] = {}
    for key, text in values.items():
        try:
            declared = spec(key)
        except KeyError:
            problems[key] = "такой настройки нет"
            continue
        try:
            parsed[key] = parse(declared, text)
        except ValueError as exc:
            problems[key] = f"{declared.title}: {exc}"
    if problems:
        raise SettingsError(problems)
    changed = []
    for key, value in parsed.items():
        old = setting(key)
        if old == value:
            continue
        row = db.session.get(BoardSetting, key)
        if row is None:
            row = BoardSetting(key=key, value=_encode(value))
            db.session.add(row)
        else:
            row.value = _encode(value)
        declared = spec(key)
        audit.record(
            "settings.edit",
            by,
            label=declared.title,
            details=f"{display(declared, old)} → {display(declared, value)}",
        )
        changed.append(key)
    return changed
