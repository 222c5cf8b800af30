"""Payments and trust deposits.

* A payment that names an invoice pays that invoice; what it does not need is the client's
  credit (``bot.money.allocation``: a second payment of a paid invoice is more often a
  duplicate to refund than an instruction to pay something else).
* A payment that names no invoice pays the client's open invoices oldest first. Disputed
  invoices are left out: the client is contesting them, and applying their money there
  would settle the dispute against them. What is left over is credit.
* ``trust`` records a retainer deposit: money held for the client in trust, tracked apart
  from fee payments and never applied to invoices (as the bar requires).
* A payment must be in the client's currency (Clerk never converts), and cannot be dated in
  the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing import ledger
from bot.billing.aged_accounts import outstanding_items
from bot.billing.invoices import get_invoice
from bot.billing.money_changes import (
    Outcome,
    complete_settled_plans,
    invoice_outstanding,
    invoices_by_id,
    ledger_currency,
    lock_client,
    restage,
)
from bot.billing.receivables import money
from bot.billing.totals import credits, trust_balances
from bot.clients.lookup import get_client
from bot.errors import Conflict, InvalidInput
from bot.money import (
    Application,
    EscalationThresholds,
    Money,
    allocate_payment,
    allocate_to_invoice,
)
from bot.permissions import Actor, Capability
from storage.models import (
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentStatus,
    TrustKind,
    TrustTransaction,
)

MAX_REFERENCE = 120


@dataclass(frozen=True)
class NewPayment:
    client_code: str
    amount: Money
    received_on: date
    invoice_number: str | None = None
    trust: bool = False
    reference: str | None = None


@dataclass
class PaymentOutcome(Outcome):
    payment: Payment | None = None
    applications: tuple[Application, ...] = ()
    unapplied_cents: int = 0
    credit_cents: int = 0  # the client's whole credit after this payment
    trust_cents: int = 0  # the client's trust balance after this payment
    disputed_invoice: bool = False


def add_payment(
    session: Session,
    *,
    actor: Actor,
    new: NewPayment,
    today: date,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> PaymentOutcome:
    """``/payment add``: record it, apply it, and record any stage change it causes."""
    actor.require(Capability.MANAGE_BILLING)
    outcome = record_payment(session, new=new, today=today, created_by_id=actor.user_id)
    shown = money(new.amount.cents, new.amount.currency)
    kind = "trust deposit" if new.trust else "payment"
    restage(
        session,
        outcome,
        actor=actor,
        cause=f"{kind} of {shown} recorded",
        today=today,
        thresholds=thresholds,
        now=now,
    )
    return outcome


def record_payment(
    session: Session, *, new: NewPayment, today: date, created_by_id: int | None
) -> PaymentOutcome:
    """Check, store and apply a payment (no role check: ``/payment`` and the CSV import)."""
    client = lock_client(session, get_client(session, new.client_code))
    if new.trust and new.invoice_number:
        raise InvalidInput(
            "A trust deposit is held for the client, not applied to an invoice: record it "
            "without `invoice`, or record a fee payment without `trust`."
        )
    if new.received_on > today:
        raise InvalidInput(
            f"{new.received_on.isoformat()} is in the future: record a payment once it is received."
        )
    if new.reference and len(new.reference) > MAX_REFERENCE:
        raise InvalidInput(f"The reference is longer than {MAX_REFERENCE} characters.")
    invoice: Invoice | None = None
    if new.invoice_number:
        invoice = get_invoice(session, new.invoice_number)
        if invoice.client_id != client.id:
            raise InvalidInput(f"Invoice {invoice.number} is not one of {client.code}'s invoices.")
        if invoice.status is InvoiceStatus.VOID:
            raise Conflict(
                f"Invoice {invoice.number} is void ({invoice.void_reason}); record the payment "
                "without an invoice and it becomes credit or pays the oldest invoice."
            )
        if invoice.status is InvoiceStatus.WRITTEN_OFF:
            raise Conflict(
                f"Invoice {invoice.number} was written off; record "
                "the payment without an invoice and it becomes credit or pays the oldest "
                "invoice."
            )
    if invoice is not None and new.amount.currency != invoice.currency:
        raise InvalidInput(
            f"Invoice {invoice.number} is in {invoice.currency} and the payment is in "
            f"{new.amount.currency}; Clerk never converts between currencies."
        )
    adopted = ledger_currency(session, client, new.amount.currency, "payment")
    payment = Payment(
        client_id=client.id,
        amount_cents=new.amount.cents,
        currency=new.amount.currency,
        received_on=new.received_on,
        invoice_id=invoice.id if invoice is not None else None,
        is_trust=new.trust,
        reference=new.reference,
        created_by_id=created_by_id,
    )
    session.add(payment)
    session.flush()
    outcome = PaymentOutcome(client=client, invoice=invoice, payment=payment)
    outcome.currency_adopted = adopted
    if new.trust:
        session.add(
            TrustTransaction(
                client_id=client.id,
                kind=TrustKind.DEPOSIT,
                amount_cents=new.amount.cents,
                currency=new.amount.currency,
                occurred_on=new.received_on,
                payment_id=payment.id,
                memo=new.reference or "Retainer deposit",
                created_by_id=created_by_id,
            )
        )
        session.flush()
    else:
        _apply(session, outcome, payment, invoice)
        complete_settled_plans(session, client)
    outcome.credit_cents = credits(session, [client.id]).get((client.id, client.currency), 0)
    outcome.trust_cents = trust_balances(session, [client.id]).get((client.id, client.currency), 0)
    return outcome


def _apply(
    session: Session, outcome: PaymentOutcome, payment: Payment, invoice: Invoice | None
) -> None:
    client = outcome.client
    if invoice is not None:
        owed = invoice_outstanding(session, invoice)
        rows = [(invoice.number, invoice.issued_on, invoice.due_on, owed)]
        allocation = allocate_to_invoice(payment.amount_cents, invoice.number, rows)
        ids = {invoice.number: invoice.id}
        outcome.disputed_invoice = invoice.disputed
    else:
        open_rows = session.execute(
            outstanding_items([client.id]).where(
                Invoice.disputed.is_(False), Invoice.currency == payment.currency
            )
        ).all()
        allocation = allocate_payment(
            payment.amount_cents,
            [(r.number, r.issued_on, r.due_on, int(r.outstanding)) for r in open_rows],
        )
        ids = {r.number: r.id for r in open_rows}
    applied_to = invoices_by_id(session, [ids[a.key] for a in allocation.applications])
    for application in allocation.applications:
        ledger.allocate(
            session,
            payment=payment,
            invoice=applied_to[ids[application.key]],
            cents=application.applied_cents,
        )
    session.flush()
    outcome.applications = allocation.applications
    outcome.unapplied_cents = allocation.unapplied_cents


def last_payment(session: Session, client_id: int) -> Payment | None:
    return session.scalars(
        select(Payment)
        .where(Payment.client_id == client_id, Payment.status == PaymentStatus.RECEIVED)
        .order_by(Payment.received_on.desc(), Payment.id.desc())
        .limit(1)
    ).one_or_none()
