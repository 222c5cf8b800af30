"""The whole data model. Import models from here."""

from storage.models.billing import (
    EscalationEvent,
    Installment,
    Invoice,
    Payment,
    PaymentAllocation,
    PaymentPlan,
    TrustTransaction,
)
from storage.models.clients import Client, ClientRelation, Contact, Matter
from storage.models.credit import CreditCheck, CreditDecision
from storage.models.deadlines import Deadline
from storage.models.enums import (
    ClientKind,
    ClientStatus,
    ContactKind,
    DeadlineStatus,
    InvoiceStatus,
    JobRunStatus,
    MatterStatus,
    OutboxStatus,
    PaymentStatus,
    PlanFrequency,
    PlanStatus,
    Role,
    TrustKind,
)
from storage.models.feeds import CalendarFeed
from storage.models.matter_records import ConflictSearch, MatterDocument, Party, PartyRole
from storage.models.people import User
from storage.models.system import (
    AuditLog,
    ClosureDay,
    FirmSetting,
    JobRun,
    OutboxMessage,
    PendingConfirmation,
    ProcessedEvent,
)

__all__ = [
    "AuditLog",
    "CalendarFeed",
    "Client",
    "ClientRelation",
    "ClientKind",
    "ClientStatus",
    "ClosureDay",
    "ConflictSearch",
    "Contact",
    "CreditCheck",
    "CreditDecision",
    "ContactKind",
    "Deadline",
    "DeadlineStatus",
    "EscalationEvent",
    "FirmSetting",
    "Installment",
    "Invoice",
    "InvoiceStatus",
    "JobRun",
    "JobRunStatus",
    "Matter",
    "MatterDocument",
    "MatterStatus",
    "OutboxMessage",
    "OutboxStatus",
    "Party",
    "PartyRole",
    "Payment",
    "PaymentAllocation",
    "PaymentPlan",
    "PaymentStatus",
    "PendingConfirmation",
    "PlanFrequency",
    "PlanStatus",
    "ProcessedEvent",
    "Role",
    "TrustKind",
    "TrustTransaction",
    "User",
]
