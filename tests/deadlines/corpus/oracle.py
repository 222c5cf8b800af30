"""The expected due date of a deadline phrase, computed from the rule text alone.

Why a second implementation: the corpus measures Clerk's date engine, so the answers must
not come from it. Everything here follows the written rules:

- FRCP 6(a)(1): exclude the trigger day, count every calendar day; if the last day is a
  Saturday, Sunday or legal holiday, the period runs to the next day that is none of these.
  Counting backward (``before``) rolls backward instead (6(a)(5)).
- Court or business days count only days that are not weekends or legal holidays.
- Weeks are 7 calendar days each.
- FRCP 6(d), service by mail: 3 days are added after the 6(a) period ends, then rolled again.
- Legal holidays are ``holidays.US`` with observed days; an observed day can fall in the
  neighbouring year (New Year's Day 2028 is observed on Fri 31 Dec 2027), so each year's
  table is built from the years around it.
- A date in the past is never stored silently: its expectation is "ask".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import holidays

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)  # a Monday
TODAY = NOW.date()
MAIL_DAYS = 3
# More days than this is not a period anyone counts; a phrase with more must be asked about.
ABSURD_COUNT = 10_000


class Unit(StrEnum):
    DAY = "day"
    WEEK = "week"
    COURT_DAY = "court_day"


class Direction(StrEnum):
    AFTER = "after"
    BEFORE = "before"


@dataclass(frozen=True)
class Period:
    """``count unit direction`` of a trigger, e.g. 21 days after, 3 court days before."""

    count: int
    unit: Unit
    direction: Direction
    by_mail: bool = False


@dataclass(frozen=True)
class Expected:
    """What a right answer is: a day (and time), or ``day is None`` meaning ask or refuse."""

    day: date | None
    at: time | None = None
    why: str = ""
    # When asking is required only because the answer is past: the day the rules give, which a
    # "store it anyway?" question may rightly offer.
    computed: date | None = None

    @property
    def must_ask(self) -> bool:
        return self.day is None

    def __str__(self) -> str:
        if self.day is None:
            past = f", rules give {self.computed:%a %d %b %Y}" if self.computed else ""
            return f"ASK ({self.why}{past})"
        when = f" {self.at:%H:%M}" if self.at else ""
        return f"{self.day:%a %d %b %Y}{when}"


def ask(why: str, computed: date | None = None) -> Expected:
    """No single answer is right (or the right one is past): Clerk must ask or refuse."""
    return Expected(day=None, why=why, computed=computed)


@cache
def _holidays_of(year: int) -> frozenset[date]:
    """Legal holidays dated in ``year``, from a table of the years around it (observed days
    of a neighbouring year's holiday land here too)."""
    table = holidays.US(years=range(year - 1, year + 2))
    return frozenset(day for day in table if day.year == year)


def is_holiday(day: date) -> bool:
    return day in _holidays_of(day.year)


def is_closed(day: date) -> bool:
    """A Saturday, Sunday or legal holiday: the court's clerk's office is not open."""
    return day.weekday() >= 5 or is_holiday(day)


def roll(day: date, step: int) -> date:
    """Move ``day`` by ``step`` (+1 forward, -1 backward) until it is an open day."""
    while is_closed(day):
        day += timedelta(days=step)
    return day


def count_period(trigger: date, period: Period) -> date:
    """The last day of ``period`` counted from ``trigger`` (FRCP 6(a), 6(d))."""
    if period.count < 1:
        raise ValueError("a period counts at least one day")
    step = 1 if period.direction is Direction.AFTER else -1
    if period.by_mail and period.direction is Direction.BEFORE:
        raise ValueError("the 3 mail days extend a period after service, never one before")
    if period.unit is Unit.COURT_DAY:
        day, left = trigger, period.count
        while left:
            day += timedelta(days=step)
            if not is_closed(day):
                left -= 1
    else:
        days = period.count * (7 if period.unit is Unit.WEEK else 1)
        day = roll(trigger + timedelta(days=step * days), step)
    if period.by_mail:
        day = roll(day + timedelta(days=MAIL_DAYS), 1)
    return day


def next_on_or_after(month: int, day: int, today: date = TODAY) -> date:
    """A yearless plain date: the first one on or after today (things to come)."""
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)


def nearest(month: int, day: int, today: date = TODAY) -> date:
    """A yearless trigger ("21 days after Dec 1"): the occurrence closest to today."""
    options = [date(today.year + k, month, day) for k in (-1, 0, 1)]
    return min(options, key=lambda d: abs((d - today).days))


def expect_plain(day: date, at: time | None = None) -> Expected:
    """A date with no period is the date itself, unless it has already passed."""
    if day < TODAY:
        return ask("a past date", day)
    if at is not None and datetime.combine(day, at, tzinfo=ZONE) < NOW:
        return ask("a time already past", day)
    return Expected(day=day, at=at)


def expect_rule(trigger: date, period: Period) -> Expected:
    """A counted period: the computed day, or ask when the count or the result cannot stand."""
    if period.count < 1:
        return ask("a count below one")
    if period.count > ABSURD_COUNT:
        return ask("an absurd count")
    due = count_period(trigger, period)
    if due < TODAY:
        return ask("the computed date is past", due)
    return Expected(day=due)
