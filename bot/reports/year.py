"""The firm's KPIs for the last twelve months, month by month: ``/clerk report year``.

The same figures as the monthly report (``bot.reports.kpis``), for each of the twelve
calendar months that ended before the run day, with the same rules: the months are
firm-local days, contacts and new clients are counted between the months' local midnights,
a deadline is met by the one rule (``kpis.met_in_time``), money is in the home currency
and other currencies are named, never converted. So any month of the year report says what
that month's monthly report said.

Counted figures are one statement each for the whole year, grouped by month: a CASE over the
twelve months' bounds is the month (the bounds are worked out here, in the firm's zone, so
the grouping is the same on SQLite and PostgreSQL and a DST month keeps its own hours).
Deadlines are one read of the year's rows, each judged here as the monthly report judges it.
What clients owed at each month end (aging, overdue, DSO) is a position at a day, not a sum
over the month: it is one aggregate per month end (``bot.billing.totals.owed_at``, driven by
the unpaid invoices and the payments received since), thirteen in all with the month before
the year, for the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.billing.totals import owed_at
from bot.money.aging import Bucket, OpenItem, age
from bot.money.dso import dso, period_days
from bot.reports.kpis import Period, ended_before, met_in_time
from storage.models import (
    Client,
    Contact,
    Deadline,
    DeadlineStatus,
    Invoice,
    InvoiceStatus,
    Matter,
    Payment,
    PaymentStatus,
)

MONTHS = 12


@dataclass(frozen=True)
class MonthKpis:
    """One month's figures; money in integer cents of the year's currency."""

    period: Period
    contacts: int = 0
    on_time: int = 0
    missed: int = 0
    new_clients: int = 0
    new_matters: int = 0
    collected_cents: int = 0
    billed_cents: int = 0
    written_off_cents: int = 0
    written_off_count: int = 0
    overdue_cents: int = 0  # at the month's end
    dso_days: Decimal | None = None


@dataclass(frozen=True)
class YearKpis:
    currency: str
    months: tuple[MonthKpis, ...]  # oldest first
    overdue_before_cents: int  # at the end of the month before the first
    aging: tuple[tuple[str, int], ...]  # at the year's end, in bucket order
    dso_days: Decimal | None  # the year's: receivables at its end over a year's billing
    other_currencies: tuple[str, ...] = field(default=())

    @property
    def start(self) -> date:
        return self.months[0].period.start

    @property
    def end(self) -> date:
        return self.months[-1].period.end

    def total(self, name: str) -> int:
        """A counted figure summed over the year (``contacts``, ``collected_cents``...)."""
        return sum(int(getattr(month, name)) for month in self.months)

    @property
    def overdue_cents(self) -> int:
        return self.months[-1].overdue_cents

    @property
    def overdue_change_cents(self) -> int:
        return self.overdue_cents - self.overdue_before_cents


def last_twelve_months(today: date) -> list[Period]:
    """The twelve calendar months that ended before ``today``, oldest first."""
    months = [ended_before("month", today)]
    while len(months) < MONTHS:
        months.append(months[-1].previous())
    return months[::-1]


def _month_of(column: Any, edges: Sequence[Any]) -> Any:
    """CASE: the index of the month whose [edge, next edge) holds ``column`` (the caller
    keeps rows inside the year)."""
    return case(*((column < edges[i + 1], i) for i in range(len(edges) - 1)), else_=None)


def _counts(session: Session, column: Any, edges: Sequence[Any], *where: Any) -> dict[int, int]:
    """Rows by month: ``count(*) ... GROUP BY`` the month of ``column``."""
    month = _month_of(column, edges)
    rows = session.execute(
        select(month, func.count())
        .where(column >= edges[0], column < edges[-1], *where)
        .group_by(month)
    )
    return {int(index): int(n) for index, n in rows if index is not None}


def _sums(
    session: Session, column: Any, edges: Sequence[Any], amount: Any, currency: Any, *where: Any
) -> dict[tuple[int, str], tuple[int, int]]:
    """(month, currency) -> (cents, rows): ``sum(amount), count(*) ... GROUP BY`` both."""
    month = _month_of(column, edges)
    rows = session.execute(
        select(month, currency, func.sum(amount), func.count())
        .where(column >= edges[0], column < edges[-1], *where)
        .group_by(month, currency)
    )
    return {
        (int(index), str(cur)): (int(cents or 0), int(n))
        for index, cur, cents, n in rows
        if index is not None
    }


def _deadlines(
    session: Session, months: Sequence[Period], zone: tzinfo
) -> tuple[dict[int, int], dict[int, int]]:
    """(met, missed) by month of the deadlines due in the year: one read of the year's."""
    index = {(p.start.year, p.start.month): i for i, p in enumerate(months)}
    rows = session.execute(
        select(Deadline.status, Deadline.due_on, Deadline.due_at, Deadline.completed_at).where(
            Deadline.is_trigger.is_(False),
            Deadline.status != DeadlineStatus.CANCELLED,
            Deadline.due_on >= months[0].start,
            Deadline.due_on <= months[-1].end,
        )
    )
    met: dict[int, int] = {}
    missed: dict[int, int] = {}
    for status, due_on, due_at, completed_at in rows:
        i = index[(due_on.year, due_on.month)]
        into = met if met_in_time(status, due_on, due_at, completed_at, zone) else missed
        into[i] = into.get(i, 0) + 1
    return met, missed


