"""``/payment list CLIENT [N]``: a client's payments, newest first, with where each went.

Who may read it is who may read the client's balance (``bot.billing.statement``): the money
roles for every client, a lawyer for the clients they are responsible for, staff never (and
staff are refused before the client is looked up, so the refusal says nothing about whether
it exists). A payment history is money as much as a balance is.

One page is read with a LIMIT, newest first, and the invoices its payments went to with one
more query for those payments only: a client with years of monthly payments costs the same
as one with ten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.billing.statement import may_see, require_balance_access
from bot.clients.lookup import get_client
from bot.errors import InvalidInput
from bot.permissions import Actor
from storage.models import Invoice, InvoiceStatus, Payment, PaymentAllocation, PaymentStatus, User

DEFAULT_SHOWN = 10
MAX_SHOWN = 50  # one reply: 50 lines stay well inside Slack's limits and a reader's patience
LIST_USAGE = "/payment list CLIENT [N]"


@dataclass(frozen=True)
class PaymentLine:
    """One payment as the history shows it."""

    received_on: date
    amount_cents: int
    currency: str
    trust: bool
    void: bool
    # The invoices the payment went to (as allocated now: a voided invoice gives its money
    # back as credit); empty: none.
    invoices: tuple[str, ...]
    named_invoice: str | None  # the invoice typed with the payment, if one was
    unapplied_cents: int  # a fee payment's part sitting as credit; 0 for trust money
    recorded_by: str | None  # Slack id; None for a payment imported without a person


@dataclass(frozen=True)
class PaymentHistory:
    client_code: str
    client_name: str
    lines: list[PaymentLine]
    total: int  # every payment of the client, so the reply can say "showing N of M"


def read_count(word: str | None) -> tuple[int, bool]:
    """``N`` as typed -> (how many to show, whether it was cut to ``MAX_SHOWN``).

    A number too large is shown as the most there is room for, and says so: the reader asked
    for "everything", and the first 50 are the useful part of that.
    """
    if word is None:
        return DEFAULT_SHOWN, False
    digits = word.lstrip("0")
    if not (word.isascii() and word.isdigit()) or not digits:
        raise InvalidInput(
            f"N is how many payments to show: a whole number from 1 to {MAX_SHOWN}, "
            "e.g. `/payment list ACME 20`.",
            usage=LIST_USAGE,
        )
    wanted = int(digits) if len(digits) <= 6 else MAX_SHOWN + 1
    return min(wanted, MAX_SHOWN), wanted > MAX_SHOWN


def payment_history(session: Session, *, actor: Actor, code: str, limit: int) -> PaymentHistory:
    """The client's latest ``limit`` payments, newest first (received day, then recorded)."""
    require_balance_access(actor)
    client = get_client(session, code)
    may_see(actor, client)
    total = int(
        session.scalar(
            select(func.count()).select_from(Payment).where(Payment.client_id == client.id)
        )
        or 0
    )
    rows = session.execute(
        select(
            Payment.id,
            Payment.received_on,
            Payment.amount_cents,
            Payment.applied_cents,
            Payment.currency,
            Payment.is_trust,
            Payment.status,
            Invoice.number,
            User.slack_id,
        )
        .outerjoin(Invoice, Invoice.id == Payment.invoice_id)
        .outerjoin(User, User.id == Payment.created_by_id)
        .where(Payment.client_id == client.id)
        .order_by(Payment.received_on.desc(), Payment.id.desc())
        .limit(max(1, min(limit, MAX_SHOWN)))
    ).all()
    went_to = _allocated_invoices(session, [row.id for row in rows])
    lines = [
        PaymentLine(
            received_on=row.received_on,
            amount_cents=row.amount_cents,
            currency=row.currency,
            trust=row.is_trust,
            void=PaymentStatus(row.status) is PaymentStatus.VOID,
            invoices=went_to.get(row.id, ()),
            named_invoice=row.number,
            unapplied_cents=0 if row.is_trust else max(0, row.amount_cents - row.applied_cents),
            recorded_by=row.slack_id,
        )
        for row in rows
    ]
    return PaymentHistory(client.code, client.name, lines, total)


def _allocated_invoices(session: Session, payment_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Each payment's invoices that still hold its money, in the order it was applied."""
    if not payment_ids:
        return {}
    found: dict[int, list[str]] = {}
    rows = session.execute(
        select(PaymentAllocation.payment_id, Invoice.number)
        .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
        .where(
            PaymentAllocation.payment_id.in_(payment_ids),
            # money on a voided invoice is credit again (``bot.billing.ledger.release``)
            Invoice.status != InvoiceStatus.VOID,
        )
        .order_by(PaymentAllocation.payment_id, PaymentAllocation.id)
    )
    for payment_id, number in rows:
        numbers = found.setdefault(payment_id, [])
        if number not in numbers:
            numbers.append(number)
    return {payment_id: tuple(numbers) for payment_id, numbers in found.items()}
