"""The add-invoice form: opening it from ``/invoice`` with no words, and reading what was submitted,
each problem under its own field."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.billing import invoices as billing
from bot.clerk import Clerk
from bot.clients.lookup import (
    find_client,
    find_matter,
    normalise_code,
)
from bot.errors import FieldErrors, InvalidInput
from bot.money import parse_amount
from bot.permissions import Actor, Capability
from handlers.billing.forms import MoneyField, invoice_modal
from handlers.kernel.commands import CommandRequest


def open_modal(request: CommandRequest) -> dict[str, Any]:
    request.actor.require(Capability.MANAGE_BILLING)
    return invoice_modal(request.channel_id, request.clerk.today())


def modal_invoice(clerk: Clerk, actor: Actor, values: dict[str, str | None]) -> billing.NewInvoice:
    """Read the submitted form; each problem goes under its field (the modal stays open)."""
    actor.require(Capability.MANAGE_BILLING)
    errors: dict[str, str] = {}
    code = (values.get(MoneyField.CLIENT) or "").strip()
    matter_code = (values.get(MoneyField.MATTER) or "").strip() or None
    number = (values.get(MoneyField.NUMBER) or "").strip()
    terms_text = (values.get(MoneyField.TERMS) or "").strip()
    due_text = values.get(MoneyField.DUE)
    with clerk.db.reading() as session:
        client = find_client(session, code)
        if client is None:
            errors[MoneyField.CLIENT] = f"There is no client `{normalise_code(code)}`."
        if matter_code and find_matter(session, matter_code) is None:
            errors[MoneyField.MATTER] = f"There is no matter `{normalise_code(matter_code)}`."
    try:
        billing.normalise_number(number)
    except InvalidInput as exc:
        errors[MoneyField.NUMBER] = exc.message
    amount = None
    try:
        amount = parse_amount(
            values.get(MoneyField.AMOUNT) or "", client.currency if client else "USD"
        )
    except InvalidInput as exc:
        errors[MoneyField.AMOUNT] = exc.message
    terms = None
    if terms_text:
        if not terms_text.isdigit():
            errors[MoneyField.TERMS] = "A whole number of days, e.g. 30."
        elif due_text:
            errors[MoneyField.TERMS] = "Give a due date or terms, not both."
        else:
            terms = int(terms_text)
    if errors:
        raise FieldErrors(errors)
    assert client is not None and amount is not None
    return billing.NewInvoice(
        client_code=client.code,
        number=number,
        amount=amount,
        issued_on=date.fromisoformat(values.get(MoneyField.ISSUED) or clerk.today().isoformat()),
        due_on=date.fromisoformat(due_text) if due_text else None,
        terms_days=terms,
        matter_code=matter_code,
    )
