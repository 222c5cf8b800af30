"""Changing a recorded invoice: disputing it, resolving the dispute, voiding it, writing it off.

A dispute has an owner (who sees it through: the client's responsible lawyer unless another
is named) and a review date (14 days on unless another is given): the owner is told that
morning (``bot.billing.dispute_review``), so a dispute pauses escalation, never forever.

A write-off gives up an invoice's unpaid rest: it leaves aging, balances, escalation and the
credit limit, but the invoice keeps its row (status ``written_off``, with what was given up,
the firm's day, who and why), what was paid on it stays paid, and the reports count it.

Each change locks the client (``lock_client``) and reads the invoice again under the lock,
because a payment or another change to the same account may have committed a moment ago;
each then re-stages the account's collections escalation with who did it and why.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.billing import ledger
from bot.billing.collections import clean_reason
from bot.billing.invoices import get_invoice
from bot.billing.money_changes import (
    Outcome,
    apply_credit,
    complete_settled_plans,
    lock_client,
    money_recipient,
    restage,
)
from bot.dates.format import format_day
from bot.errors import Conflict, InvalidInput
from bot.money import EscalationThresholds
from bot.permissions import GRANTS, Actor, Capability
from storage.models import Client, Invoice, InvoiceStatus, User

REVIEW_AFTER_DAYS = 14  # a dispute's review date when none is given


def mark_disputed(
    session: Session,
    *,
    actor: Actor,
    invoice_number: str,
    reason: str,
    today: date,
    owner_id: int | None = None,
    review_on: date | None = None,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Put an invoice in dispute: it stays owed, but no longer escalates the account.

    ``owner_id``: who sees it through (default the client's responsible lawyer, if they may
    see its balance, else whoever disputes it); ``review_on``: when they are reminded
    (default ``REVIEW_AFTER_DAYS`` after ``today``; never before ``today``).
    """
    actor.require(Capability.MANAGE_BILLING)
    why = clean_reason(reason, "the client's reason for the dispute")
    if review_on is not None and review_on < today:
        raise InvalidInput(
            f"The review date {format_day(review_on)} is in the past: give today or a later "
            "day, e.g. `review Dec 3` (or leave it out for 14 days from today)."
        )
    invoice = get_invoice(session, invoice_number)
    client = _client_of(session, invoice)  # locked, and the invoice read again under it
    if invoice.status is InvoiceStatus.VOID:
        raise Conflict(f"Invoice {invoice.number} is void; there is nothing to dispute.")
    if invoice.status is InvoiceStatus.WRITTEN_OFF:
        raise Conflict(f"Invoice {invoice.number} is written off; there is nothing to dispute.")
    if invoice.disputed:
        raise Conflict(
            f"Invoice {invoice.number} is already disputed ({invoice.dispute_reason}). "
            f"`/invoice resolve {invoice.number}` when it is settled."
        )
    invoice.disputed = True
    invoice.dispute_reason = why
    invoice.dispute_owner_id = _dispute_owner(session, client, owner_id, actor)
    invoice.dispute_review_on = review_on or today + timedelta(days=REVIEW_AFTER_DAYS)
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
    if invoice.status is InvoiceStatus.WRITTEN_OFF:
        raise Conflict(
            f"Invoice {invoice.number} is written off: it was billed, so it stays on file as "
            "written off."
        )
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


def write_off(
    session: Session,
    *,
    actor: Actor,
    invoice_number: str,
    reason: str,
    today: date,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Give up an invoice's unpaid rest: nobody owes it any more, and the invoice stays on
    file as written off (what was paid on it stays paid). Billing, partners and admins."""
    actor.require(Capability.MANAGE_BILLING)
    why = clean_reason(reason, "a reason for writing it off")
    invoice = get_invoice(session, invoice_number)
    client = _client_of(session, invoice)  # locked, and the invoice read again under it
    if invoice.status is InvoiceStatus.VOID:
        raise Conflict(
            f"Invoice {invoice.number} is void: nobody owes it, so there is nothing to write off."
        )
    if invoice.status is InvoiceStatus.WRITTEN_OFF:
        on = format_day(invoice.written_off_on) if invoice.written_off_on else "earlier"
        raise Conflict(f"Invoice {invoice.number} was already written off on {on}.")
    unpaid = invoice.amount_cents - invoice.paid_cents
    if unpaid <= 0:
        raise Conflict(f"Invoice {invoice.number} is paid in full; there is nothing to write off.")
    was_disputed = invoice.disputed
    invoice.status = InvoiceStatus.WRITTEN_OFF
    invoice.written_off_cents = unpaid
    invoice.written_off_on = today
    invoice.written_off_by_id = actor.user_id
    invoice.write_off_reason = why
    invoice.disputed = False  # a write-off ends the dispute: the reason stays on file
    session.flush()
    outcome = Outcome(client=client, invoice=invoice)
    outcome.detail.update(
        written_off=unpaid, was_paid=invoice.paid_cents, was_disputed=int(was_disputed)
    )
    complete_settled_plans(session, outcome.client)
    restage(
        session,
        outcome,
        actor=actor,
        cause=f"invoice {invoice.number} written off ({why})",
        today=today,
        thresholds=thresholds,
        now=now,
    )
    return outcome


def _dispute_owner(session: Session, client: Client, owner_id: int | None, actor: Actor) -> int:
    """The dispute's owner: the one named, if they may see the client's balance (the review
    DM names the invoice and what is owed); else the responsible lawyer, if they may; else
    whoever disputes it (billing, a partner or an admin: all see every balance)."""
    if owner_id is None:
        if money_recipient(session, client) is not None:
            assert client.lawyer_id is not None
            return client.lawyer_id
        return actor.user_id
    owner = session.get(User, owner_id)
    if owner is None or not owner.is_active:
        raise InvalidInput("The dispute's owner must be an active member of the workspace.")
    grants = GRANTS[owner.role]
    sees_all = Capability.VIEW_ALL_BALANCES in grants
    sees_own = Capability.VIEW_OWN_BALANCES in grants and client.lawyer_id == owner.id
    if not (sees_all or sees_own):
        raise InvalidInput(
            f"<@{owner.slack_id}> cannot own this dispute: their role ({owner.role.value}) "
            f"does not show {client.code}'s balance. Name billing, a partner, an admin or "
            f"{client.code}'s responsible lawyer."
        )
    return owner.id


def _client_of(session: Session, invoice: Invoice) -> Client:
    client = session.get(Client, invoice.client_id)
    assert client is not None
    lock_client(session, client)
    session.refresh(invoice)  # read again under the lock: another writer may have changed it
    return client
