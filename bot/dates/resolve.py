"""Turning the parts of a recognised phrase into one calendar day, or refusing.

Everything here is plain calendar arithmetic with the rules Clerk documents to lawyers:

- A month and day without a year ("Oct 3") is the next one on or after today when the date is
  of something to come (``prefer="future"``), the last one on or before today for something
  that happened (``"past"``), and the closest one for the trigger date inside a rule phrase
  ("21 days after Dec 1" typed on 15 Dec means 1 Dec just gone; ``"nearest"``).
- "Feb 29" is refused when the year it falls in is not a leap year; a leap year is never
  sought on the user's behalf.
- A weekday without a modifier means the first such day after today (or the last before today
  for past events). If today is that weekday, today is offered as an alternative reading.
  "next Friday" is the first Friday after today (dateparser's reading, kept because it is the
  common one), "this Friday" the first on or after today, "last Friday" the last before today;
  "Friday next week" / "下周五" / "el viernes de la semana que viene" is the Friday of the
  following Monday-to-Sunday week.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.dates.court import FIRST_YEAR, LAST_YEAR, Computation, CourtCalendar
from bot.dates.format import MONTH_ABBR, WEEKDAY_NAMES, format_day
from bot.dates.languages import LAST, LAST_WEEK, NEXT, NEXT_WEEK, PLAIN, THIS, THIS_WEEK
from bot.errors import InvalidInput

Prefer = Literal["future", "past", "nearest"]


class NotUnderstood(InvalidInput):
    """No pattern and no checked dateparser reading covers the phrase."""


class Refusal(InvalidInput):
    """The phrase was recognised as a date but cannot be used as one (Feb 30, a DST gap...).

    Distinct from "not understood" so that ``split_trailing`` stops at it instead of trying a
    shorter phrase that would silently drop the part that was wrong.
    """


class UnreadTrigger(Refusal):
    """A counted period whose trigger is not a date: "30 days before trial, Jun 1".

    Apart from other refusals because the period may have started inside the title
    ("答辩状 2027年12月1日后21天" tried from its first character): ``split_trailing`` tries a
    shorter phrase after it, and the words it leaves in the title are then asked about.
    """


@dataclass(frozen=True)
class Context:
    today: date
    prefer: Prefer
    date_order: str | None
    calendar: CourtCalendar


@dataclass(frozen=True)
class Reading:
    """What the grammar made of a phrase (before any time of day is joined to it)."""

    day: date
    literal: bool = True  # the phrase spells the date; else the explanation echoes the phrase
    note: str | None = None
    computation: Computation | None = None
    alternatives: tuple[date, ...] = ()
    # How each alternative was reached, when it was counted ("19 days after ..."), so the
    # reading the user picks is stored with its own computation, not the first one's.
    alternative_explanations: tuple[str, ...] = ()


def month_name(month: int) -> str:
    return MONTH_ABBR[month - 1]


def build(year: int, month: int, day: int) -> date:
    """A real date or a refusal that says which part is wrong."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Refusal(f"{year} is outside the years Clerk works with ({FIRST_YEAR}-{LAST_YEAR}).")
    if not 1 <= month <= 12:
        raise Refusal(f"There is no month {month}.")
    last = month_calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if month == 2 and day == 29:
            raise Refusal(
                f"There is no 29 Feb {year}: {year} is not a leap year. "
                f"Did you mean Feb 28 {year} or Mar 1 {year}?"
            )
        if day > 29 or month != 2:
            raise Refusal(f"There is no {day} {month_name(month)}.")
        raise Refusal(f"There is no {day} {month_name(month)} {year}.")
    return date(year, month, day)


def expand_year(text: str, today: date) -> int:
    """'2027' -> 2027; "'27" or '27' -> 2027 (or 19xx when that would be over 50 years ahead)."""
    digits = text.lstrip("'’")
    if len(digits) == 4:
        return int(digits)
    year = 2000 + int(digits)
    return year if year <= today.year + 50 else year - 100


def pick_year(month: int, day: int, ctx: Context) -> date:
    """The year of a month and day given without one (see the module docstring)."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise Refusal(f"There is no {day} {month_name(month) if 1 <= month <= 12 else month}.")
    if day > max(month_calendar.monthrange(y, month)[1] for y in (2027, 2028)):
        raise Refusal(f"There is no {day} {month_name(month)}.")
    today = ctx.today
    here = (today.month, today.day)
    if ctx.prefer == "future":
        year = today.year if (month, day) >= here else today.year + 1
    elif ctx.prefer == "past":
        year = today.year if (month, day) <= here else today.year - 1
    else:
        candidates = []
        for y in (today.year - 1, today.year, today.year + 1):
            clamped = min(day, month_calendar.monthrange(y, month)[1])
            candidates.append((abs((date(y, month, clamped) - today).days), -y, y))
        year = min(candidates)[2]
    return build(year, month, day)


def add_months(day: date, months: int, phrase: str) -> date:
    """Same day of the month ``months`` later; refused when that day does not exist."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if day.day > month_calendar.monthrange(year, month)[1]:
        raise Refusal(
            f"'{phrase}' from {format_day(day)} would be {day.day} {month_name(month)} {year}, "
            "which does not exist. Give the date itself."
        )
    return build(year, month, day.day)


