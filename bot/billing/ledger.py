"""The one place a payment meets an invoice, and the running totals that keep balances cheap.

What a client owes is derived from its invoices and the payment allocations on them. Summing
every allocation on each ``/balance`` would make an institutional client with thousands of
settled invoices thousands of times dearer than a new one, so each invoice keeps what was
paid on it (``paid_cents``) and each payment what of it sits on open invoices
(``applied_cents``). They change only here, next to the allocation that changes them, inside
the money write that already holds the client's row lock, so two payments on one client
cannot both add to a stale total. The ORM records each change in the audit log like any
other write. ``drift`` recomputes both from the allocations: the tests run it after every
kind of money write, and so can an operator who doubts a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Invoice, InvoiceStatus, Payment, PaymentAllocation, PaymentStatus


def allocate(
    session: Session, *, payment: Payment, invoice: Invoice, cents: int
) -> PaymentAllocation:
    """Apply ``cents`` of ``payment`` to ``invoice``, keeping both running totals."""
    if cents <= 0:
        raise ValueError(f"an allocation is a positive amount, not {cents}")
    if invoice.status is not InvoiceStatus.OPEN or payment.status is not PaymentStatus.RECEIVED:
        raise ValueError("money is applied only from a received payment to an open invoice")
    if payment.is_trust:
        raise ValueError("trust money is the client's: it never pays an invoice directly")
    if invoice.paid_cents + cents > invoice.amount_cents:
        raise ValueError(f"invoice {invoice.number} would be paid past its amount")
    if payment.applied_cents + cents > payment.amount_cents:
        raise ValueError(f"payment {payment.id} would be applied past its amount")
    allocation = PaymentAllocation(payment_id=payment.id, invoice_id=invoice.id, amount_cents=cents)
    session.add(allocation)
    invoice.paid_cents += cents
    payment.applied_cents += cents
    return allocation


def release(session: Session, invoice: Invoice) -> int:
    """Give the money applied to a voided invoice back to its payments, as credit.

    The invoice keeps its ``paid_cents`` (what was paid on it stays history); the payments'
    ``applied_cents`` drop, so the money counts as the client's credit again. Returns cents.
    """
    rows = session.execute(
        select(PaymentAllocation.payment_id, func.sum(PaymentAllocation.amount_cents))
        .where(PaymentAllocation.invoice_id == invoice.id)
        .group_by(PaymentAllocation.payment_id)
    ).all()
    if not rows:
        return 0
    applied = {payment_id: int(cents) for payment_id, cents in rows}
    released = 0
    for payment in session.scalars(select(Payment).where(Payment.id.in_(applied))):
        if payment.status is PaymentStatus.RECEIVED:
            payment.applied_cents -= applied[payment.id]
            released += applied[payment.id]
    return released


@dataclass(frozen=True)
class Drift:
    """A row whose running total disagrees with its allocations."""

    entity: str  # invoices | payments
    row_id: int
    stored: int
    derived: int


def drift(session: Session) -> list[Drift]:
    """Every invoice and payment whose running total is not what its allocations say."""
    paid = _allocated(
        PaymentAllocation.invoice_id,
        Payment,
        PaymentAllocation.payment_id == Payment.id,
        Payment.status == PaymentStatus.RECEIVED,
    )
    applied = _allocated(
        PaymentAllocation.payment_id,
        Invoice,
        PaymentAllocation.invoice_id == Invoice.id,
        # Money paid on a written-off invoice stays applied (only its unpaid rest was given
        # up); money paid on a voided one is credit again.
        Invoice.status != InvoiceStatus.VOID,
    )
    return _disagreeing(session, "invoices", Invoice.id, Invoice.paid_cents, paid) + (
        _disagreeing(session, "payments", Payment.id, Payment.applied_cents, applied)
    )


def _allocated(by: Any, other: type, joined: Any, counted: Any) -> Any:
    """Subquery (row_id, cents): allocations summed by ``by``, counting those ``counted``."""
    return (
        select(by.label("row_id"), func.sum(PaymentAllocation.amount_cents).label("cents"))
        .join(other, joined)
        .where(counted)
        .group_by(by)
        .subquery()
    )


def _disagreeing(session: Session, entity: str, row_id: Any, stored: Any, sums: Any) -> list[Drift]:
    derived = func.coalesce(sums.c.cents, 0)
    rows = session.execute(
        select(row_id, stored, derived)
        .outerjoin(sums, sums.c.row_id == row_id)
        .where(stored != derived)
    )
    return [Drift(entity, found, int(value), int(should)) for found, value, should in rows]