@dataclass(frozen=True)
class _Position:
    """What clients owed at the end of a day: gross receivables by currency, and the home
    currency's aging."""

    receivable: dict[str, int]
    buckets: dict[Bucket, int]
    overdue_cents: int


def _position(session: Session, as_of: date, currency: str) -> _Position:
    """One aggregate: what each due day's invoices owed at the end of ``as_of``, by currency,
    aged by ``bot.money.aging`` (the edges ``/balance`` and the monthly report use)."""
    owed = owed_at(as_of)
    rows = session.execute(
        select(owed.c.currency, owed.c.due_on, func.sum(owed.c.owed)).group_by(
            owed.c.currency, owed.c.due_on
        )
    ).all()
    receivable: dict[str, int] = {}
    items = []
    for cur, due_on, cents in rows:
        if not cents:
            continue
        receivable[cur] = receivable.get(cur, 0) + int(cents)
        if cur == currency:
            items.append(OpenItem(f"due {due_on}", due_on, int(cents), currency=currency))
    report = age(items, as_of)
    return _Position(receivable, report.buckets, report.overdue_cents)


def compute_year(session: Session, today: date, *, zone: tzinfo, currency: str) -> YearKpis:
    """Every month's KPIs of the twelve months before ``today``'s month."""
    months = last_twelve_months(today)
    instants: list[datetime] = [months[0].bounds(zone)[0]] + [p.bounds(zone)[1] for p in months]
    days: list[date] = [p.start for p in months] + [months[-1].end + timedelta(days=1)]
    contacts = _counts(session, Contact.occurred_at, instants)
    clients = _counts(session, Client.created_at, instants)
    matters = _counts(session, Matter.opened_on, days)
    met, missed = _deadlines(session, months, zone)
    collected = _sums(
        session,
        Payment.received_on,
        days,
        Payment.amount_cents,
        Payment.currency,
        Payment.status == PaymentStatus.RECEIVED,
        Payment.is_trust.is_(False),
    )
    billed = _sums(
        session,
        Invoice.issued_on,
        days,
        Invoice.amount_cents,
        Invoice.currency,
        Invoice.status != InvoiceStatus.VOID,
    )
    written_off = _sums(
        session,
        Invoice.written_off_on,
        days,
        Invoice.written_off_cents,
        Invoice.currency,
        Invoice.status == InvoiceStatus.WRITTEN_OFF,
    )
    before = _position(session, months[0].previous().end, currency)
    positions = [_position(session, p.end, currency) for p in months]
    found = []
    for i, period in enumerate(months):
        billed_cents = billed.get((i, currency), (0, 0))[0]
        given_up, given_up_count = written_off.get((i, currency), (0, 0))
        found.append(
            MonthKpis(
                period=period,
                contacts=contacts.get(i, 0),
                on_time=met.get(i, 0),
                missed=missed.get(i, 0),
                new_clients=clients.get(i, 0),
                new_matters=matters.get(i, 0),
                collected_cents=collected.get((i, currency), (0, 0))[0],
                billed_cents=billed_cents,
                written_off_cents=given_up,
                written_off_count=given_up_count,
                overdue_cents=positions[i].overdue_cents,
                dso_days=dso(
                    positions[i].receivable.get(currency, 0),
                    billed_cents,
                    period_days(period.start, period.end),
                ),
            )
        )
    others = {cur for _i, cur in (*collected, *billed, *written_off)}
    others |= {cur for position in positions for cur in position.receivable}
    end = positions[-1]
    return YearKpis(
        currency=currency,
        months=tuple(found),
        overdue_before_cents=before.overdue_cents,
        aging=tuple((bucket.label, end.buckets[bucket]) for bucket in Bucket),
        dso_days=dso(
            end.receivable.get(currency, 0),
            sum(month.billed_cents for month in found),
            period_days(months[0].start, months[-1].end),
        ),
        other_currencies=tuple(sorted(others - {currency})),
    )
