"""All models, one module per concern; import them from here."""

from snt.models.base import new_session_token, utcnow
from snt.models.billing import Charge, DataImport, Payment, Reading, Tariff
from snt.models.content import Announcement, ContactMessage, Page
from snt.models.registry import Account, Plot, PlotClaim
from snt.models.sms import SmsMessage

__all__ = [
    "Account",
    "Announcement",
    "Charge",
    "ContactMessage",
    "DataImport",
    "Page",
    "Payment",
    "Plot",
    "PlotClaim",
    "Reading",
    "SmsMessage",
    "Tariff",
    "new_session_token",
    "utcnow",
]
