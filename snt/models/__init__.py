"""All models, one module per concern; import them from here."""

from snt.models.accounts import Account, PlotClaim
from snt.models.audit import AuditEntry
from snt.models.ballots import Attendance, Ballot, BallotAnswer, HandsVote, MeetingCount, MeetingQuestion
from snt.models.base import new_session_token, utcnow
from snt.models.billing import KIND_TITLES, Charge, DataImport, MainReading, Payment, Reading, Tariff
from snt.models.bookkeeping import OpeningBalance, UnmatchedPayment
from snt.models.content import Announcement, ContactMessage, ContactReply, Document, Page
from snt.models.finance import BankRequisites
from snt.models.jobs import Job
from snt.models.meetings import Meeting, MeetingMaterial, MeetingNotice
from snt.models.registry import Person, Plot, plot_owner
from snt.models.security import LoginThrottle
from snt.models.settings import BoardSetting
from snt.models.sms import EmailNotice, SmsMessage
from snt.models.staging import StagedImport
from snt.models.submissions import ReadingReminder, ReadingSubmission

__all__ = [
    "KIND_TITLES",
    "Account",
    "Announcement",
    "Attendance",
    "AuditEntry",
    "Ballot",
    "BallotAnswer",
    "BankRequisites",
    "BoardSetting",
    "Charge",
    "ContactMessage",
    "ContactReply",
    "DataImport",
    "Document",
    "EmailNotice",
    "HandsVote",
    "Job",
    "LoginThrottle",
    "MainReading",
    "Meeting",
    "MeetingCount",
    "MeetingMaterial",
    "MeetingNotice",
    "MeetingQuestion",
    "OpeningBalance",
    "Page",
    "Payment",
    "Person",
    "Plot",
    "PlotClaim",
    "Reading",
    "ReadingReminder",
    "ReadingSubmission",
    "SmsMessage",
    "StagedImport",
    "Tariff",
    "UnmatchedPayment",
    "new_session_token",
    "plot_owner",
    "utcnow",
]
