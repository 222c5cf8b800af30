"""Days sales outstanding: how many days of billing are sitting unpaid.

``DSO = receivables at the end of the period / amount billed in the period * days in the
period``. Computed with ``Decimal`` from integer cents so the figure in a report is the same
on every machine, and rounded to one decimal (half up) because that is how it is read.

Guards, on purpose: nothing billed in the period makes DSO undefined, so it is ``None`` (the
report shows "n/a") instead of a division error or an infinite number; net credits (negative
receivables) mean nobody owes the firm anything, so DSO is 0.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

_ONE_DECIMAL = Decimal("0.1")


def period_days(start: date, end: date) -> int:
    """Days in a period counting both ends (Nov 1 - Nov 30 is 30 days)."""
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    return (end - start).days + 1


def dso(
    receivables_end_cents: int, billed_in_period_cents: int, days_in_period: int
) -> Decimal | None:
    """DSO in days to one decimal, or ``None`` when nothing (net) was billed in the period."""
    if days_in_period <= 0:
        raise ValueError("days_in_period must be positive")
    if billed_in_period_cents <= 0:
        return None
    if receivables_end_cents <= 0:
        return Decimal("0.0")
    ratio = Decimal(receivables_end_cents) * days_in_period / Decimal(billed_in_period_cents)
    return ratio.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
