"""The firm's KPIs for a week or a month: what the weekly and monthly reports say.

A period is a closed range of firm-local days: "week" is the Monday-Sunday before the run day,
"month" the calendar month before it (reports go out Monday 07:30 and on the
1st at 07:30, about the period that just ended). Times stored in UTC (contacts, new clients,
completions) are compared against the period's firm-local midnights, so a DST week still
covers exactly its seven local days.

Every figure is one set-based statement (a GROUP BY, never a query per client or lawyer). The
money figures reuse the money domain: collections, billing and receivables come from
``bot.billing.totals`` (write-offs too: what was given up and how many invoices, by the firm
day each was written off), aging edges and overdue from ``bot.money.aging`` and DSO from
``bot.money.dso``. Aging is computed *as of the period end* (payments received by then), so
a report re-run later says the same thing and "overdue change" compares like with like.
Money figures are in the firm's home currency; other currencies are named, never converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.billing.totals import (
    billed_between,
    collections_between,
    owed_at,
    receivables_as_of,
    written_off_between,
)
from bot.dates.format import format_day, format_short
from bot.dates.times import local_days
from bot.money.aging import Bucket, OpenItem, age
from bot.money.dso import dso, period_days
from storage.models import (
    Client,
    Contact,
    Deadline,
    DeadlineStatus,
    Matter,
    User,
)

PeriodKind = Literal["week", "month"]


@dataclass(frozen=True)
class Period:
    """A report period: firm-local days ``start`` to ``end``, both included."""

    kind: PeriodKind
    start: date
    end: date

    @property
    def key(self) -> str:
        """The outbox key part: the week's Monday, or the month as YYYY-MM."""
        return f"{self.start:%Y-%m}" if self.kind == "month" else self.start.isoformat()

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"week of {format_short(self.start)} – {format_day(self.end)}"

    def previous(self) -> Period:
        return ended_before(self.kind, self.start)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """UTC [from, to) of the period's local days: local midnight to local midnight."""
        return local_days(self.start, self.end, zone)


def ended_before(kind: PeriodKind, day: date) -> Period:
    """The last full week (Mon-Sun) or calendar month that ended before ``day``."""
    if kind == "week":
        end = day - timedelta(days=day.weekday() + 1)
        return Period("week", end - timedelta(days=6), end)
    end = day.replace(day=1) - timedelta(days=1)
    return Period("month", end.replace(day=1), end)


@dataclass(frozen=True)
class LawyerContacts:
    slack_id: str
    name: str
    contacts: int


@dataclass(frozen=True)
class Kpis:
    """The report's numbers; money in integer cents of ``currency``."""

    period: Period
    currency: str
    contacts_by_lawyer: tuple[LawyerContacts, ...]  # most contacts first
    deadlines_on_time: int
    deadlines_missed: int
    new_clients: int
    new_matters: int
    collected_cents: int
    overdue_cents: int  # at the end of the period
    overdue_previous_cents: int  # at the end of the period before
    aging: tuple[tuple[str, int], ...]  # (bucket label, cents) in bucket order, at period end
    dso_days: Decimal | None  # None: nothing billed in the period
    other_currencies: tuple[str, ...] = ()
    written_off_cents: int = 0  # invoices written off in the period: what was given up
    written_off_count: int = 0  # and how many invoices

    @property
    def contacts_total(self) -> int:
        return sum(row.contacts for row in self.contacts_by_lawyer)

    @property
    def overdue_change_cents(self) -> int:
        return self.overdue_cents - self.overdue_previous_cents


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _contacts(session: Session, begin: datetime, finish: datetime) -> tuple[LawyerContacts, ...]:
    count = func.count(Contact.id)
    rows = session.execute(
        select(User.slack_id, User.real_name, User.name, count)
        .join(User, User.id == Contact.logged_by_id)
        .where(Contact.occurred_at >= begin, Contact.occurred_at < finish)
        .group_by(User.slack_id, User.real_name, User.name)
    )
    found = [LawyerContacts(s, real or name or s, int(n)) for s, real, name, n in rows]
    return tuple(sorted(found, key=lambda row: (-row.contacts, row.name, row.slack_id)))


