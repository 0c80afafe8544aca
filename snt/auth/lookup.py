"""Finding an account by what a person types: the email or the login plot's number."""

from sqlalchemy import func, select

from snt.extensions import db
from snt.models import Account, Plot
from snt.plots import normalise_plot_number


def find_by_email(email: str) -> Account | None:
    return db.session.scalar(select(Account).where(func.lower(Account.email) == email.strip().lower()))


def normalise_login(login: str) -> str:
    """The form a login is looked up by: a lower-case email or a normalised plot number."""
    login = login.strip()
    if "@" in login:
        return login.lower()
    try:
        return normalise_plot_number(login)
    except ValueError:
        return login.lower()


def find_by_login(login: str) -> Account | None:
    """Login is the plot number (the smallest of the member's plots) or the email."""
    login = login.strip()
    if "@" in login:
        return find_by_email(login)
    try:
        number = normalise_plot_number(login)
    except ValueError:
        return None
    return db.session.scalar(select(Account).join(Account.login_plot).where(Plot.number == number))


def is_registry_email(plot: Plot, email: str) -> bool:
    return bool(plot.email.strip()) and plot.email.strip().lower() == email.strip().lower()