def month_end(today: date, months_ahead: int) -> date:
    index = today.year * 12 + today.month - 1 + months_ahead
    year, month = divmod(index, 12)
    return build(year, month + 1, month_calendar.monthrange(year, month + 1)[1])


def month_end_of(month: int, ctx: Context) -> date:
    """The last day of a named month ("end of February", "3月底"), by the year rule above."""
    if not 1 <= month <= 12:
        raise Refusal(f"There is no month {month}.")
    today = ctx.today
    ends = [month_end(date(y, month, 1), 0) for y in (today.year - 1, today.year, today.year + 1)]
    if ctx.prefer == "future":
        return min(e for e in ends if e >= today)
    if ctx.prefer == "past":
        return max(e for e in ends if e <= today)
    return min(ends, key=lambda e: abs((e - today).days))


def check_weekday(day: date, weekday: int | None) -> None:
    """'Friday Dec 3 2026' when Dec 3 is a Thursday is a typo somewhere: refuse, don't pick."""
    if weekday is not None and day.weekday() != weekday:
        raise Refusal(
            f"{format_day(day)} is a {WEEKDAY_NAMES[day.weekday()]}, not a "
            f"{WEEKDAY_NAMES[weekday]}. Check the date."
        )


def resolve_weekday(weekday: int, kind: str, ctx: Context) -> Reading:
    """The day a weekday phrase means; see the module docstring for each modifier."""
    today = ctx.today
    name = WEEKDAY_NAMES[weekday]
    ahead = (weekday - today.weekday()) % 7
    behind = (today.weekday() - weekday) % 7
    after = today + timedelta(days=ahead or 7)
    before = today - timedelta(days=behind or 7)
    monday = today - timedelta(days=today.weekday())
    same = ahead == 0
    if kind in (PLAIN, THIS) and ctx.prefer == "nearest":
        day = today if same else (after if ahead <= behind else before)
        return Reading(day, literal=False, note=f"the {name} nearest today")
    if kind == PLAIN:
        if ctx.prefer == "past":
            alternatives = (today,) if same else ()
            return Reading(before, False, f"the last {name} before today", None, alternatives)
        alternatives = (today,) if same else ()
        return Reading(after, False, f"the first {name} after today", None, alternatives)
    if kind == THIS:
        if ctx.prefer == "past":
            return Reading(today - timedelta(days=behind), False, f"the {name} of this week")
        return Reading(today + timedelta(days=ahead), False, f"the coming {name}")
    if kind == NEXT:
        return Reading(after, False, f"the first {name} after today")
    if kind == LAST:
        return Reading(before, False, f"the last {name} before today")
    offset = {THIS_WEEK: 0, NEXT_WEEK: 7, LAST_WEEK: -7}[kind]
    week = {THIS_WEEK: "this", NEXT_WEEK: "next", LAST_WEEK: "last"}[kind]
    return Reading(
        monday + timedelta(days=offset + weekday),
        False,
        f"{name} of {week} week; weeks start on Monday",
    )


def numeric_readings(
    first: int, second: int, year: str | None, ctx: Context, weekday: int | None = None
) -> Reading:
    """'3/4' or '03/04/2027': month first unless the firm set day first.

    With no firm ``DATE_ORDER`` the default is month first, but when the day-first reading is
    also a real, different date it is returned as an alternative so the caller asks. A weekday
    typed with it ("Sat 3/4") keeps only the readings that fall on that weekday.
    """
    order = ctx.date_order
    month_first = order is None or order.upper().index("M") < order.upper().index("D")
    tries = [(first, second), (second, first)] if month_first else [(second, first)]
    if order is not None:
        tries = tries[:1]
    readings: list[date] = []
    problems: list[Refusal] = []
    for month, day in tries:
        try:
            if year is None:
                readings.append(pick_year(month, day, ctx))
            else:
                readings.append(build(expand_year(year, ctx.today), month, day))
        except Refusal as problem:
            problems.append(problem)
    if not readings:
        raise problems[0]
    note = None
    if weekday is not None:
        matching = [d for d in readings if d.weekday() == weekday]
        if not matching:
            check_weekday(readings[0], weekday)
        if matching[0] != readings[0]:
            note = f"read day first, the order that falls on a {WEEKDAY_NAMES[weekday]}"
        readings = matching
    primary = readings[0]
    others = tuple(d for d in readings[1:] if d != primary)
    if others:
        note = f"read month first; day first it would be {format_day(others[0])}"
    return Reading(primary, literal=True, note=note, alternatives=others)
