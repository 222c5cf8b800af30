"""``clerk export invoices`` / ``clerk import invoices`` (pinned columns, SPEC section 6).

Columns: ``number,client,matter,amount,currency,issued_on,due_on,status``. ``amount`` is a
plain decimal string (``12500.00``); ``status`` is ``open``, ``disputed`` or ``void`` (a
disputed invoice is still open and owed, but does not escalate the account).

Import rules, the same as ``/invoice add`` where they apply:

* numbers are unique across the firm, case-insensitive (stored upper-case), also within
  the file: a number already in Clerk or earlier in the file is refused, so importing a file
  twice cannot double a client's balance;
* the client must exist, and the matter (if given) must be one of that client's;
* each client's ledger is kept in one currency: a client with no money yet takes the
  currency of its first invoice, after which other currencies are refused;
* ``due_on`` may be empty: the client's payment terms then apply from ``issued_on``.

Imported invoices have no payments; ``clerk import payments`` applies payments afterwards.
The reason for an imported dispute or void is recorded as "imported" since the file has
no column for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput
from bot.money import Money, normalize_currency
from bot.services.billing import ledger_currency, normalise_number
from bot.transfer import ImportContext, Kind, register
from storage.models import Client, Invoice, InvoiceStatus, Matter, User

PINNED = ("number", "client", "matter", "amount", "currency", "issued_on", "due_on", "status")
STATUSES = ("open", "disputed", "void")
IMPORTED_REASON = "imported from a CSV file"


def status_of(invoice: Invoice) -> str:
    if invoice.status is InvoiceStatus.VOID:
        return "void"
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


def client_by_code(session: Session, code: str) -> Client:
    if not code:
        raise InvalidInput("client is required")
    client = session.scalars(select(Client).where(Client.code == code.strip().upper())).first()
    if client is None:
        raise InvalidInput(f"there is no client {code.strip().upper()[:40]!r}")
    return client


def creator_id(ctx: ImportContext) -> int | None:
    """The importing person's user id when the actor is a known Slack id (else None)."""
    if "creator_id" not in ctx.cache:
        ctx.cache["creator_id"] = ctx.session.scalar(
            select(User.id).where(User.slack_id == ctx.actor)
        )
    found = ctx.cache["creator_id"]
    return int(found) if found is not None else None


def import_row(ctx: ImportContext, row: dict[str, str]) -> None:
    session = ctx.session
    number = normalise_number(row.get("number", "") or "")
    client = client_by_code(session, row.get("client", ""))
    matter = None
    if row.get("matter"):
        matter_code = row["matter"].strip().upper()
        matter = session.scalars(select(Matter).where(Matter.code == matter_code)).first()
        if matter is None:
            raise InvalidInput(f"there is no matter {matter_code[:40]!r}")
        if matter.client_id != client.id:
            raise InvalidInput(f"matter {matter.code} is not one of {client.code}'s")
    if not row.get("currency"):
        raise InvalidInput("currency is required (an ISO code such as USD)")
    currency = normalize_currency(row["currency"])
    amount = Money.from_decimal_string(row.get("amount", ""), currency)
    if amount.cents <= 0:
        raise InvalidInput(f"amount {row.get('amount')!r} must be more than zero")
    issued = day(row.get("issued_on", ""), "issued_on")
    if issued is None:
        raise InvalidInput("issued_on is required (YYYY-MM-DD)")
    due = day(row.get("due_on", ""), "due_on") or issued + timedelta(days=client.terms_days)
    if due < issued:
        raise InvalidInput(f"due_on {due.isoformat()} is before issued_on {issued.isoformat()}")
    status = (row.get("status") or "open").strip().lower()
    if status not in STATUSES:
        raise InvalidInput(f"status {status[:20]!r} is not one of {', '.join(STATUSES)}")
    if session.scalar(select(Invoice.id).where(Invoice.number == number)) is not None:
        raise InvalidInput(f"invoice {number} is already recorded (numbers are unique)")
    ledger_currency(session, client, currency, "invoice")
    session.add(
        Invoice(
            number=number,
            client_id=client.id,
            matter_id=matter.id if matter is not None else None,
            amount_cents=amount.cents,
            currency=currency,
            issued_on=issued,
            due_on=due,
            status=InvoiceStatus.VOID if status == "void" else InvoiceStatus.OPEN,
            disputed=status == "disputed",
            dispute_reason=IMPORTED_REASON if status == "disputed" else None,
            void_reason=IMPORTED_REASON if status == "void" else None,
            created_by_id=creator_id(ctx),
        )
    )
    session.flush()


KIND = register(Kind("invoices", PINNED, export_rows, import_row))
