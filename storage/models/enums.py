"""The closed vocabularies of the data model, named as a law firm names them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    PARTNER = "partner"
    LAWYER = "lawyer"
    STAFF = "staff"
    BILLING = "billing"


class ClientKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class ClientStatus(StrEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    FORMER = "former"


class MatterStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ContactKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    LETTER = "letter"
    MESSAGE = "message"


class DeadlineStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class InvoiceStatus(StrEnum):
    OPEN = "open"
    VOID = "void"
    # The unpaid rest was given up: nobody owes it any more, but it was billed (and paid in
    # part, perhaps), so unlike a void invoice it still counts as billed and in the reports.
    WRITTEN_OFF = "written_off"


class PaymentStatus(StrEnum):
    RECEIVED = "received"
    VOID = "void"


class TrustKind(StrEnum):
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"


class PlanFrequency(StrEnum):
    WEEK = "week"
    MONTH = "month"


class PlanStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # permanent: reported to admins, never retried


class JobRunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
