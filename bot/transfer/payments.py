"""``clerk export payments`` / ``clerk import payments`` (the columns listed in the README, kept
exactly).

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

from bot.billing.payments import NewPayment, record_payment
from bot.clients.lookup import get_client
from bot.errors import InvalidInput
from bot.money import Money
from bot.transfer import ImportContext, Kind, register
from bot.transfer.invoices import creator_id, day
from storage.models import Client, Invoice, Payment, PaymentStatus

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
    """Check, store and apply one payment exactly as ``/payment add`` does."""
    session = ctx.session
    code = (row.get("client") or "").strip()
    if not code:
        raise InvalidInput("client is required")
    client = get_client(session, code)
    amount = Money.from_decimal_string(row.get("amount", ""), client.currency)
    if amount.cents <= 0:
        raise InvalidInput(f"amount {row.get('amount')!r} must be more than zero")
    # Left out, as in `/payment add`: received on the day of the import.
    received = day(row.get("received_on", ""), "received_on") or ctx.today()
    record_payment(
        session,
        new=NewPayment(
            client_code=client.code,
            amount=amount,
            received_on=received,
            invoice_number=(row.get("invoice") or "").strip() or None,
            trust=_flag(row.get("trust", "")),
        ),
        today=ctx.today(),
        created_by_id=creator_id(ctx),
    )


KIND = register(Kind("payments", PINNED, export_rows, import_row, required=("client", "amount")))
