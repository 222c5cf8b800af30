"""Invoices, payments, trust money, payment plans and the collections ladder.

Amounts are integer cents with a currency. What a client owes is derived from invoices
minus payment allocations. Each invoice also carries the running total of what was paid on
it (``paid_cents``) and each payment what of it sits on open invoices (``applied_cents``), so
a balance reads only the unpaid invoices and the payments with money left (the partial
indexes below), not a client's whole history. Both totals are written in one place,
``bot.billing.ledger``, with the allocation itself, and ``ledger.drift`` checks them against
the allocations.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models.enums import (
    InvoiceStatus,
    PaymentStatus,
    PlanFrequency,
    PlanStatus,
    TrustKind,
)
from storage.models.types import CURRENCY, enum_type
from storage.stamps import clerk_now


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY, default="USD")
    issued_on: Mapped[date]
    due_on: Mapped[date]
    status: Mapped[InvoiceStatus] = mapped_column(
        enum_type(InvoiceStatus), default=InvoiceStatus.OPEN
    )
    disputed: Mapped[bool] = mapped_column(default=False)
    dispute_reason: Mapped[str | None] = mapped_column(Text)
    # Who sees the dispute through, and the day they review it (a DM that morning): a
    # dispute pauses escalation, and these keep it from pausing it forever.
    dispute_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dispute_review_on: Mapped[date | None]
    void_reason: Mapped[str | None] = mapped_column(Text)
    # A write-off: the unpaid rest at the time (kept, as later changes to the ledger must not
    # change what the firm gave up), the firm's day, who and why.
    written_off_cents: Mapped[int | None] = mapped_column(BigInteger)
    written_off_on: Mapped[date | None] = mapped_column(index=True)
    written_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    write_off_reason: Mapped[str | None] = mapped_column(Text)
    # The payment plan that reschedules this invoice, if any: while that plan is active and
    # on schedule, the invoice's own age does not drive collections escalation.
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("payment_plans.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)
    # What received payments applied to this invoice (kept by bot.billing.ledger).
    paid_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    __table_args__ = (
        Index("ix_invoices_client_status_due", "client_id", "status", "due_on"),
        Index("ix_invoices_status_due", "status", "due_on"),
        Index("ix_invoices_issued", "issued_on"),
    )


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY, default="USD")
    received_on: Mapped[date]
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))  # as named
    is_trust: Mapped[bool] = mapped_column(default=False)  # a retainer deposit, not fees
    reference: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[PaymentStatus] = mapped_column(
        enum_type(PaymentStatus), default=PaymentStatus.RECEIVED
    )
    void_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)
    # What of this payment sits on open invoices (kept by bot.billing.ledger); the rest is
    # the client's credit.
    applied_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    __table_args__ = (
        Index("ix_payments_client_received", "client_id", "received_on"),
        Index("ix_payments_received", "received_on"),
    )


# The partial indexes' conditions (migration 0007 made the indexes). A query that states one
# of them, column against column with no bound value, is answered from its index: a client's
# thousands of settled invoices and spent payments stay out of every balance.
INVOICE_UNPAID = Invoice.amount_cents > Invoice.paid_cents
PAYMENT_UNAPPLIED = Payment.amount_cents > Payment.applied_cents
Index(
    "ix_invoices_unpaid",
    Invoice.status,
    Invoice.client_id,
    Invoice.due_on,
    sqlite_where=INVOICE_UNPAID,
    postgresql_where=INVOICE_UNPAID,
)
Index(
    "ix_payments_unapplied",
    Payment.status,
    Payment.is_trust,
    Payment.client_id,
    sqlite_where=PAYMENT_UNAPPLIED,
    postgresql_where=PAYMENT_UNAPPLIED,
)


class PaymentAllocation(Base):
    """How much of a payment went to which invoice (oldest-first unless one was named)."""

    __tablename__ = "payment_allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)


class TrustTransaction(Base):
    """Money held in trust (retainers): kept apart from fee payments, as the bar requires."""

    __tablename__ = "trust_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[TrustKind] = mapped_column(enum_type(TrustKind))
    amount_cents: Mapped[int] = mapped_column(BigInteger)  # always positive; kind gives sign
    currency: Mapped[str] = mapped_column(CURRENCY, default="USD")
    occurred_on: Mapped[date]
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    memo: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)


class PaymentPlan(Base):
    __tablename__ = "payment_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    total_cents: Mapped[int] = mapped_column(BigInteger)
    installment_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY, default="USD")
    frequency: Mapped[PlanFrequency] = mapped_column(enum_type(PlanFrequency))
    starts_on: Mapped[date]
    installment_count: Mapped[int]
    # What had already been paid on the plan's invoices when it was agreed: payments to those
    # invoices beyond this figure are payments on the plan.
    baseline_paid_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[PlanStatus] = mapped_column(enum_type(PlanStatus), default=PlanStatus.ACTIVE)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)


class Installment(Base):
    __tablename__ = "installments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("payment_plans.id"))
    number: Mapped[int]
    due_on: Mapped[date] = mapped_column(index=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (UniqueConstraint("plan_id", "number"),)


class EscalationEvent(Base):
    """A change of collections stage, with who, when and why."""

    __tablename__ = "escalation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    from_stage: Mapped[int]
    to_stage: Mapped[int]
    manual: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(32))  # Slack id or "system"
    at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (Index("ix_escalation_events_client_at", "client_id", "at"),)


class CollectionState(Base):
    """Where a client stands on the collections ladder, as last recorded.

    ``stage`` is the stage of the latest escalation event (0 when there is none), so the
    morning sync can tell a change from a repeat. ``manual_floor`` is set by *Next stage*:
    the stage the account is held at, at least, until it is settled (see
    ``bot.billing.collections``).
    """

    __tablename__ = "collection_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), unique=True)
    stage: Mapped[int] = mapped_column(default=0)
    manual_floor: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=clerk_now, onupdate=clerk_now)
