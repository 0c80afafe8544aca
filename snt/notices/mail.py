"""The monthly email: the SMS's figures, the plot's one payment QR code (its whole amount due, as
on the receipt and in the cabinet) and a link to the receipt.

One email per plot and period, to the first verified owner who chose email in «Изменить
регистрационные данные»; its outbox (EmailNotice) follows the SMS rules: committed as
`pending` before the mail server is called, never resent once `sent`, a `failed` one retried,
an `unknown` one (the connection broke mid-way) only with `resend_unknown`.
"""

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_mail import Attachment

from snt import billing
from snt.email import build_email, dispatch, external_url
from snt.extensions import db
from snt.models import Account, EmailNotice, Plot
from snt.money import format_money
from snt.notices.gateways import Outcome
from snt.notices.services import (
    Plan,
    Result,
    SmsError,
    claim,
    deliver_each,
    money_sentence,
    month_after,
    month_figures,
    outbox_rows,
    sort_drafts,
)
from snt.payments.qr import PaymentCode, plot_code
from snt.payments.requisites import current_requisites
from snt.payments.rows import electricity_due_day
from snt.payments.services import electricity_balances, payment_status
from snt.registry.access import verified_owners
from snt.templating import ru_date


@dataclass
class EmailDraft:
    plot: Plot
    email: str
    used: billing.Consumption
    due: Decimal  # the month's electricity charge
    balance: Decimal  # the plot's electricity due, all periods included: the SMS's «К оплате»
    sentence: str  # the SMS's sentence: «К оплате 6485.45, в т.ч. долг 2364.00. Оплатить до 5 числа.»
    code: PaymentCode | None = None  # the plot's one QR for its whole amount due, as on the receipt
    outbox: Any = None  # the EmailNotice row of an earlier run, if any: a plain row until claimed
    seen: int | None = field(init=False, default=None)  # the row's attempts when planned

    def __post_init__(self) -> None:
        self.seen = self.outbox.attempts if self.outbox is not None else None

    @property
    def address(self) -> str:
        return self.email


def plan_email(period: str, resend_unknown: bool = False, *, include_flagged: bool = False) -> Plan:
    """The emails of `period` and what a run would do with each: a dozen queries whatever the size."""
    recipients = _recipients()
    figures = month_figures(period, {plot.id: plot for plot, _ in recipients.values()})
    if figures is None:
        raise SmsError(f"За {period} нет начислений за электроэнергию по участкам, выбравшим письма.")
    start, end, by_plot = figures
    statuses = payment_status([recipients[plot_id][0] for plot_id in by_plot])
    requisites = current_requisites()
    codes = {status.plot.id: plot_code(status, requisites) for status in statuses}
    outbox = outbox_rows(EmailNotice, period, list(by_plot))
    balances = electricity_balances(list(by_plot), month_after(period))
    due_day = electricity_due_day()
    drafts = []
    for plot_id, (used, due) in by_plot.items():
        plot, account = recipients[plot_id]
        balance = balances.get(plot_id, due)
        sentence = money_sentence(due, balance, due_day)
        drafts.append(
            EmailDraft(
                plot, account.email, used, due, balance, sentence, codes.get(plot_id), outbox.get(plot_id)
            )
        )
    return sort_drafts(Plan(period, start, end, drafts), resend_unknown, include_flagged)


def _recipients() -> dict[int, tuple[Plot, Account]]:
    """Verified plot -> (plot, its first owner who chose email and confirmed the address)."""
    return verified_owners(Account.email_notices.is_(True), Account.email_confirmed_at.is_not(None))


def subject(run: Plan, draft: EmailDraft) -> str:
    what = f"к оплате {format_money(draft.balance)} ₽" if draft.balance > 0 else "оплачено авансом"
    return f"электроэнергия за {ru_date(run.start)} – {ru_date(run.end)}, участок {draft.plot.number}: {what}"


def send_notice(run: Plan, draft: EmailDraft) -> Outcome:
    """Send one email; the Outcome says whether it surely went, surely did not, or may have."""
    images = []
    if draft.code is not None:
        png = draft.code.png(scale=5)
        images.append(
            Attachment(f"qr-{draft.plot.number}.png", "image/png", png, "inline", {"Content-ID": "<qr>"})
        )
    message = build_email(
        subject(run, draft),
        [draft.email],
        "monthly_notice",
        attachments=images,
        run=run,
        draft=draft,
        receipt_url=external_url("payments.receipt", number=draft.plot.number),
        status_url=external_url("payments.status"),
        settings_url=external_url("mydata.edit"),
    )
    return dispatch_once(message)


def dispatch_once(message, send: Callable = dispatch) -> Outcome:
    """Send a rendered message for an outbox row already committed as pending; the Outcome says
    whether it surely went, surely did not, or may have. Shared by every once-only email; `send`
    may be a MailSession's, to keep one connection for a batch."""
    # Rendering read the database; end that transaction (nothing is pending: the outbox row is
    # already committed) so no lock is held while the mail server talks.
    db.session.commit()
    try:
        send(message)
    except smtplib.SMTPRecipientsRefused as exc:
        return Outcome(EmailNotice.FAILED, error=f"адрес отклонён почтовым сервером: {_reason(exc)}")
    except (smtplib.SMTPConnectError, ConnectionRefusedError) as exc:
        return Outcome(EmailNotice.FAILED, error=f"почтовый сервер недоступен: {exc}", stop=True)
    except smtplib.SMTPResponseException as exc:
        return Outcome(EmailNotice.FAILED, error=f"почтовый сервер отказал: {exc.smtp_code}", stop=True)
    except (smtplib.SMTPException, OSError) as exc:
        # The connection broke after it was made: the server may have taken the message.
        return Outcome(EmailNotice.UNKNOWN, error=f"связь с почтовым сервером прервалась: {exc}", stop=True)
    return Outcome(EmailNotice.SENT, gateway_id=message.msgId[:200])


def _reason(exc: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values())


def deliver_email(run: Plan, progress: Callable[[int], None] | None = None) -> Result:
    """Send `run.to_send`, each claimed in the outbox (committed as pending) before the mail server
    is called; as for SMS, a message another run has claimed meanwhile is left to it."""

    def claim_row(draft: EmailDraft) -> EmailNotice | None:
        keys = {"plot_id": draft.plot.id, "period": run.period}
        return claim(draft, EmailNotice, keys, {"email": draft.email, "subject": subject(run, draft)[:200]})

    return deliver_each(run, claim_row, lambda draft: send_notice(run, draft), progress)
