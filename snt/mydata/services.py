"""The member's registration data."""

from snt.database import write_transaction
from snt.models import Account
from snt.registry import claims


def update_profile(
    account: Account,
    plot_numbers: list[str],
    full_name: str,
    contact_persons: str,
    phone: str,
    sms_consent: bool,
    email_notices: bool | None = None,
) -> None:
    """Save «Изменить регистрационные данные» whole, or nothing: claims.ClaimError for unknown plots.

    The monthly notice goes by SMS (`sms_consent`, only with a phone), by email
    (`email_notices`; None leaves it as it is), or both."""
    with write_transaction():
        claims.set_claimed_plots(account, plot_numbers)
        account.full_name = full_name.strip()
        account.contact_persons = contact_persons.strip()
        account.phone = phone
        account.sms_consent = sms_consent and bool(phone)
        if email_notices is not None:
            account.email_notices = email_notices
