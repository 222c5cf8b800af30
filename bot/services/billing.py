"""Invoices: recording them, and the ledger rules every money change follows.

Disputing, resolving and voiding live in ``bot.services.invoice_changes``.

Decisions a billing clerk can rely on:

* Invoice numbers are unique across the firm and case-insensitive (stored upper-case), so
  ``inv-7`` and ``INV-7`` are the same invoice and cannot both be recorded.
* A client's ledger is kept in one currency, because Clerk never converts. A client with no
  invoices, payments or trust money yet takes the currency of its first entry (so a euro
  client is set up by billing it in EUR); after that, other currencies are refused.
* Credit (an overpayment, or money paid on an invoice later voided) is applied to the
  client's open, undisputed invoices oldest first as soon as there are any, so an account
  never shows money owed and money held at the same time without a dispute explaining why.
* Billing work for a client over its credit limit, or while the retainer it must keep in
  trust is not held, warns the responsible lawyer (a proactive message through the outbox,
  enqueued by the handler in the same unit of work) and tells the person who typed it.

Every function takes the firm's ``today``; nothing here reads a clock or talks to Slack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.errors import Conflict, InvalidInput, NotFound
from bot.money import EscalationThresholds, Money, allocate_payment
from bot.permissions import Actor, Capability
from bot.services import ledger
from bot.services.escalation import StageChange, sync_escalation_stages
from bot.services.lookup import get_client, get_matter
from bot.services.receivables import (
    credits,
    money,
    outstanding_items,
    thresholds_in,
    trust_balances,
)
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
    User,
)
from storage.models.billing import PAYMENT_UNAPPLIED

NUMBER = re.compile(r"[A-Z0-9][A-Z0-9._/#-]{0,63}")
MAX_TERMS_DAYS = 3650


def normalise_number(text: str) -> str:
    number = text.strip().upper()
    if not NUMBER.fullmatch(number):
        shown = text.strip()[:40]
        raise InvalidInput(
            f"`{shown}` is not an invoice number: use letters, digits and - . / # "
            "(up to 64), starting with a letter or digit, e.g. INV-1042."
        )
    return number


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


def get_invoice(session: Session, number: str) -> Invoice:
    wanted = normalise_number(number)
    invoice = session.scalars(select(Invoice).where(Invoice.number == wanted)).one_or_none()
    if invoice is None:
        raise NotFound(f"There is no invoice `{wanted}`.")
    return invoice


@dataclass(frozen=True)
class Notice:
    """A proactive warning for the responsible lawyer (the handler enqueues it)."""

    key: str
    kind: str  # "credit_warning" | "retainer_warning"
    target: str | None  # the lawyer's Slack id; None when the client has no lawyer
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


def lawyer_slack_id(session: Session, client: Client, matter: Matter | None = None) -> str | None:
    """The matter's lawyer if it has one, else the client's responsible lawyer."""
    user_id = (matter.lawyer_id if matter is not None else None) or client.lawyer_id
    if user_id is None:
        return None
    return session.scalar(select(User.slack_id).where(User.id == user_id))


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


# --- invoices ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewInvoice:
    client_code: str
    number: str
    amount: Money
    issued_on: date
    due_on: date | None = None  # None: issued_on + terms_days (or the client's terms)
    terms_days: int | None = None
    matter_code: str | None = None


def add_invoice(
    session: Session,
    *,
    actor: Actor,
    new: NewInvoice,
    today: date,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> Outcome:
    """``/invoice add``: record it, apply any credit, warn the lawyer, record stage changes."""
    actor.require(Capability.MANAGE_BILLING)
    outcome = record_invoice(session, new=new, today=today, created_by_id=actor.user_id)
    assert outcome.invoice is not None
    outcome.notices = _warnings(session, outcome.client, outcome.matter, outcome.invoice)
    restage(
        session,
        outcome,
        actor=actor,
        cause=f"invoice {outcome.invoice.number} recorded",
        today=today,
        thresholds=thresholds,
        now=now,
    )
    return outcome


def record_invoice(
    session: Session, *, new: NewInvoice, today: date, created_by_id: int | None
) -> Outcome:
    """Check and store an invoice (no role check: ``/invoice`` and the CSV import share it)."""
    client = lock_client(session, get_client(session, new.client_code))
    matter = None
    if new.matter_code:
        matter = get_matter(session, new.matter_code)
        if matter.client_id != client.id:
            raise InvalidInput(f"{matter.code} is not a matter of {client.code}.")
    number = normalise_number(new.number)
    existing = session.scalars(select(Invoice).where(Invoice.number == number)).one_or_none()
    if existing is not None:
        owner = session.get(Client, existing.client_id)
        raise Conflict(
            f"Invoice {number} is already recorded (for {owner.code if owner else '?'}, "
            f"{money(existing.amount_cents, existing.currency)}, issued "
            f"{existing.issued_on.isoformat()}). Invoice numbers are unique."
        )
    if new.issued_on > today:
        raise InvalidInput(
            f"The issue date {new.issued_on.isoformat()} is in the future: record an invoice "
            "once it is issued."
        )
    terms = new.terms_days if new.terms_days is not None else client.terms_days
    if new.due_on is None and not 0 <= terms <= MAX_TERMS_DAYS:
        raise InvalidInput(f"Terms must be between 0 and {MAX_TERMS_DAYS} days, not {terms}.")
    due = new.due_on if new.due_on is not None else new.issued_on + timedelta(days=terms)
    if due < new.issued_on:
        raise InvalidInput(
            f"The due date {due.isoformat()} is before the issue date {new.issued_on.isoformat()}."
        )
    adopted = ledger_currency(session, client, new.amount.currency, "invoice")
    invoice = Invoice(
        number=number,
        client_id=client.id,
        matter_id=matter.id if matter else None,
        amount_cents=new.amount.cents,
        currency=new.amount.currency,
        issued_on=new.issued_on,
        due_on=due,
        created_by_id=created_by_id,
    )
    session.add(invoice)
    session.flush()
    outcome = Outcome(client=client, invoice=invoice, matter=matter, currency_adopted=adopted)
    outcome.credit_applied_cents = apply_credit(session, client)
    return outcome


def _warnings(
    session: Session, client: Client, matter: Matter | None, invoice: Invoice
) -> list[Notice]:
    target = lawyer_slack_id(session, client, matter)
    found: list[Notice] = []
    owed = outstanding_of(session, client.id)
    credit = credits(session, [client.id]).get((client.id, client.currency), 0)
    exposure = owed - credit
    limit = client.credit_limit_cents
    if limit is not None and exposure > limit:
        before = exposure - invoice.amount_cents
        crossed = "pushes" if before <= limit else "adds to"
        found.append(
            Notice(
                key=f"credit-limit:{client.id}:{invoice.id}",
                kind="credit_warning",
                target=target,
                text=(
                    f"Invoice {invoice.number} ({money(invoice.amount_cents, invoice.currency)}) "
                    f"{crossed} {client.code} ({client.name}) over its credit limit: "
                    f"{money(exposure, client.currency)} owed against a limit of "
                    f"{money(limit, client.currency)} "
                    f"({money(exposure - limit, client.currency)} over)."
                ),
            )
        )
    required = client.retainer_required_cents
    if required:
        held = trust_balances(session, [client.id]).get((client.id, client.currency), 0)
        if held < required:
            where = f" on {matter.code}" if matter is not None else ""
            found.append(
                Notice(
                    key=f"retainer:{client.id}:{invoice.id}",
                    kind="retainer_warning",
                    target=target,
                    text=(
                        f"Work{where} was billed (invoice {invoice.number}) while "
                        f"{client.code} ({client.name}) does not hold its required retainer: "
                        f"{money(held, client.currency)} in trust of "
                        f"{money(required, client.currency)} required "
                        f"({money(required - held, client.currency)} short)."
                    ),
                )
            )
    return found
