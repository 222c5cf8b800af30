"""Court calendar and FRCP 6 counting against hand-checked dates.

Every expected date here was counted by hand on a printed calendar; they are literals on
purpose (computing them with the code under test would only prove it agrees with itself).
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates.court import CourtCalendar, count_period
from bot.dates.format import format_day
from bot.errors import InvalidInput

D = date

# Every US federal holiday of 2026-2028 with its observed day, as the `holidays` package and
# 5 U.S.C. 6103 give them (a Saturday holiday is observed the Friday before, Sunday the Monday
# after; New Year 2028 is a Saturday, observed Fri 31 Dec 2027).
FEDERAL_HOLIDAYS: list[tuple[date, str]] = [
    (D(2026, 1, 1), "New Year's Day"),
    (D(2026, 1, 19), "Martin Luther King Jr. Day"),
    (D(2026, 2, 16), "Washington's Birthday"),
    (D(2026, 5, 25), "Memorial Day"),
    (D(2026, 6, 19), "Juneteenth National Independence Day"),
    (D(2026, 7, 3), "Independence Day (observed)"),
    (D(2026, 7, 4), "Independence Day"),
    (D(2026, 9, 7), "Labor Day"),
    (D(2026, 10, 12), "Columbus Day"),
    (D(2026, 11, 11), "Veterans Day"),
    (D(2026, 11, 26), "Thanksgiving Day"),
    (D(2026, 12, 25), "Christmas Day"),
    (D(2027, 1, 1), "New Year's Day"),
    (D(2027, 1, 18), "Martin Luther King Jr. Day"),
    (D(2027, 2, 15), "Washington's Birthday"),
    (D(2027, 5, 31), "Memorial Day"),
    (D(2027, 6, 18), "Juneteenth National Independence Day (observed)"),
    (D(2027, 6, 19), "Juneteenth National Independence Day"),
    (D(2027, 7, 4), "Independence Day"),
    (D(2027, 7, 5), "Independence Day (observed)"),
    (D(2027, 9, 6), "Labor Day"),
    (D(2027, 10, 11), "Columbus Day"),
    (D(2027, 11, 11), "Veterans Day"),
    (D(2027, 11, 25), "Thanksgiving Day"),
    (D(2027, 12, 24), "Christmas Day (observed)"),
    (D(2027, 12, 25), "Christmas Day"),
    (D(2027, 12, 31), "New Year's Day (observed)"),
    (D(2028, 1, 1), "New Year's Day"),
    (D(2028, 1, 17), "Martin Luther King Jr. Day"),
    (D(2028, 2, 21), "Washington's Birthday"),
    (D(2028, 5, 29), "Memorial Day"),
    (D(2028, 6, 19), "Juneteenth National Independence Day"),
    (D(2028, 7, 4), "Independence Day"),
    (D(2028, 9, 4), "Labor Day"),
    (D(2028, 10, 9), "Columbus Day"),
    (D(2028, 11, 10), "Veterans Day (observed)"),
    (D(2028, 11, 11), "Veterans Day"),
    (D(2028, 11, 23), "Thanksgiving Day"),
    (D(2028, 12, 25), "Christmas Day"),
]


@pytest.mark.parametrize(
    ("day", "name"), FEDERAL_HOLIDAYS, ids=[str(d) for d, _ in FEDERAL_HOLIDAYS]
)
def test_every_federal_holiday_closes_the_court(day: date, name: str) -> None:
    calendar = CourtCalendar("US")  # fresh: each lookup must load the neighbouring years itself
    assert calendar.holiday_name(day) == name
    assert not calendar.is_court_day(day)


def test_the_three_years_have_no_other_holidays(calendar: CourtCalendar) -> None:
    day, found = D(2026, 1, 1), []
    while day <= D(2028, 12, 31):
        if calendar.holiday_name(day):
            found.append(day)
        day = D.fromordinal(day.toordinal() + 1)
    assert found == [d for d, _ in FEDERAL_HOLIDAYS]


def test_new_year_2028_observed_in_2027_is_found_from_either_side() -> None:
    assert CourtCalendar("US").holiday_name(D(2027, 12, 31)) == "New Year's Day (observed)"
    late = CourtCalendar("US")
    assert late.is_court_day(D(2028, 1, 3))  # loads 2027-2029
    assert not late.is_court_day(D(2027, 12, 31))


@pytest.mark.parametrize(
    ("day", "court_day"),
    [
        (D(2026, 11, 20), True),  # Friday
        (D(2026, 11, 21), False),  # Saturday
        (D(2026, 11, 22), False),  # Sunday
        (D(2026, 11, 27), True),  # day after Thanksgiving: not a legal holiday (6(a)(6))
        (D(2026, 12, 24), True),  # Christmas Eve 2026: open unless the President closes it
        (D(2027, 12, 31), False),
        (D(2028, 2, 29), True),  # leap day, a Tuesday
    ],
)
def test_is_court_day(calendar: CourtCalendar, day: date, court_day: bool) -> None:
    assert calendar.is_court_day(day) is court_day


def test_roll_names_each_skipped_day(calendar: CourtCalendar) -> None:
    assert calendar.roll(D(2027, 1, 16), "forward") == (
        D(2027, 1, 19),
        [
            "Sat 16 Jan 2027 is a Saturday",
            "Sun 17 Jan 2027 is a Sunday",
            "Mon 18 Jan 2027 is Martin Luther King Jr. Day",
        ],
    )
    assert calendar.roll(D(2027, 1, 2), "backward") == (
        D(2026, 12, 31),
        ["Sat 2 Jan 2027 is a Saturday", "Fri 1 Jan 2027 is New Year's Day"],
    )
    assert calendar.roll(D(2026, 11, 18), "forward") == (D(2026, 11, 18), [])


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 11, 18), 1, D(2026, 11, 19)),
        (D(2026, 11, 25), 1, D(2026, 11, 27)),  # over Thanksgiving
        (D(2026, 12, 23), 3, D(2026, 12, 29)),  # Thu 24, (Fri 25 Christmas, weekend) Mon 28, Tue 29
        (D(2027, 1, 18), -3, D(2027, 1, 13)),  # counting back from MLK Day
        (D(2027, 12, 29), 2, D(2028, 1, 3)),  # Thu 30, (Fri 31 observed New Year) Mon 3
        (D(2026, 7, 1), 2, D(2026, 7, 6)),  # Thu 2, (Fri 3 observed Independence Day) Mon 6
        (D(2026, 11, 21), 0, D(2026, 11, 21)),
    ],
)
def test_add_court_days(calendar: CourtCalendar, start: date, n: int, expected: date) -> None:
    assert calendar.add_court_days(start, n) == expected


# (start, days, direction, court days, by mail, result, explanation)
PERIODS = [
    (
        D(2026, 11, 20),
        21,
        "after",
        False,
        False,
        D(2026, 12, 11),
        "21 days after Fri 20 Nov 2026 -> Fri 11 Dec 2026",
    ),
    (
        D(2026, 12, 17),
        30,
        "after",
        False,
        False,
        D(2027, 1, 19),
        "30 days after Thu 17 Dec 2026 = Sat 16 Jan 2027 -> Mon 18 Jan is Martin Luther King Jr. "
        "Day -> Tue 19 Jan 2027",
    ),
    (
        D(2026, 12, 16),
        30,
        "after",
        False,
        True,
        D(2027, 1, 19),
        "30 days after Wed 16 Dec 2026 -> Fri 15 Jan 2027 + 3 days for service by mail "
        "(FRCP 6(d)) = Mon 18 Jan 2027 is Martin Luther King Jr. Day -> Tue 19 Jan 2027",
    ),
    (
        D(2027, 1, 4),
        21,
        "after",
        False,
        True,
        D(2027, 1, 28),
        "21 days after Mon 4 Jan 2027 -> Mon 25 Jan 2027 + 3 days for service by mail "
        "(FRCP 6(d)) = Thu 28 Jan 2027",
    ),
    (
        D(2027, 2, 1),
        30,
        "before",
        False,
        False,
        D(2026, 12, 31),
        "30 days before Mon 1 Feb 2027 = Sat 2 Jan 2027 -> Fri 1 Jan is New Year's Day -> "
        "Thu 31 Dec 2026",
    ),
    (
        D(2026, 12, 4),
        21,
        "after",
        False,
        False,
        D(2026, 12, 28),
        "21 days after Fri 4 Dec 2026 = Fri 25 Dec 2026 is Christmas Day -> Mon 28 Dec 2026",
    ),
    (
        D(2027, 11, 1),
        60,
        "after",
        False,
        False,
        D(2028, 1, 3),
        "60 days after Mon 1 Nov 2027 = Fri 31 Dec 2027 is New Year's Day (observed) -> "
        "Mon 3 Jan 2028",
    ),
    (
        D(2026, 6, 26),
        7,
        "after",
        False,
        False,
        D(2026, 7, 6),
        "7 days after Fri 26 Jun 2026 = Fri 3 Jul 2026 is Independence Day (observed) -> "
        "Mon 6 Jul 2026",
    ),
    (
        D(2026, 7, 10),
        7,
        "before",
        False,
        False,
        D(2026, 7, 2),
        "7 days before Fri 10 Jul 2026 = Fri 3 Jul 2026 is Independence Day (observed) -> "
        "Thu 2 Jul 2026",
    ),
    (
        D(2027, 1, 18),
        3,
        "before",
        True,
        False,
        D(2027, 1, 13),
        "3 court days before Mon 18 Jan 2027 -> Wed 13 Jan 2027",
    ),
    (
        D(2026, 12, 23),
        3,
        "after",
        True,
        False,
        D(2026, 12, 29),
        "3 court days after Wed 23 Dec 2026 -> Tue 29 Dec 2026 (not counted: Fri 25 Dec "
        "Christmas Day)",
    ),
    (
        D(2028, 2, 8),
        21,
        "after",
        False,
        False,
        D(2028, 2, 29),
        "21 days after Tue 8 Feb 2028 -> Tue 29 Feb 2028",
    ),
    (
        D(2027, 6, 4),
        14,
        "after",
        False,
        False,
        D(2027, 6, 21),
        "14 days after Fri 4 Jun 2027 = Fri 18 Jun 2027 is Juneteenth National Independence Day "
        "(observed) -> Mon 21 Jun 2027",
    ),
    (
        D(2026, 11, 5),
        21,
        "after",
        False,
        False,
        D(2026, 11, 27),
        "21 days after Thu 5 Nov 2026 = Thu 26 Nov 2026 is Thanksgiving Day -> Fri 27 Nov 2026",
    ),
    (
        D(2027, 2, 26),
        90,
        "before",
        False,
        False,
        D(2026, 11, 27),
        "90 days before Fri 26 Feb 2027 = Sat 28 Nov 2026 -> Fri 27 Nov 2026",
    ),
]


@pytest.mark.parametrize(
    ("start", "days", "direction", "court_days", "by_mail", "result", "explanation"),
    PERIODS,
    ids=[
        f"{p[1]}-{p[2]}-{p[0]}{'-court' if p[3] else ''}{'-mail' if p[4] else ''}" for p in PERIODS
    ],
)
def test_count_period(
    calendar: CourtCalendar,
    start: date,
    days: int,
    direction: str,
    court_days: bool,
    by_mail: bool,
    result: date,
    explanation: str,
) -> None:
    computed = count_period(
        calendar,
        start,
        days,
        direction,
        court_days=court_days,
        by_mail=by_mail,  # type: ignore[arg-type]
    )
    assert computed.result == result
    assert computed.explanation == explanation
    assert (computed.start, computed.days, computed.direction) == (start, days, direction)
    assert (computed.court_days, computed.by_mail) == (court_days, by_mail)


def test_firm_closure_days_close_the_court() -> None:
    calendar = CourtCalendar("US", closures=[D(2026, 12, 24), (D(2026, 12, 31), "Office move")])
    assert calendar.holiday_name(D(2026, 12, 24)) == "a firm closure day"
    assert calendar.holiday_name(D(2026, 12, 31)) == "Office move"
    computed = count_period(calendar, D(2026, 12, 3), 21, "after")
    assert computed.result == D(2026, 12, 28)
    assert computed.explanation == (
        "21 days after Thu 3 Dec 2026 = Thu 24 Dec 2026 is a firm closure day -> "
        "Fri 25 Dec is Christmas Day -> Mon 28 Dec 2026"
    )
    assert calendar.add_court_days(D(2026, 12, 29), 2) == D(2027, 1, 4)


def test_state_holidays_with_a_subdivision() -> None:
    new_york = CourtCalendar("US-NY")
    federal = CourtCalendar("US")
    assert new_york.holiday_name(D(2027, 2, 12)) == "Lincoln's Birthday"
    assert not new_york.is_court_day(D(2027, 2, 12))
    assert federal.is_court_day(D(2027, 2, 12))
    assert count_period(new_york, D(2027, 1, 22), 21, "after").result == D(2027, 2, 16)


@pytest.mark.parametrize("spec", ["XX", "US-ZZ", ""])
def test_unknown_holiday_calendar_is_refused(spec: str) -> None:
    with pytest.raises(InvalidInput, match="Unknown holiday calendar"):
        CourtCalendar(spec)


def test_refusals(calendar: CourtCalendar) -> None:
    with pytest.raises(InvalidInput, match="6\\(d\\)"):
        count_period(calendar, D(2027, 1, 18), 30, "before", by_mail=True)
    with pytest.raises(InvalidInput, match="negative"):
        count_period(calendar, D(2027, 1, 18), -3, "after")
    with pytest.raises(InvalidInput, match="outside the years"):
        calendar.is_court_day(D(2300, 1, 2))


def test_format_day_is_locale_free() -> None:
    assert format_day(D(2027, 1, 4)) == "Mon 4 Jan 2027"
    assert format_day(D(2028, 2, 29)) == "Tue 29 Feb 2028"
