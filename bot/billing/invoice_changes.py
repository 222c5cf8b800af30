"""Changing a recorded invoice: disputing it, resolving the dispute, voiding it.

Each change locks the client (``lock_client``) and reads the invoice again under the lock,
because a payment or another change to the same account may have committed a moment ago;
each then re-stages the account's collections escalation with who did it and why.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.billing import ledger
from bot.billing.collections import clean_reason
from bot.billing.invoices import get_invoice
from bot.billing.money_changes import (
    Outcome,
    apply_credit,
    complete_settled_plans,
    lock_client,
    restage,
)
from bot.errors import Conflict
from bot.money import EscalationThresholds
from bot.permissions import Actor, Capability
from storage.models import Client, Invoice, InvoiceStatus


def mark_disputed(
    session: Session,
    *,
    actor: Actor,
    invoice_number: str,
    reason: str,
    today: date,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Put an invoice in dispute: it stays owed, but no longer escalates the account."""
    actor.require(Capability.MANAGE_BILLING)
    why = clean_reason(reason, "the client's reason for the dispute")
    invoice = get_invoice(session, invoice_number)
    client = _client_of(session, invoice)  # locked, and the invoice read again under it
    if invoice.status is InvoiceStatus.VOID:
        raise Conflict(f"Invoice {invoice.number} is void; there is nothing to dispute.")
    if invoice.disputed:
        raise Conflict(
            f"Invoice {invoice.number} is already disputed ({invoice.dispute_reason}). "
            f"`/invoice resolve {invoice.number}` when it is settled."
        )
    invoice.disputed = True
    invoice.dispute_reason = why
    outcome = Outcome(client=client, invoice=invoice)
    restage(
        session,
        outcome,
        actor=actor,
        cause=f"invoice {invoice.number} disputed ({why})",
        today=today,
        thresholds=thresholds,
        now=now,
    )
    return outcome


def resolve_dispute(
    session: Session,
    *,
    actor: Actor,
    invoice_number: str,
    today: date,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> Outcome:
    """End a dispute: the invoice counts again from its own due date."""
    actor.require(Capability.MANAGE_BILLING)
    invoice = get_invoice(session, invoice_number)
    client = _client_of(session, invoice)  # locked, and the invoice read again under it
    if not invoice.disputed:
        raise Conflict(f"Invoice {invoice.number} is not disputed.")
    invoice.disputed = False
    outcome = Outcome(client=client, invoice=invoice)
    outcome.credit_applied_cents = apply_credit(session, outcome.client)
    restage(
        session,
        outcome,
        actor=actor,
        cause=f"dispute on invoice {invoice.number} resolved",
        today=today,
        thresholds=thresholds,
        now=now,
    )
    return outcome


def void_invoice(
    session: Session,
    *,
    actor: Actor,
    invoice_number: str,
    reason: str,
    today: date,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Void an invoice (never delete it). Money paid on it becomes the client's credit."""
    actor.require(Capability.MANAGE_BILLING)
    why = clean_reason(reason, "a reason for voiding it")
    invoice = get_invoice(session, invoice_number)
    client = _client_of(session, invoice)  # locked, and the invoice read again under it
    if invoice.status is InvoiceStatus.VOID:
        raise Conflict(f"Invoice {invoice.number} is already void ({invoice.void_reason}).")
    invoice.status = InvoiceStatus.VOID
    invoice.void_reason = why
    paid = ledger.release(session, invoice)  # what was paid on it is the client's credit now
    session.flush()
    outcome = Outcome(client=client, invoice=invoice)
    outcome.detail["was_paid"] = paid
    outcome.credit_applied_cents = apply_credit(session, outcome.client)
    complete_settled_plans(session, outcome.client)
    restage(
        session,
        outcome,
        actor=actor,
        cause=f"invoice {invoice.number} voided ({why})",
        today=today,
        thresholds=thresholds,
        now=now,
    )
    return outcome


def _client_of(session: Session, invoice: Invoice) -> Client:
    client = session.get(Client, invoice.client_id)
    assert client is not None
    lock_client(session, client)
    session.refresh(invoice)  # read again under the lock: another writer may have changed it
    return client
