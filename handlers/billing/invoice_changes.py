"""``/invoice dispute``, ``resolve``, ``void`` and ``write-off``: read the words, call
``bot.billing.invoice_changes`` in one unit of work, queue who must be told, draw the receipt.

Every reply is ephemeral (it shows money), and every reason typed is escaped where it is
shown (``views.receipt`` escapes its headline).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.billing import invoice_changes
from bot.billing.grammar import DISPUTE_USAGE, WRITE_OFF_USAGE, dispute_words
from bot.dates.format import format_day
from bot.errors import InvalidInput
from bot.permissions import Capability
from handlers.billing import views
from handlers.billing.shared import home, queue_messages, read_day
from handlers.clients.commands import user_resolver
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply
from storage.models import User

RESOLVE_USAGE = "/invoice resolve NUMBER"
VOID_USAGE = "/invoice void NUMBER REASON"


def _number_and_reason(request: CommandRequest, example: str, usage: str) -> tuple[str, str]:
    parts = request.text.split(" ", 2)
    if len(parts) < 2 or not parts[1].strip():
        raise InvalidInput(f"Which invoice? e.g. `{example}`", usage=usage)
    return parts[1], parts[2] if len(parts) > 2 else ""


def _review_day(request: CommandRequest, text: str) -> date | blocks.Message:
    """The review date typed, read as a future day. A past one is refused by the service;
    one that cannot be read at all is refused here, naming what was typed."""
    try:
        return read_day(request, text, prefer="future", allow_past=True)
    except InvalidInput as exc:
        raise InvalidInput(
            f"I can't read `review {blocks.escape(blocks.truncate(text, 60))}` as a date "
            f"({exc.message}). Put `review DATE` last, e.g. `review Dec 3`.",
            usage=DISPUTE_USAGE,
        ) from None


def dispute(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_BILLING)
    words = dispute_words(request.text.partition(" ")[2])
    owner_id = user_resolver(clerk)(words.owner) if words.owner else None
    review_on = None
    if words.review:
        read = _review_day(request, words.review)
        if isinstance(read, blocks.Message):
            return read
        review_on = read
    with clerk.db.unit_of_work(actor.slack_id) as session:
        outcome = invoice_changes.mark_disputed(
            session,
            actor=actor,
            invoice_number=words.number,
            reason=words.reason,
            today=clerk.today(),
            owner_id=owner_id,
            review_on=review_on,
            now=clerk.now(),
        )
        queue_messages(session, outcome, actor)
        inv = outcome.invoice
        assert inv is not None and inv.dispute_review_on is not None
        owner = session.get(User, inv.dispute_owner_id) if inv.dispute_owner_id else None
        owner_slack = owner.slack_id if owner is not None else None
        headline = f"Invoice {inv.number} ({outcome.client.code}) is disputed: {inv.dispute_reason}"
        return views.receipt(
            headline,
            [
                "It stays owed, but it no longer escalates the account until it is resolved.",
                f"Owner: {blocks.mention(owner_slack)} · review on "
                f"{format_day(inv.dispute_review_on)}: they get a DM that morning, and the "
                "overdue post flags the account once the date has passed.",
            ],
            outcome,
            home(clerk),
        )


def resolve(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_BILLING)
    number, extra = _number_and_reason(request, "/invoice resolve INV-1042", RESOLVE_USAGE)
    if extra:
        raise InvalidInput(
            f"`/invoice resolve` takes one invoice number, not "
            f"`{blocks.escape(blocks.truncate(extra, 60))}`.",
            usage=RESOLVE_USAGE,
        )
    with clerk.db.unit_of_work(actor.slack_id) as session:
        outcome = invoice_changes.resolve_dispute(
            session, actor=actor, invoice_number=number, today=clerk.today(), now=clerk.now()
        )
        queue_messages(session, outcome, actor)
        inv = outcome.invoice
        assert inv is not None
        details = ["It counts again from its own due date."]
        if outcome.credit_applied_cents:
            cur = outcome.client.currency
            details.append(
                f"{views.fmt(outcome.credit_applied_cents, cur, home(clerk))} of credit was "
                "applied to the open invoices."
            )
        return views.receipt(
            f"Dispute on invoice {inv.number} ({outcome.client.code}) resolved.",
            details,
            outcome,
            home(clerk),
        )


def _change_invoice(
    request: CommandRequest,
    change: Callable[..., Any],
    example: str,
    usage: str,
    receipt: Callable[[Any, str], blocks.Message],
) -> Reply:
    """``/invoice void|write-off NUMBER REASON``: billing, partners and admins. One unit of
    work runs the change, queues who must be told and draws the receipt."""
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_BILLING)
    number, reason = _number_and_reason(request, example, usage)
    with clerk.db.unit_of_work(actor.slack_id) as session:
        outcome = change(
            session,
            actor=actor,
            invoice_number=number,
            reason=reason,
            today=clerk.today(),
            now=clerk.now(),
        )
        queue_messages(session, outcome, actor)
        assert outcome.invoice is not None
        return receipt(outcome, home(clerk))


def _voided(outcome: Any, shown: str) -> blocks.Message:
    inv, cur = outcome.invoice, outcome.client.currency
    details = ["It is kept on file, marked void; nobody owes it."]
    paid = outcome.detail.get("was_paid", 0)
    if paid:
        details.append(
            f"{views.fmt(paid, cur, shown)} paid on it is now credit"
            + (
                f" ({views.fmt(outcome.credit_applied_cents, cur, shown)} of it applied "
                "to other open invoices)."
                if outcome.credit_applied_cents
                else "."
            )
        )
    return views.receipt(
        f"Invoice {inv.number} ({outcome.client.code}) voided: {inv.void_reason}",
        details,
        outcome,
        shown,
    )


def _written_off(outcome: Any, shown: str) -> blocks.Message:
    inv, cur = outcome.invoice, outcome.client.currency
    gone = views.fmt(outcome.detail["written_off"], cur, shown)
    details = [
        f"{gone} is written off: it leaves the account's aging, balance, escalation and "
        "credit limit. The invoice stays on file, marked written off, and the reports "
        "count it."
    ]
    paid = outcome.detail.get("was_paid", 0)
    if paid:
        details.append(f"{views.fmt(paid, cur, shown)} paid on it stays paid.")
    if outcome.detail.get("was_disputed"):
        details.append("Its dispute ends with the write-off.")
    return views.receipt(
        f"Invoice {inv.number} ({outcome.client.code}) written off: {inv.write_off_reason}",
        details,
        outcome,
        shown,
    )


def void(request: CommandRequest) -> Reply:
    return _change_invoice(
        request,
        invoice_changes.void_invoice,
        "/invoice void INV-1042 billed to the wrong client",
        VOID_USAGE,
        _voided,
    )


def write_off(request: CommandRequest) -> Reply:
    """``/invoice write-off NUMBER REASON``: billing, partners and admins."""
    return _change_invoice(
        request,
        invoice_changes.write_off,
        "/invoice write-off INV-1042 client insolvent",
        WRITE_OFF_USAGE,
        _written_off,
    )
