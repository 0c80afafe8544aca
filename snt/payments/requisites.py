"""The partnership's bank requisites: validation as banks do it, and the payment QR payload.

Control keys follow the Bank of Russia's rule (weights 7-1-3 over the BIK part and the
account); the payload follows ГОСТ Р 56042-2014 (ST0001, UTF-8, a separator no value contains).
"""

from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlalchemy import select

from snt import audit
from snt.database import writes
from snt.extensions import db
from snt.models import Account, BankRequisites

_WEIGHTS = (7, 1, 3) * 8
_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
# Separators tried in order: '|' as the standard's example, others when a value contains it.
_SEPARATORS = "|#;^~"


FIELD_TITLES = {
    "name": "Наименование получателя",
    "inn": "ИНН",
    "kpp": "КПП",
    "account": "Расчётный счёт",
    "bank_name": "Банк",
    "bik": "БИК",
    "corr_account": "Корреспондентский счёт",
}


@dataclass(frozen=True)
class Requisites:
    name: str
    inn: str
    kpp: str
    account: str  # расчётный счёт, 20 digits
    bank_name: str
    bik: str  # 9 digits
    corr_account: str  # корреспондентский счёт, 20 digits


def _key_ok(prefix: str, account: str) -> bool:
    digits = prefix + account
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False)) % 10 == 0


def _digits(value: str, length: int) -> bool:
    return value.isascii() and value.isdigit() and len(value) == length


def requisites_problems(r: Requisites) -> dict[str, str]:
    """Field name → a Russian message; empty when the requisites are valid."""
    problems: dict[str, str] = {}
    if not r.name.strip():
        problems["name"] = "Укажите наименование получателя."
    if not r.bank_name.strip():
        problems["bank_name"] = "Укажите наименование банка."
    if not _digits(r.inn, 10):
        problems["inn"] = "ИНН организации — 10 цифр."
    elif sum(int(d) * w for d, w in zip(r.inn, _INN10_WEIGHTS, strict=False)) % 11 % 10 != int(r.inn[9]):
        problems["inn"] = "ИНН не проходит проверку контрольной цифры: проверьте каждую цифру."
    if not _digits(r.kpp, 9):
        problems["kpp"] = "КПП — 9 цифр."
    if not _digits(r.bik, 9):
        problems["bik"] = "БИК — 9 цифр."
    problems.update(_account_problems(r, bik_ok="bik" not in problems))
    return problems


def _account_problems(r: Requisites, bik_ok: bool) -> dict[str, str]:
    """The two accounts: 20 digits each, and (with a valid БИК) the control key."""
    problems: dict[str, str] = {}
    if not _digits(r.account, 20):
        problems["account"] = "Расчётный счёт — 20 цифр."
    elif bik_ok and not _key_ok(r.bik[-3:], r.account):
        problems["account"] = (
            "Расчётный счёт не сходится с БИК по контрольному ключу: проверьте каждую цифру."
        )
    if not _digits(r.corr_account, 20):
        problems["corr_account"] = "Корреспондентский счёт — 20 цифр."
    elif bik_ok and not _key_ok("0" + r.bik[4:6], r.corr_account):
        problems["corr_account"] = (
            "Корреспондентский счёт не сходится с БИК по контрольному ключу: проверьте каждую цифру."
        )
    return problems


def qr_payload(
    r: Requisites,
    plot_number: str,
    amount: Decimal,
    purpose: str,
    extra: dict[str, str] | None = None,
) -> str:
    """The ГОСТ Р 56042-2014 string: required fields in order, then the payment's own fields."""
    fields = [
        ("Name", r.name),
        ("PersonalAcc", r.account),
        ("BankName", r.bank_name),
        ("BIC", r.bik),
        ("CorrespAcc", r.corr_account),
        ("PayeeINN", r.inn),
        ("KPP", r.kpp),
        ("PersAcc", plot_number),
        ("Sum", str(int(amount * 100))),
        ("Purpose", purpose),
        *(extra or {}).items(),
    ]
    values = "".join(v for _, v in fields)
    separator = next((s for s in _SEPARATORS if s not in values), None)
    if separator is None:
        raise ValueError("значения реквизитов содержат все допустимые разделители")
    return "ST00012" + separator + separator.join(f"{k}={v}" for k, v in fields)


class RequisitesError(ValueError):
    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def current_requisites() -> Requisites | None:
    """The stored requisites, or None while the treasurer has not set them (no QR then)."""
    row = db.session.scalar(select(BankRequisites).limit(1))
    if row is None:
        return None
    return Requisites(
        name=row.name,
        inn=row.inn,
        kpp=row.kpp,
        account=row.account,
        bank_name=row.bank_name,
        bik=row.bik,
        corr_account=row.corr_account,
    )


def save_requisites(requisites: Requisites) -> None:
    """Validate and store; raises RequisitesError with a message per wrong field. Caller commits."""
    cleaned = Requisites(**{k: v.strip() for k, v in asdict(requisites).items()})
    problems = requisites_problems(cleaned)
    if problems:
        raise RequisitesError(problems)
    row = db.session.scalar(select(BankRequisites).limit(1)) or BankRequisites()
    for key, value in asdict(cleaned).items():
        setattr(row, key, value)
    db.session.add(row)


@writes
def update_requisites(requisites: Requisites, by: Account | None) -> list[str]:
    """Validate, store and audit (`by` None: the shell), one unit. Returns the changes as text;
    raises RequisitesError with a message per wrong field, nothing stored."""
    before = current_requisites()
    save_requisites(requisites)
    after = current_requisites()
    changes = [
        f"{title}: {getattr(before, key) if before else '—'} → {getattr(after, key)}"
        for key, title in FIELD_TITLES.items()
        if before is None or getattr(before, key) != getattr(after, key)
    ]
    if changes:
        row = db.session.scalar(select(BankRequisites).limit(1))
        audit.record("requisites.edit", by, row, label="реквизиты для оплаты", details="; ".join(changes))
    return changes
