"""The rules every money change follows, whichever command made it: the client's row is locked,
amounts are in the ledger's currency, unapplied payments settle what is owed, settled plans
close, and the account's collections stage is recomputed (with who is told)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.billing import ledger
from bot.billing.aged_accounts import outstanding_items
from bot.billing.collections import StageChange, sync_escalation_stages
from bot.billing.receivables import thresholds_in
from bot.billing.totals import credits
from bot.errors import InvalidInput
from bot.firm.users import money_readers
from bot.money import EscalationThresholds, allocate_payment
from bot.permissions import Actor
from storage.models import (
    Client,
    Invoice,
    InvoiceStatus,
    Matter,
    Payment,
    PaymentPlan,
    PaymentStatus,
    PlanStatus,
    TrustTransaction,
)
from storage.models.billing import PAYMENT_UNAPPLIED


def lock_client(session: Session, client: Client) -> Client:
    """Serialise money writes for one client.

    Two payments recorded at the same moment must not both apply themselves to the same
    outstanding amount. On PostgreSQL the client's row is locked (``FOR UPDATE``) until the
    unit of work ends, so the second writer reads balances after the first has committed;
    SQLite already runs writers one at a time (``BEGIN IMMEDIATE``).
    """
    session.execute(select(Client.id).where(Client.id == client.id).with_for_update())
    session.refresh(client)
    return client


@dataclass(frozen=True)
class Notice:
    """A proactive warning for the responsible lawyer (the handler enqueues it)."""

    key: str
    kind: str  # "credit_warning" | "retainer_warning"
    # The responsible lawyer's Slack id (``money_recipient``); None when nobody who may see
    # the client's balance is responsible for it.
    target: str | None
    text: str


@dataclass
class Outcome:
    """What a money command did, for the reply and the messages that follow it."""

    client: Client
    invoice: Invoice | None = None
    matter: Matter | None = None
    credit_applied_cents: int = 0
    currency_adopted: bool = False
    notices: list[Notice] = field(default_factory=list)
    changes: list[StageChange] = field(default_factory=list)
    outstanding_cents: int = 0  # the client's outstanding after the command
    detail: dict[str, int] = field(default_factory=dict)


def has_ledger(session: Session, client_id: int) -> bool:
    for model in (Invoice, Payment, TrustTransaction):
        if session.scalar(select(model.id).where(model.client_id == client_id).limit(1)):
            return True
    return False


def ledger_currency(session: Session, client: Client, currency: str, what: str) -> bool:
    """Check ``currency`` is the client's; adopt it for a client with no money yet.

    Returns True when the client's currency was changed to ``currency``.
    """
    if currency == client.currency:
        return False
    if not has_ledger(session, client.id):
        client.currency = currency
        return True
    raise InvalidInput(
        f"{client.code} is billed in {client.currency}, and this {what} is in {currency}. "
        f"Clerk keeps each client's ledger in one currency and never converts: record it in "
        f"{client.currency}."
    )


def invoice_outstanding(session: Session, invoice: Invoice) -> int:
    """What is still owed on ``invoice`` (nothing on a void one)."""
    if invoice.status is not InvoiceStatus.OPEN:
        return 0
    return invoice.amount_cents - invoice.paid_cents


def outstanding_of(session: Session, client_id: int) -> int:
    items = outstanding_items([client_id]).subquery()
    return int(session.scalar(select(func.coalesce(func.sum(items.c.outstanding), 0))) or 0)


def apply_credit(session: Session, client: Client) -> int:
    """Apply the client's credit to its open, undisputed invoices, oldest first.

    Money comes from the oldest payments with something unapplied. Returns cents applied.
    """
    credit = credits(session, [client.id]).get((client.id, client.currency), 0)
    if credit <= 0:
        return 0
    open_rows = session.execute(
        outstanding_items([client.id]).where(
            Invoice.disputed.is_(False), Invoice.currency == client.currency
        )
    ).all()
    if not open_rows:
        return 0
    allocation = allocate_payment(
        credit, [(r.number, r.issued_on, r.due_on, int(r.outstanding)) for r in open_rows]
    )
    ids = {r.number: r.id for r in open_rows}
    sources = _unapplied_payments(session, client)
    applied_to = invoices_by_id(session, [ids[a.key] for a in allocation.applications])
    paying = {
        p.id: p
        for p in session.scalars(select(Payment).where(Payment.id.in_([s[0] for s in sources])))
    }
    applied_total = 0
    for application in allocation.applications:
        need = application.applied_cents
        while need > 0 and sources:
            payment_id, left = sources[0]
            take = min(left, need)
            ledger.allocate(
                session,
                payment=paying[payment_id],
                invoice=applied_to[ids[application.key]],
                cents=take,
            )
            need -= take
            applied_total += take
            if take == left:
                sources.pop(0)
            else:
                sources[0] = (payment_id, left - take)
    session.flush()
    return applied_total


def _unapplied_payments(session: Session, client: Client) -> list[tuple[int, int]]:
    """(payment id, unapplied cents) of the client's fee payments, oldest first."""
    rows = session.execute(
        select(Payment.id, Payment.amount_cents - Payment.applied_cents)
        .where(
            Payment.client_id == client.id,
            Payment.is_trust.is_(False),
            Payment.status == PaymentStatus.RECEIVED,
            PAYMENT_UNAPPLIED,
            Payment.currency == client.currency,
        )
        .order_by(Payment.received_on, Payment.id)
    )
    return [(pid, int(left)) for pid, left in rows]


def invoices_by_id(session: Session, ids: Sequence[int]) -> dict[int, Invoice]:
    """The invoices money is about to be applied to, loaded once (under the client's lock)."""
    if not ids:
        return {}
    return {i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_(set(ids))))}


def complete_settled_plans(session: Session, client: Client) -> PaymentPlan | None:
    """Mark the client's active plan completed once nothing it covers is owed."""
    plan = session.scalars(
        select(PaymentPlan).where(
            PaymentPlan.client_id == client.id, PaymentPlan.status == PlanStatus.ACTIVE
        )
    ).one_or_none()
    if plan is None:
        return None
    items = outstanding_items([client.id]).where(Invoice.plan_id == plan.id).subquery()
    left = session.scalar(select(func.coalesce(func.sum(items.c.outstanding), 0)))
    if int(left or 0) == 0:
        plan.status = PlanStatus.COMPLETED
        session.flush()
        return plan
    return None


def money_recipient(session: Session, client: Client) -> str | None:
    """Who is told proactively about ``client``'s money: its responsible lawyer, if they may
    see its balance (``bot.firm.users.money_readers``), else nobody.

    Never a matter's own lawyer: a lawyer who works on one matter of a client they are not
    responsible for is refused ``/balance`` for that client, so a warning carrying what it
    owes must not reach them either.
    """
    if client.lawyer_id is None:
        return None
    return money_readers(session, [client.lawyer_id]).get(client.lawyer_id)


def restage(
    session: Session,
    outcome: Outcome,
    *,
    actor: Actor,
    cause: str,
    today: date,
    thresholds: EscalationThresholds | None,
    now: datetime | None = None,
) -> None:
    """Record any stage change the command caused, and the client's new outstanding."""
    outcome.changes = sync_escalation_stages(
        session,
        as_of=today,
        thresholds=thresholds or thresholds_in(session),
        client_ids=[outcome.client.id],
        actor=actor.slack_id,
        cause=cause,
        at=now,
    )
    outcome.outstanding_cents = outstanding_of(session, outcome.client.id)
