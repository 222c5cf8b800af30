"""``clerk export invoices`` / ``clerk import invoices`` (the columns listed in the README, kept
exactly).

Columns: ``number,client,matter,amount,currency,issued_on,due_on,status``. ``amount`` is a
plain decimal string (``12500.00``); ``status`` is ``open``, ``disputed`` or ``void`` (a
disputed invoice is still open and owed, but does not escalate the account).

Import rules, the same as ``/invoice add`` where they apply:

* each row is checked and stored by ``bot.billing.invoices.record_invoice``, the function
  behind ``/invoice add``: numbers are unique (case-insensitive), also within the file, so
  importing a file twice cannot double a balance; the client must exist and the matter be
  one of its own; one currency per client's ledger; nothing issued after today;
* ``due_on`` may be empty: the client's payment terms then apply from ``issued_on``.

Imported invoices have no payments; ``clerk import payments`` applies payments afterwards.
The reason for an imported dispute or void is recorded as "imported" since the file has
no column for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing.invoices import NewInvoice, record_invoice
from bot.clients.lookup import get_client
from bot.errors import InvalidInput
from bot.money import Money, normalize_currency
from bot.transfer import ImportContext, Kind, register
from storage.models import Client, Invoice, InvoiceStatus, Matter, User

PINNED = ("number", "client", "matter", "amount", "currency", "issued_on", "due_on", "status")
STATUSES = ("open", "disputed", "void", "written_off")
IMPORTED_REASON = "imported from a CSV file"


def status_of(invoice: Invoice) -> str:
    if invoice.status is not InvoiceStatus.OPEN:
        return invoice.status.value  # void, written_off
    return "disputed" if invoice.disputed else "open"


def export_rows(session: Session) -> Iterator[dict[str, str]]:
    clients = {k: v for k, v in session.execute(select(Client.id, Client.code))}
    matters = {k: v for k, v in session.execute(select(Matter.id, Matter.code))}
    for invoice in session.scalars(select(Invoice).order_by(Invoice.issued_on, Invoice.id)):
        yield {
            "number": invoice.number,
            "client": clients.get(invoice.client_id, ""),
            "matter": matters.get(invoice.matter_id, "") if invoice.matter_id else "",
            "amount": Money(invoice.amount_cents, invoice.currency).decimal_string(),
            "currency": invoice.currency,
            "issued_on": invoice.issued_on.isoformat(),
            "due_on": invoice.due_on.isoformat(),
            "status": status_of(invoice),
        }


def day(value: str, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{column} {value[:40]!r} is not a date (YYYY-MM-DD)") from exc


def creator_id(ctx: ImportContext) -> int | None:
    """The importing person's user id when the actor is a known Slack id (else None)."""
    if "creator_id" not in ctx.cache:
        ctx.cache["creator_id"] = ctx.session.scalar(
            select(User.id).where(User.slack_id == ctx.actor)
        )
    found = ctx.cache["creator_id"]
    return int(found) if found is not None else None


def import_row(ctx: ImportContext, row: dict[str, str]) -> None:
    """Check and store one invoice exactly as ``/invoice add`` does (``record_invoice``)."""
    session = ctx.session
    client_code = (row.get("client") or "").strip()
    if not client_code:
        raise InvalidInput("client is required")
    # Left out, as in `/invoice add`: the client's own currency, issued on the day of the
    # import, due after the client's terms.
    given = (row.get("currency") or "").strip()
    currency = normalize_currency(given) if given else get_client(session, client_code).currency
    amount = Money.from_decimal_string(row.get("amount", ""), currency)
    if amount.cents <= 0:
        raise InvalidInput(f"amount {row.get('amount')!r} must be more than zero")
    issued = day(row.get("issued_on", ""), "issued_on") or ctx.today()
    status = (row.get("status") or "open").strip().lower()
    if status not in STATUSES:
        raise InvalidInput(f"status {status[:20]!r} is not one of {', '.join(STATUSES)}")
    outcome = record_invoice(
        session,
        new=NewInvoice(
            client_code=client_code,
            number=row.get("number", "") or "",
            amount=amount,
            issued_on=issued,
            due_on=day(row.get("due_on", ""), "due_on"),
            matter_code=(row.get("matter") or "").strip() or None,
        ),
        today=ctx.today(),
        created_by_id=creator_id(ctx),
    )
    invoice = outcome.invoice
    assert invoice is not None
    if status == "disputed":
        invoice.disputed = True
        invoice.dispute_reason = IMPORTED_REASON
    elif status == "void":
        invoice.status = InvoiceStatus.VOID
        invoice.void_reason = IMPORTED_REASON
    elif status == "written_off":
        invoice.status = InvoiceStatus.WRITTEN_OFF
        invoice.written_off_cents = invoice.amount_cents - invoice.paid_cents
        invoice.written_off_on = ctx.today()
        invoice.write_off_reason = IMPORTED_REASON
    session.flush()


KIND = register(
    Kind("invoices", PINNED, export_rows, import_row, required=("number", "client", "amount"))
)
