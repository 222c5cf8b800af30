"""Firm-wide money totals for reports, and per-client credit and trust balances.

Set-based aggregates (one GROUP BY each), re-exported by ``bot.billing.receivables``.
Sums come back as ``int`` cents on both databases (PostgreSQL's ``SUM(bigint)`` is
``numeric``; ``int()`` of a ``Decimal`` holding whole cents is exact).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from storage.models import (
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentStatus,
    TrustKind,
    TrustTransaction,
)
from storage.models.billing import INVOICE_UNPAID, PAYMENT_UNAPPLIED


def credits(
    session: Session, client_ids: Sequence[int] | None = None
) -> dict[tuple[int, str], int]:
    """Unapplied fee money by (client id, currency): overpayments and payments on voided bills.

    Read from the payments' running totals (``bot.billing.ledger``) through the partial
    index of payments with money unapplied.
    """
    query = (
        select(
            Payment.client_id,
            Payment.currency,
            func.sum(Payment.amount_cents - Payment.applied_cents),
        )
        .where(
            Payment.is_trust.is_(False),
            Payment.status == PaymentStatus.RECEIVED,
            PAYMENT_UNAPPLIED,
        )
        .group_by(Payment.client_id, Payment.currency)
    )
    if client_ids is not None:
        query = query.where(Payment.client_id.in_(client_ids))
    return {
        (client_id, currency): int(cents)
        for client_id, currency, cents in session.execute(query)
        if cents
    }


def trust_balances(
    session: Session, client_ids: Sequence[int] | None = None
) -> dict[tuple[int, str], int]:
    """Money held in trust by (client id, currency): deposits less withdrawals."""
    signed = case(
        (TrustTransaction.kind == TrustKind.WITHDRAWAL, -TrustTransaction.amount_cents),
        else_=TrustTransaction.amount_cents,
    )
    query = select(
        TrustTransaction.client_id, TrustTransaction.currency, func.sum(signed)
    ).group_by(TrustTransaction.client_id, TrustTransaction.currency)
    if client_ids is not None:
        query = query.where(TrustTransaction.client_id.in_(client_ids))
    return {(c, cur): int(cents or 0) for c, cur, cents in session.execute(query)}


def _by_currency(rows: Iterable[Any]) -> dict[str, int]:
    return {currency: int(cents or 0) for currency, cents in rows if cents}


def collections_between(session: Session, start: date, end: date) -> dict[str, int]:
    """Fee payments received from ``start`` to ``end`` inclusive, by currency.

    Trust deposits are not collections: that money is the client's until it is earned.
    """
    return _by_currency(
        session.execute(
            select(Payment.currency, func.sum(Payment.amount_cents))
            .where(
                Payment.status == PaymentStatus.RECEIVED,
                Payment.is_trust.is_(False),
                Payment.received_on >= start,
                Payment.received_on <= end,
            )
            .group_by(Payment.currency)
        )
    )


def billed_between(session: Session, start: date, end: date) -> dict[str, int]:
    """Invoices issued from ``start`` to ``end`` inclusive (voided ones excluded), by currency.

    A written-off invoice was billed all the same: what was given up is counted apart
    (``written_off_between``)."""
    return _by_currency(
        session.execute(
            select(Invoice.currency, func.sum(Invoice.amount_cents))
            .where(
                Invoice.status != InvoiceStatus.VOID,
                Invoice.issued_on >= start,
                Invoice.issued_on <= end,
            )
            .group_by(Invoice.currency)
        )
    )


def written_off_between(session: Session, start: date, end: date) -> dict[str, tuple[int, int]]:
    """Invoices written off from ``start`` to ``end`` inclusive (the firm's days), by
    currency: (cents given up, how many invoices)."""
    rows = session.execute(
        select(
            Invoice.currency,
            func.sum(Invoice.written_off_cents),
            func.count(Invoice.id),
        )
        .where(
            Invoice.status == InvoiceStatus.WRITTEN_OFF,
            Invoice.written_off_on >= start,
            Invoice.written_off_on <= end,
        )
        .group_by(Invoice.currency)
    )
    return {currency: (int(cents or 0), int(count)) for currency, cents, count in rows}


def owed_at(as_of: date) -> Any:
    """Subquery (id, currency, due_on, owed): what each open invoice issued by the end of
    ``as_of`` still owed then (the weekly report ages receivables at its period end).

    What was owed then is what is owed now plus what was paid since. So only the invoices
    owed now (the partial index of unpaid ones) and those paid since (payments received
    after ``as_of``) are read, never the firm's settled history.
    """
    # IN (recent payments), not a join: the planner then starts from the few payments
    # received since (ix_payments_received) instead of walking every allocation.
    since = select(Payment.id).where(
        Payment.status == PaymentStatus.RECEIVED, Payment.received_on > as_of
    )
    paid_since = (
        select(
            PaymentAllocation.invoice_id.label("invoice_id"),
            func.sum(PaymentAllocation.amount_cents).label("cents"),
        )
        .where(PaymentAllocation.payment_id.in_(since))
        .group_by(PaymentAllocation.invoice_id)
        .subquery()
    )
    # Two disjoint parts, each driven by what is small: invoices owed now (the partial
    # index), and invoices settled now that were paid since (from the recent payments).
    # One join of all invoices against the union made PostgreSQL scan every invoice.
    owed = (Invoice.amount_cents - Invoice.paid_cents + func.coalesce(paid_since.c.cents, 0)).label(
        "owed"
    )

    def owed_now(*which: Any) -> Any:
        return (
            select(Invoice.id, Invoice.currency, Invoice.due_on, owed)
            .outerjoin(paid_since, paid_since.c.invoice_id == Invoice.id)
            .where(*which, INVOICE_UNPAID, Invoice.issued_on <= as_of)
        )

    # Open invoices, and those written off after ``as_of`` (still owed then, so a report
    # re-run later says what it said at the time): two parts, each an equality on the
    # status, which the partial index of unpaid invoices answers. One OR of the two made
    # SQLite walk every invoice issued by then instead (0.36 s a statement on the large firm).
    open_now = owed_now(Invoice.status == InvoiceStatus.OPEN)
    written_off_since = owed_now(
        Invoice.status == InvoiceStatus.WRITTEN_OFF, Invoice.written_off_on > as_of
    )
    settled_since = Invoice.amount_cents - Invoice.paid_cents + paid_since.c.cents
    settled = (
        select(Invoice.id, Invoice.currency, Invoice.due_on, settled_since.label("owed"))
        .select_from(paid_since)
        .join(Invoice, Invoice.id == paid_since.c.invoice_id)
        .where(
            Invoice.status == InvoiceStatus.OPEN,
            Invoice.amount_cents <= Invoice.paid_cents,
            Invoice.issued_on <= as_of,
            settled_since > 0,
        )
    )
    return union_all(open_now, written_off_since, settled).subquery()


def receivables_as_of(session: Session, as_of: date) -> dict[str, int]:
    """What clients owed at the end of ``as_of``, by currency (gross; credits not netted).

    Invoices issued by then, less payments received by then; voided invoices are excluded,
    and written-off ones from the day they were written off.
    """
    owed = owed_at(as_of)
    return _by_currency(
        session.execute(select(owed.c.currency, func.sum(owed.c.owed)).group_by(owed.c.currency))
    )
