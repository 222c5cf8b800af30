"""``clerk export payments`` / ``clerk import payments`` (pinned columns, SPEC section 6).

Columns: ``client,invoice,amount,received_on,trust``. ``amount`` is a plain decimal string
in the client's currency (``12500.00``); ``trust`` is ``true`` for a retainer deposit held
in trust, ``false`` (or empty) for a fee payment.

Import applies each payment the way ``/payment add`` does: one that names an invoice pays
that invoice and keeps the rest as credit; one that names none pays the client's open,
undisputed invoices oldest first and keeps the rest as credit; a trust deposit is held in
trust and never applied to invoices. Import invoices first. Rows are applied in file order,
so a file exported by Clerk (oldest payment first) gives back the same balances. Voided
payments are not exported (the file has no status column to say so).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput
from bot.money import Money, allocate_payment, allocate_to_invoice
from bot.services.billing import invoice_outstanding, ledger_currency, normalise_number
from bot.services.receivables import outstanding_items
from bot.transfer import ImportContext, Kind, register
from bot.transfer.invoices import client_by_code, creator_id, day
from storage.models import (
    Client,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentStatus,
    TrustKind,
    TrustTransaction,
)

PINNED = ("client", "invoice", "amount", "received_on", "trust")
TRUE = {"true", "yes", "1", "y", "trust"}
FALSE = {"false", "no", "0", "n", ""}


def export_rows(session: Session) -> Iterator[dict[str, str]]:
    clients = {k: v for k, v in session.execute(select(Client.id, Client.code))}
    numbers = {k: v for k, v in session.execute(select(Invoice.id, Invoice.number))}
    query = (
        select(Payment)
        .where(Payment.status == PaymentStatus.RECEIVED)
        .order_by(Payment.received_on, Payment.id)
    )
    for payment in session.scalars(query):
        yield {
            "client": clients.get(payment.client_id, ""),
            "invoice": numbers.get(payment.invoice_id, "") if payment.invoice_id else "",
            "amount": Money(payment.amount_cents, payment.currency).decimal_string(),
            "received_on": payment.received_on.isoformat(),
            "trust": "true" if payment.is_trust else "false",
        }


def _flag(value: str) -> bool:
    text = (value or "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise InvalidInput(f"trust {value[:20]!r} must be true or false")


def import_row(ctx: ImportContext, row: dict[str, str]) -> None:
    session = ctx.session
    client = client_by_code(session, row.get("client", ""))
    amount = Money.from_decimal_string(row.get("amount", ""), client.currency)
    if amount.cents <= 0:
        raise InvalidInput(f"amount {row.get('amount')!r} must be more than zero")
    received = day(row.get("received_on", ""), "received_on")
    if received is None:
        raise InvalidInput("received_on is required (YYYY-MM-DD)")
    trust = _flag(row.get("trust", ""))
    invoice = None
    if row.get("invoice"):
        if trust:
            raise InvalidInput("a trust deposit is not applied to an invoice: empty invoice")
        number = normalise_number(row["invoice"])
        invoice = session.scalars(select(Invoice).where(Invoice.number == number)).first()
        if invoice is None:
            raise InvalidInput(f"there is no invoice {number} (import invoices first)")
        if invoice.client_id != client.id:
            raise InvalidInput(f"invoice {number} is not one of {client.code}'s")
        if invoice.status is InvoiceStatus.VOID:
            raise InvalidInput(f"invoice {number} is void")
    ledger_currency(session, client, amount.currency, "payment")
    payment = Payment(
        client_id=client.id,
        amount_cents=amount.cents,
        currency=amount.currency,
        received_on=received,
        invoice_id=invoice.id if invoice is not None else None,
        is_trust=trust,
        created_by_id=creator_id(ctx),
    )
    session.add(payment)
    session.flush()
    if trust:
        session.add(
            TrustTransaction(
                client_id=client.id,
                kind=TrustKind.DEPOSIT,
                amount_cents=amount.cents,
                currency=amount.currency,
                occurred_on=received,
                payment_id=payment.id,
                memo="Retainer deposit (imported)",
                created_by_id=creator_id(ctx),
            )
        )
        session.flush()
        return
    if invoice is not None:
        owed = invoice_outstanding(session, invoice)
        rows = [(invoice.number, invoice.issued_on, invoice.due_on, owed)]
        allocation = allocate_to_invoice(amount.cents, invoice.number, rows)
        ids = {invoice.number: invoice.id}
    else:
        open_rows = session.execute(
            outstanding_items([client.id]).where(
                Invoice.disputed.is_(False), Invoice.currency == amount.currency
            )
        ).all()
        allocation = allocate_payment(
            amount.cents,
            [(r.number, r.issued_on, r.due_on, int(r.outstanding)) for r in open_rows],
        )
        ids = {r.number: r.id for r in open_rows}
    for application in allocation.applications:
        session.add(
            PaymentAllocation(
                payment_id=payment.id,
                invoice_id=ids[application.key],
                amount_cents=application.applied_cents,
            )
        )
    session.flush()


KIND = register(Kind("payments", PINNED, export_rows, import_row))
