"""Receivables aging: how long each open amount has been past due, as of a given date.

The buckets are the ones every billing partner reads: current, 1-30, 31-60, 61-90 and 90+
days past due. The edges are exact and inclusive on the upper end: an invoice due today is
current, one day late is 1-30, day 30 is still 1-30, day 31 is 31-60, day 90 is 61-90 and
day 91 is 90+.

Disputed items are still money the client owes, so they stay in the bucket totals (hiding
them would understate receivables); they are counted separately as ``disputed_cents`` and they
are left out of ``oldest_days_overdue`` and ``overdue_undisputed_cents``, which drive
collections escalation: a dispute pauses escalation. Voided items are not
owed at all and are ignored entirely.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from bot.money.amounts import CurrencyMismatch
from bot.money.currencies import normalize_currency


class Bucket(Enum):
    """An aging bucket; ``value`` is the label shown to people."""

    CURRENT = "current"
    DAYS_1_30 = "1-30"
    DAYS_31_60 = "31-60"
    DAYS_61_90 = "61-90"
    DAYS_90_PLUS = "90+"

    @property
    def label(self) -> str:
        return self.value


def days_overdue(due_on: date, as_of: date) -> int:
    """Whole days past due; zero on the due date and negative before it."""
    return (as_of - due_on).days


def bucket_for(days: int) -> Bucket:
    """The bucket for a number of days past due (zero or less is current)."""
    if days <= 0:
        return Bucket.CURRENT
    if days <= 30:
        return Bucket.DAYS_1_30
    if days <= 60:
        return Bucket.DAYS_31_60
    if days <= 90:
        return Bucket.DAYS_61_90
    return Bucket.DAYS_90_PLUS


@dataclass(frozen=True)
class OpenItem:
    """One amount still owed: an invoice's outstanding balance or a plan installment.

    ``currency`` defaults to USD so the four-field form reads naturally; pass it for any other
    currency. ``voided`` items are accepted (so callers can pass every invoice) and ignored.
    """

    key: str
    due_on: date
    outstanding_cents: int
    disputed: bool = False
    currency: str = "USD"
    voided: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.outstanding_cents, bool) or not isinstance(self.outstanding_cents, int):
            raise TypeError(f"outstanding_cents must be int cents, got {self.outstanding_cents!r}")
        if self.outstanding_cents < 0:
            # A credit is not an open item; it belongs to the payment/credit side.
            raise ValueError(f"item {self.key}: outstanding_cents is negative")
        object.__setattr__(self, "currency", normalize_currency(self.currency))


@dataclass(frozen=True)
class AgedItem:
    """An open item with its age, for the per-invoice lines of ``/balance``."""

    key: str
    due_on: date
    days_overdue: int
    bucket: Bucket
    outstanding_cents: int
    disputed: bool


@dataclass(frozen=True)
class AgingReport:
    """Totals in cents for one account (one currency) as of a date."""

    as_of: date
    currency: str | None  # None when there is nothing open
    buckets: dict[Bucket, int] = field(hash=False)
    total_cents: int
    overdue_cents: int
    disputed_cents: int
    overdue_undisputed_cents: int
    oldest_days_overdue: int | None  # of undisputed items; None when none is overdue
    items: tuple[AgedItem, ...]  # oldest first

    @property
    def is_overdue(self) -> bool:
        """Anything past due, disputed or not (the account belongs on the overdue list)."""
        return self.overdue_cents > 0

    @property
    def worst_first_key(self) -> tuple[int, int, int]:
        """Sort key (ascending = worst first) for ``/balance overdue``.

        Age of the oldest undisputed overdue amount first, because that is what drives the
        collections stage and what makes money uncollectable; then the undisputed overdue
        amount, then the overdue amount including disputes. Accounts overdue only through
        disputed invoices therefore sort after every escalating account. Callers add a stable
        tie-breaker (the client code).
        """
        return (
            -(self.oldest_days_overdue or 0),
            -self.overdue_undisputed_cents,
            -self.overdue_cents,
        )


def age(items: Iterable[OpenItem], as_of: date) -> AgingReport:
    """Age every non-voided item with something outstanding, as of ``as_of``.

    All items must share one currency: cents of different currencies cannot be added, so a
    client billed in two currencies gets one report per currency.
    """
    buckets = dict.fromkeys(Bucket, 0)
    currency: str | None = None
    total = overdue = disputed = overdue_undisputed = 0
    oldest: int | None = None
    aged: list[AgedItem] = []
    for item in items:
        if item.voided or item.outstanding_cents == 0:
            continue
        if currency is None:
            currency = item.currency
        elif item.currency != currency:
            raise CurrencyMismatch(
                f"Invoice {item.key} is in {item.currency} but the others are in {currency}; "
                "Clerk ages each currency separately and never converts."
            )
        days = days_overdue(item.due_on, as_of)
        bucket = bucket_for(days)
        cents = item.outstanding_cents
        buckets[bucket] += cents
        total += cents
        if item.disputed:
            disputed += cents
        if days > 0:
            overdue += cents
            if not item.disputed:
                overdue_undisputed += cents
                oldest = days if oldest is None else max(oldest, days)
        aged.append(AgedItem(item.key, item.due_on, days, bucket, cents, item.disputed))
    aged.sort(key=lambda a: (a.due_on, a.key))
    return AgingReport(
        as_of=as_of,
        currency=currency,
        buckets=buckets,
        total_cents=total,
        overdue_cents=overdue,
        disputed_cents=disputed,
        overdue_undisputed_cents=overdue_undisputed,
        oldest_days_overdue=oldest,
        items=tuple(aged),
    )
