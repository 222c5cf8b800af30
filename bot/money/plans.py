"""Payment plans: installment schedules, and how far a client is behind on one.

``/payment plan CLIENT AMOUNT every (week|month) from DATE [x N]``: AMOUNT is the installment,
the total is what the plan covers (usually the client's outstanding balance).

Decisions:

* Every installment is ``installment_cents`` except the last, which takes the remainder, so
  the schedule always sums to the total exactly and no installment is ever larger than agreed.
* Monthly dates keep the anchor day and clamp to the month's end: a plan from Jan 31 falls on
  Feb 28 (29 in a leap year), Mar 31, Apr 30. Each date is computed from the start date
  (start + i months), never by adding a month to the previous date, which would drift to the
  28th forever after February.
* ``x N`` is a check, not a second source of truth: N must be exactly the number of
  installments the total needs. Fewer would leave part of the debt outside the plan, more
  would create empty installments; either way the typed plan is not what the person thinks,
  so Clerk refuses and says what N would be.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.errors import InvalidInput
from bot.money.amounts import Money

MAX_INSTALLMENTS = 520  # ten years of weekly payments; more is a typo in the amount


@dataclass(frozen=True)
class Installment:
    number: int  # 1-based
    due_on: date
    amount_cents: int


def add_months(anchor: date, months: int) -> date:
    """``anchor`` moved by ``months`` calendar months, clamped to the end of a short month."""
    index = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise InvalidInput(f"A plan date {months} months from {anchor.isoformat()} is impossible.")
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(anchor.day, last_day))


def _due_date(start: date, every: Literal["week", "month"], i: int) -> date:
    if every == "month":
        return add_months(start, i)
    try:
        return start + timedelta(weeks=i)
    except OverflowError:
        raise InvalidInput(
            f"A plan date {i} weeks from {start.isoformat()} is impossible."
        ) from None


def _shown(cents: int, currency: str | None) -> str:
    if currency is None:  # plans are plain cents; without a currency show bare figures
        units, rem = divmod(cents, 100)
        return f"{units:,}.{rem:02d}"
    return Money(cents, currency).format()


def schedule(
    total_cents: int,
    installment_cents: int,
    every: Literal["week", "month"],
    start: date,
    count: int | None = None,
    *,
    currency: str | None = None,
) -> list[Installment]:
    """Installments from ``start`` every week or month until ``total_cents`` is covered.

    ``currency`` is only used to write amounts in refusals ("$300.00" rather than "300.00").
    """
    for name, value in (("total_cents", total_cents), ("installment_cents", installment_cents)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be int cents, got {value!r}")
    if every not in ("week", "month"):
        raise InvalidInput(f'A plan runs every "week" or every "month", not "{every}".')
    if total_cents <= 0:
        raise InvalidInput("There is nothing to put on a plan: the amount owed is not above zero.")
    if installment_cents <= 0:
        raise InvalidInput("Each installment must be more than zero.")
    needed = -(-total_cents // installment_cents)  # ceiling division on ints
    owed, each = _shown(total_cents, currency), _shown(installment_cents, currency)
    if count is not None:
        if count <= 0:
            raise InvalidInput(f"A plan needs at least one installment, not x {count}.")
        if count * installment_cents < total_cents:
            raise InvalidInput(
                f"{count} installments of {each} make "
                f"{_shown(count * installment_cents, currency)}, which does not cover the "
                f"{owed} owed. It takes {needed} installments "
                f"(x {needed}), or installments of at least "
                f"{_shown(-(-total_cents // count), currency)} for x {count}."
            )
        if count > needed:
            raise InvalidInput(
                f"{owed} in installments of {each} takes "
                f"{needed} installments, not {count}; the last {count - needed} would be empty. "
                f"Use x {needed}, or a smaller installment."
            )
    if needed > MAX_INSTALLMENTS:
        raise InvalidInput(
            f"{owed} in installments of {each} would take "
            f"{needed} installments; Clerk allows at most {MAX_INSTALLMENTS}. "
            "Check the installment amount."
        )
    plan: list[Installment] = []
    for i in range(needed):
        amount = installment_cents if i < needed - 1 else total_cents - installment_cents * i
        plan.append(Installment(i + 1, _due_date(start, every, i), amount))
    return plan


@dataclass(frozen=True)
class PlanStatus:
    paid_in_full: bool
    next_due: Installment | None  # first installment not fully covered by payments
    behind_cents: int  # due before as_of and not paid
    late_installments: tuple[int, ...]  # numbers of installments past due and not covered


def plan_status(installments: Sequence[Installment], paid_cents: int, as_of: date) -> PlanStatus:
    """Apply what was paid towards the plan to installments in order.

    An installment is late from the day after its due date, like an invoice (due today is
    not late). Payments are cumulative: paying ahead covers later installments.
    """
    covered = paid_cents
    next_due: Installment | None = None
    late: list[int] = []
    behind = 0
    for inst in sorted(installments, key=lambda i: i.number):
        unpaid = max(0, inst.amount_cents - max(covered, 0))
        covered -= inst.amount_cents
        if unpaid == 0:
            continue
        if next_due is None:
            next_due = inst
        if inst.due_on < as_of:
            late.append(inst.number)
            behind += unpaid
    return PlanStatus(next_due is None, next_due, behind, tuple(late))