def _deadlines(session: Session, period: Period, zone: tzinfo) -> tuple[int, int]:
    """(completed on time, missed) of the deadlines due in the period.

    On time: marked done no later than the due day (or the due time, when it has one), in
    the firm's time zone. Missed: done late, or still open now that the period is over.
    Cancelled deadlines and rule-chain triggers (dates that start a chain, not work) count
    as neither. One query; the comparison of a UTC completion with a local due day is done
    here so it is the same on SQLite and PostgreSQL.
    """
    rows = session.execute(
        select(Deadline.status, Deadline.due_on, Deadline.due_at, Deadline.completed_at).where(
            Deadline.is_trigger.is_(False),
            Deadline.status != DeadlineStatus.CANCELLED,
            Deadline.due_on >= period.start,
            Deadline.due_on <= period.end,
        )
    )
    on_time = missed = 0
    for status, due_on, due_at, completed_at in rows:
        met = met_in_time(status, due_on, due_at, completed_at, zone)
        on_time += met
        missed += not met
    return on_time, missed


def met_in_time(
    status: DeadlineStatus,
    due_on: date,
    due_at: datetime | None,
    completed_at: datetime | None,
    zone: tzinfo,
) -> bool:
    """Whether a deadline due in a period that is over counts as met: done by its due day
    (its due time, when it has one) in the firm's zone. The one rule, for the weekly and
    monthly reports and the yearly one (``bot.reports.year``)."""
    if status != DeadlineStatus.DONE:
        return False
    if completed_at is None:
        return True  # done before completion times were recorded: give the benefit
    done = _aware(completed_at)
    return not (done > _aware(due_at) if due_at else done.astimezone(zone).date() > due_on)


def _aging_at(session: Session, as_of: date, currency: str) -> tuple[dict[Bucket, int], int]:
    """Aging buckets and overdue total of ``currency`` at the end of ``as_of``.

    Invoices issued by then, less payments received by then, grouped by due day in one
    query; each group is aged by ``bot.money.aging`` so the edges are the ones ``/balance``
    uses.
    """
    owed = owed_at(as_of)
    rows = session.execute(
        select(owed.c.due_on, func.sum(owed.c.owed))
        .where(owed.c.currency == currency)
        .group_by(owed.c.due_on)
    )
    items = [
        OpenItem(f"due {due_on}", due_on, int(cents), currency=currency)
        for due_on, cents in rows
        if cents
    ]
    report = age(items, as_of)
    return report.buckets, report.overdue_cents


def compute(session: Session, period: Period, *, zone: tzinfo, currency: str) -> Kpis:
    """Every KPI of ``period`` (a handful of aggregate statements in all)."""
    begin, finish = period.bounds(zone)
    on_time, missed = _deadlines(session, period, zone)
    new_clients = session.scalar(
        select(func.count(Client.id)).where(Client.created_at >= begin, Client.created_at < finish)
    )
    new_matters = session.scalar(
        select(func.count(Matter.id)).where(
            Matter.opened_on >= period.start, Matter.opened_on <= period.end
        )
    )
    collected = collections_between(session, period.start, period.end)
    billed = billed_between(session, period.start, period.end)
    written_off = written_off_between(session, period.start, period.end)
    receivable = receivables_as_of(session, period.end)
    buckets, overdue = _aging_at(session, period.end, currency)
    _, overdue_before = _aging_at(session, period.previous().end, currency)
    others = (set(collected) | set(billed) | set(receivable) | set(written_off)) - {currency}
    given_up, written_off_count = written_off.get(currency, (0, 0))
    return Kpis(
        period=period,
        currency=currency,
        contacts_by_lawyer=_contacts(session, begin, finish),
        deadlines_on_time=on_time,
        deadlines_missed=missed,
        new_clients=int(new_clients or 0),
        new_matters=int(new_matters or 0),
        collected_cents=collected.get(currency, 0),
        overdue_cents=overdue,
        overdue_previous_cents=overdue_before,
        aging=tuple((bucket.label, buckets[bucket]) for bucket in Bucket),
        dso_days=dso(
            receivable.get(currency, 0),
            billed.get(currency, 0),
            period_days(period.start, period.end),
        ),
        other_currencies=tuple(sorted(others)),
        written_off_cents=given_up,
        written_off_count=written_off_count,
    )
