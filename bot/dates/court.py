"""Court days and FRCP 6 period counting: the arithmetic a docketing clerk does by hand.

Why this is its own module: a miscounted period is malpractice, so the counting rules live in
one small place with no parsing, no Slack and no database, and every result carries the words
that show how it was reached ("30 days after Thu 17 Dec 2026 = Sat 16 Jan 2027 -> Mon 18 Jan is
Martin Luther King Jr. Day -> Tue 19 Jan 2027").

Legal holidays come from the ``holidays`` package for the firm's ``CLERK_HOLIDAYS`` spec
("US", or "US-NY" for a country and subdivision) plus the firm's own closure days (presidential
closures under FRCP 6(a)(6)(B), a flooded courthouse). A subdivision's state holidays are treated
as legal holidays for periods counted in both directions: 6(a)(6)(C) only requires them for
periods counted forward, but skipping one when counting backward lands earlier, which can never
make a filing late.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import holidays

from bot.dates.format import WEEKDAY_NAMES, format_day, format_short
from bot.errors import InvalidInput

Direction = Literal["after", "before"]
RollDirection = Literal["forward", "backward"]


# Years Clerk will count in. Outside them the holiday tables are guesswork and date arithmetic
# can overflow; a lawyer never needs them.
FIRST_YEAR = 1900
LAST_YEAR = 2199
FIRM_CLOSURE = "a firm closure day"
MAIL_DAYS = 3  # FRCP 6(d)
_MAX_ROLL = 60  # no court is closed for two months; beyond this the calendar is wrong


def check_year(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(
            f"{day.year} is outside the years Clerk works with ({FIRST_YEAR}-{LAST_YEAR})."
        )


class CourtCalendar:
    """Which days a court is open: not a weekend, not a legal holiday, not a firm closure.

    Holiday tables are loaded lazily, one year at a time, and always the years either side of
    the day asked about: an observed holiday can fall in the neighbouring year (New Year's Day
    2028, a Saturday, is observed on Fri 31 Dec 2027 and appears only in the 2027 table).
    Instances are shared between request threads, hence the lock around the cache.
    """

    def __init__(
        self,
        holidays_spec: str = "US",
        closures: Iterable[date | tuple[date, str]] = (),
    ) -> None:
        country, _, subdiv = holidays_spec.strip().partition("-")
        self.spec = holidays_spec.strip()
        self._country = country.upper()
        self._subdiv = subdiv.upper() or None
        try:  # fail at start-up on a typo in CLERK_HOLIDAYS, not on the first deadline
            holidays.country_holidays(self._country, subdiv=self._subdiv)
        except NotImplementedError as exc:
            raise InvalidInput(
                f"Unknown holiday calendar '{holidays_spec}'. Use a country code such as 'US' "
                "or a country and subdivision such as 'US-NY'."
            ) from exc
        self._closures: dict[date, str] = {}
        for item in closures:
            if isinstance(item, tuple):
                day, name = item
                self._closures[day] = name or FIRM_CLOSURE
            else:
                self._closures[item] = FIRM_CLOSURE
        self._years: dict[int, dict[date, str]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CourtCalendar({self.spec!r}, closures={len(self._closures)})"

    def _table(self, year: int) -> dict[date, str]:
        with self._lock:
            table = self._years.get(year)
            if table is None:
                loaded = holidays.country_holidays(self._country, subdiv=self._subdiv, years=year)
                table = {day: str(name) for day, name in loaded.items()}
                self._years[year] = table
            return table

    def legal_holiday(self, day: date) -> str | None:
        """The legal holiday on ``day`` (observed days included), ignoring firm closures."""
        check_year(day)
        for year in (day.year - 1, day.year, day.year + 1):
            name = self._table(year).get(day)
            if name is not None:
                return name
        return None

    def holiday_name(self, day: date) -> str | None:
        """Legal holiday or firm closure name, or None on an ordinary day."""
        return self.legal_holiday(day) or self._closures.get(day)

    def is_court_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def why_closed(self, day: date) -> str | None:
        """'Sat 16 Jan 2027 is a Saturday' / '... is Christmas Day', or None on a court day."""
        if day.weekday() >= 5:
            return f"{format_day(day)} is a {WEEKDAY_NAMES[day.weekday()]}"
        name = self.holiday_name(day)
        return f"{format_day(day)} is {name}" if name else None

    def roll(self, day: date, direction: RollDirection) -> tuple[date, list[str]]:
        """The nearest court day on or after (or before) ``day``, and why each skipped day was.

        FRCP 6(a)(1)(C) runs a period that ends on a closed day to the next open one;
        6(a)(5) makes that "next" day run backward for periods counted before an event.
        """
        step = timedelta(days=1 if direction == "forward" else -1)
        reasons: list[str] = []
        for _ in range(_MAX_ROLL):
            reason = self.why_closed(day)
            if reason is None:
                return day, reasons
            reasons.append(reason)
            day += step
        raise InvalidInput(f"No court day within {_MAX_ROLL} days of {format_day(day)}.")

    def add_court_days(self, start: date, n: int) -> date:
        """Count ``n`` court days from ``start`` (excluded); negative ``n`` counts backward.

        ``n == 0`` returns ``start`` itself, open or not: there is nothing to count.
        """
        step = timedelta(days=1 if n >= 0 else -1)
        day = start
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_court_day(day):
                remaining -= 1
        return day

    def closed_between(self, first: date, last: date) -> list[date]:
        """Holidays and closures (not weekends) from ``first`` to ``last`` inclusive, in order."""
        low, high = min(first, last), max(first, last)
        days = []
        day = low
        while day <= high:
            if day.weekday() < 5 and self.holiday_name(day):
                days.append(day)
            day += timedelta(days=1)
        return days


@dataclass(frozen=True)
class Computation:
    """One counted period and the words that show the count, for the reply and the audit log."""

    start: date
    days: int
    direction: Direction
    court_days: bool
    by_mail: bool
    result: date
    explanation: str


def _landing_text(calendar: CourtCalendar, landed: date, result: date) -> str:
    """' = Sat 16 Jan 2027 -> Mon 18 Jan is Martin Luther King Jr. Day -> Tue 19 Jan 2027'.

    The first day is named in full; later skipped weekend days go unsaid (the weekday name
    already shows them) and later holidays are named, so the roll can be checked by eye.
    """
    if landed == result:
        return f" -> {format_day(result)}"
    first_name = calendar.holiday_name(landed) if landed.weekday() < 5 else None
    text = f" = {format_day(landed)}" + (f" is {first_name}" if first_name else "")
    step = timedelta(days=1 if result > landed else -1)
    day = landed + step
    while day != result:
        name = calendar.holiday_name(day) if day.weekday() < 5 else None
        if name:
            text += f" -> {format_short(day)} is {name}"
        day += step
    return text + f" -> {format_day(result)}"


def _unit(days: int, court_days: bool) -> str:
    noun = "court day" if court_days else "day"
    return noun if abs(days) == 1 else noun + "s"


def count_period(
    calendar: CourtCalendar,
    start: date,
    days: int,
    direction: Direction,
    *,
    court_days: bool = False,
    by_mail: bool = False,
) -> Computation:
    """Count a period under FRCP 6(a), and add 6(d)'s three mail days when served by mail.

    6(a)(1): exclude the trigger day, count every day, and if the last day is a Saturday,
    Sunday or legal holiday run on to the next day that is none of these (backward for a
    period counted before an event, 6(a)(5)). Court-day periods count only open days, so
    they end on one. 6(d): the three days are added after the period "would otherwise expire
    under Rule 6(a)", i.e. after the roll, and the new last day is rolled forward again.
    """
    if days < 0:
        raise InvalidInput("A period cannot be a negative number of days.")
    if direction not in ("after", "before"):
        raise ValueError(f"direction must be 'after' or 'before', not {direction!r}")
    if by_mail and direction != "after":
        raise InvalidInput(
            "FRCP 6(d)'s 3 extra days for service by mail apply only to periods counted "
            "after service, not before an event."
        )
    check_year(start)
    sign = 1 if direction == "after" else -1
    text = f"{days} {_unit(days, court_days)} {direction} {format_day(start)}"
    if court_days:
        result = calendar.add_court_days(start, sign * days)
        if days == 0:
            result, _ = calendar.roll(start, "forward" if sign > 0 else "backward")
        check_year(result)
        skipped = [d for d in calendar.closed_between(start, result) if d not in (start,)]
        text += f" -> {format_day(result)}"
        if skipped and days:
            named = ", ".join(f"{format_short(d)} {calendar.holiday_name(d)}" for d in skipped)
            text += f" (not counted: {named})"
    else:
        landed = start + timedelta(days=sign * days)
        check_year(landed)
        result, _ = calendar.roll(landed, "forward" if sign > 0 else "backward")
        text += _landing_text(calendar, landed, result)
    if by_mail:
        mailed = result + timedelta(days=MAIL_DAYS)
        check_year(mailed)
        result, _ = calendar.roll(mailed, "forward")
        text += f" + {MAIL_DAYS} days for service by mail (FRCP 6(d))"
        landing = _landing_text(calendar, mailed, result)
        text += landing if mailed != result else f" = {format_day(result)}"
    return Computation(
        start=start,
        days=days,
        direction=direction,
        court_days=court_days,
        by_mail=by_mail,
        result=result,
        explanation=text,
    )
