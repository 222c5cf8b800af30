"""Applying a payment to open invoices.

A payment that names no invoice pays the oldest debt first: by due date, then issue date,
then invoice key so the result never depends on the order rows came back from the database.
Oldest-first is what clients and courts expect, and it brings the collections stage (which
is driven by the oldest unpaid amount) down as fast as the money allows.

Whatever the payment does not use is returned as ``unapplied_cents``: an overpayment is a
credit balance on the account, never silently dropped and never spread onto invoices the
client did not name. Which invoices are eligible (for example whether disputed ones are left
out until the dispute is resolved) is the caller's decision; this module only orders and
applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from bot.errors import InvalidInput, NotFound


class OpenInvoice(NamedTuple):
    """An invoice with money still owed; a plain 4-tuple in this order works too."""

    key: str
    issued_on: date
    due_on: date
    outstanding_cents: int


@dataclass(frozen=True)
class Application:
    """Part of a payment applied to one invoice, and what that invoice still owes after."""

    key: str
    applied_cents: int
    remaining_cents: int

    @property
    def pays_in_full(self) -> bool:
        return self.remaining_cents == 0


@dataclass(frozen=True)
class Allocation:
    """How a payment was applied. ``applied_cents + unapplied_cents == amount_cents``."""

    amount_cents: int
    applications: tuple[Application, ...]
    unapplied_cents: int  # credit balance (overpayment)

    @property
    def applied_cents(self) -> int:
        return sum(a.applied_cents for a in self.applications)

    @property
    def is_overpayment(self) -> bool:
        return self.unapplied_cents > 0


def _check_amount(amount_cents: int) -> None:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise TypeError(f"amount_cents must be int cents, got {amount_cents!r}")
    if amount_cents <= 0:
        raise InvalidInput("A payment must be more than zero.")


def _invoices(open_invoices: Sequence[tuple[str, date, date, int]]) -> list[OpenInvoice]:
    invoices = [OpenInvoice(*inv) for inv in open_invoices]
    seen: set[str] = set()
    for inv in invoices:
        if inv.key in seen:
            raise ValueError(f"invoice {inv.key} is listed twice")
        seen.add(inv.key)
        if isinstance(inv.outstanding_cents, bool) or not isinstance(inv.outstanding_cents, int):
            raise TypeError(f"invoice {inv.key}: outstanding_cents must be int cents")
        if inv.outstanding_cents < 0:
            raise ValueError(f"invoice {inv.key}: outstanding_cents is negative")
    return invoices


def allocate_payment(
    amount_cents: int, open_invoices: Sequence[tuple[str, date, date, int]]
) -> Allocation:
    """Apply ``amount_cents`` oldest-first; the rest is unapplied (a credit)."""
    _check_amount(amount_cents)
    ordered = sorted(_invoices(open_invoices), key=lambda i: (i.due_on, i.issued_on, i.key))
    left = amount_cents
    applications: list[Application] = []
    for inv in ordered:
        if left == 0:
            break
        if inv.outstanding_cents == 0:
            continue
        applied = min(left, inv.outstanding_cents)
        applications.append(Application(inv.key, applied, inv.outstanding_cents - applied))
        left -= applied
    return Allocation(amount_cents, tuple(applications), left)


def allocate_to_invoice(
    amount_cents: int, invoice_key: str, open_invoices: Sequence[tuple[str, date, date, int]]
) -> Allocation:
    """Apply a payment to the invoice the client named; any excess is a credit.

    The excess is not spread onto other invoices: the client said which invoice they paid,
    and a second payment of an invoice already paid is far more often a duplicate to refund
    or a wrong invoice number than an instruction to pay something else.
    """
    _check_amount(amount_cents)
    for inv in _invoices(open_invoices):
        if inv.key == invoice_key:
            applied = min(amount_cents, inv.outstanding_cents)
            applications = (
                (Application(inv.key, applied, inv.outstanding_cents - applied),) if applied else ()
            )
            return Allocation(amount_cents, applications, amount_cents - applied)
    raise NotFound(f"Invoice {invoice_key} is not one of this client's open invoices.")
