"""What ``/balance CLIENT`` shows, and who may see it.

Balances are confidential : billing, partners and admins see every client's;
a lawyer sees only the clients they are responsible for; staff see none. A refusal is the
same whether or not the client has any money on file, so it reveals nothing but the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing.aged_accounts import AccountAging, outstanding_items
from bot.billing.collections import history
from bot.billing.payments import last_payment
from bot.billing.plan_progress import PlanProgress, plan_progress
from bot.billing.receivables import accounts, overdue_accounts, thresholds_in
from bot.billing.totals import credits, trust_balances
from bot.clients.lookup import get_client
from bot.errors import PermissionDenied
from bot.money import Bucket, EscalationThresholds, Stage, bucket_for
from bot.permissions import Actor, Capability
from storage.models import Client, EscalationEvent, Invoice, Matter, Payment, User

MAX_INVOICES_SHOWN = 10


def require_balance_access(actor: Actor) -> None:
    """Staff (and anyone without a balance capability) are refused before any lookup."""
    if not (actor.can(Capability.VIEW_ALL_BALANCES) or actor.can(Capability.VIEW_OWN_BALANCES)):
        raise PermissionDenied(
            f"Sorry, your role ({actor.role.value}) does not show balances: money is "
            "confidential. Ask billing or the responsible lawyer."
        )


def may_see(actor: Actor, client: Client) -> None:
    if not actor.may_see_balance_of(client.lawyer_id):
        raise PermissionDenied(
            "Balances are confidential: as a lawyer you can see the balances of the clients "
            "you are responsible for. Ask billing or a partner about this one."
        )


@dataclass(frozen=True)
class InvoiceLine:
    number: str
    matter_code: str | None
    issued_on: date
    due_on: date
    amount_cents: int
    outstanding_cents: int
    currency: str
    days_overdue: int
    bucket: Bucket
    disputed: bool
    dispute_reason: str | None
    on_plan: bool


@dataclass
class Statement:
    client: Client
    lawyer_slack_id: str | None
    as_of: date
    accounts: list[AccountAging]
    invoices: list[InvoiceLine]
    open_invoices: int
    credit: dict[str, int]
    trust: dict[str, int]
    plan: PlanProgress | None
    events: list[EscalationEvent]
    last_payment: Payment | None
    thresholds: EscalationThresholds
    actors: dict[str, str] = field(default_factory=dict)

    @property
    def stage(self) -> Stage:
        return max((a.stage for a in self.accounts), default=Stage.CURRENT)

    def owed(self, currency: str) -> int:
        return sum(a.total_cents for a in self.accounts if a.currency == currency)


def statement(session: Session, *, actor: Actor, code: str, as_of: date) -> Statement:
    require_balance_access(actor)
    client = get_client(session, code)
    may_see(actor, client)
    thresholds = thresholds_in(session)
    found = accounts(session, as_of=as_of, client_ids=[client.id], thresholds=thresholds)
    rows = session.execute(
        outstanding_items([client.id]).order_by(Invoice.due_on, Invoice.number)
    ).all()
    details = {
        inv.id: inv
        for inv in session.scalars(
            select(Invoice).where(Invoice.id.in_([r.id for r in rows[:MAX_INVOICES_SHOWN]]))
        )
    }
    matter_rows = session.execute(
        select(Matter.id, Matter.code).where(Matter.client_id == client.id)
    )
    matters = {matter_id: matter_code for matter_id, matter_code in matter_rows}
    lines = []
    for row in rows[:MAX_INVOICES_SHOWN]:
        inv = details[row.id]
        days = (as_of - row.due_on).days
        lines.append(
            InvoiceLine(
                number=row.number,
                matter_code=matters.get(inv.matter_id) if inv.matter_id else None,
                issued_on=row.issued_on,
                due_on=row.due_on,
                amount_cents=inv.amount_cents,
                outstanding_cents=int(row.outstanding),
                currency=row.currency,
                days_overdue=days,
                bucket=bucket_for(days),
                disputed=row.disputed,
                dispute_reason=inv.dispute_reason,
                on_plan=bool(row.rescheduled),
            )
        )
    lawyer = (
        session.scalar(select(User.slack_id).where(User.id == client.lawyer_id))
        if client.lawyer_id
        else None
    )
    events = history(session, client.id)
    return Statement(
        client=client,
        lawyer_slack_id=lawyer,
        as_of=as_of,
        accounts=found,
        invoices=lines,
        open_invoices=len(rows),
        credit={cur: c for (_, cur), c in credits(session, [client.id]).items()},
        trust={cur: c for (_, cur), c in trust_balances(session, [client.id]).items()},
        plan=plan_progress(session, as_of=as_of, client_ids=[client.id]).get(client.id),
        events=events,
        last_payment=last_payment(session, client.id),
        thresholds=thresholds,
    )


def overdue_for(session: Session, *, actor: Actor, as_of: date) -> tuple[list[AccountAging], bool]:
    """The overdue list the actor may see: everyone's, or a lawyer's own clients'.

    Returns the accounts and whether the list is the whole firm's.
    """
    if actor.can(Capability.VIEW_OVERDUE):
        return overdue_accounts(session, as_of=as_of), True
    if actor.can(Capability.VIEW_OWN_BALANCES):
        return overdue_accounts(session, as_of=as_of, lawyer_id=actor.user_id), False
    raise PermissionDenied(
        f"Sorry, your role ({actor.role.value}) does not show overdue accounts: money is "
        "confidential. Billing, partners and admins see the list; lawyers their own clients."
    )


@dataclass(frozen=True)
class AppliedPayment:
    received_on: date
    applied_cents: int
    payment_cents: int
    reference: str | None


@dataclass
class InvoiceDetail:
    invoice: Invoice
    client: Client
    matter_code: str | None
    outstanding_cents: int
    payments: list[AppliedPayment]
    as_of: date
    dispute_owner: str | None = None  # the Slack id of who owns its dispute


def invoice_detail(session: Session, *, actor: Actor, number: str, as_of: date) -> InvoiceDetail:
    """One invoice with what was paid on it. A lawyer sees only their own clients' invoices,
    and is told the same thing whether another client's invoice exists or not."""
    from bot.billing.invoices import get_invoice, normalise_number
    from bot.billing.money_changes import invoice_outstanding
    from bot.errors import NotFound
    from storage.models import PaymentAllocation, PaymentStatus

    require_balance_access(actor)
    wanted = normalise_number(number)
    try:
        invoice = get_invoice(session, wanted)
    except NotFound:
        invoice = None
    client = session.get(Client, invoice.client_id) if invoice is not None else None
    if invoice is None or client is None or not actor.may_see_balance_of(client.lawyer_id):
        scope = "" if actor.can(Capability.VIEW_ALL_BALANCES) else " among your clients' invoices"
        raise NotFound(f"There is no invoice `{wanted}`{scope}.")
    matter_code = (
        session.scalar(select(Matter.code).where(Matter.id == invoice.matter_id))
        if invoice.matter_id
        else None
    )
    rows = session.execute(
        select(
            Payment.received_on,
            PaymentAllocation.amount_cents,
            Payment.amount_cents,
            Payment.reference,
        )
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(
            PaymentAllocation.invoice_id == invoice.id,
            Payment.status == PaymentStatus.RECEIVED,
        )
        .order_by(Payment.received_on, Payment.id)
    )
    return InvoiceDetail(
        invoice=invoice,
        client=client,
        matter_code=matter_code,
        outstanding_cents=invoice_outstanding(session, invoice),
        payments=[AppliedPayment(*row) for row in rows],
        as_of=as_of,
        dispute_owner=(
            session.scalar(select(User.slack_id).where(User.id == invoice.dispute_owner_id))
            if invoice.dispute_owner_id
            else None
        ),
    )


def client_by_id(session: Session, client_id: int) -> Client:
    from bot.errors import NotFound

    client = session.get(Client, client_id)
    if client is None:
        raise NotFound("That client is no longer in Clerk.")
    return client


def disputable(
    session: Session, client_id: int, as_of: date
) -> tuple[Client, list[tuple[str, str, int, date]]]:
    """The client's open, undisputed invoices, oldest due first (at most 100, for a picker):
    (number, currency, outstanding cents, due date)."""
    client = client_by_id(session, client_id)
    rows = session.execute(
        outstanding_items([client.id])
        .where(Invoice.disputed.is_(False))
        .order_by(Invoice.due_on, Invoice.number)
        .limit(100)
    ).all()
    return client, [(r.number, r.currency, int(r.outstanding), r.due_on) for r in rows]
