"""Invoices: recording them (the rules every money change follows are ``money_changes``).

Disputing, resolving and voiding live in ``bot.billing.invoice_changes``.

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
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing.money_changes import (
    Notice,
    Outcome,
    apply_credit,
    ledger_currency,
    lock_client,
    money_recipient,
    outstanding_of,
    restage,
)
from bot.billing.receivables import money
from bot.billing.totals import credits, trust_balances
from bot.clients.lookup import get_client, get_matter
from bot.errors import Conflict, InvalidInput, NotFound
from bot.money import EscalationThresholds, Money
from bot.permissions import Actor, Capability
from storage.models import (
    Client,
    Invoice,
    Matter,
)

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


def get_invoice(session: Session, number: str) -> Invoice:
    wanted = normalise_number(number)
    invoice = session.scalars(select(Invoice).where(Invoice.number == wanted)).one_or_none()
    if invoice is None:
        raise NotFound(f"There is no invoice `{wanted}`.")
    return invoice


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
    target = money_recipient(session, client)
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
