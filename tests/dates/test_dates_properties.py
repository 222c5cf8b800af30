"""Properties that must hold for every date, not just the hand-picked ones.

- A counted period (FRCP 6(a), court days, 6(d)) never ends on a weekend, holiday or closure,
  and never rolls further than the first open day.
- Text with nothing date-like in it never yields a date.
- A date Clerk writes (ISO, "Dec 3 2026", "Thu 3 Dec 2026") reads back as the same date.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dates.court import CourtCalendar, count_period
from bot.dates.engine import DateEngine
from bot.dates.format import MONTH_ABBR, format_day
from bot.errors import InvalidInput
from tests.dates.conftest import NOW

FAST = settings(max_examples=150, deadline=None)
SLOW = settings(max_examples=60, deadline=None)

starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
periods = st.integers(min_value=0, max_value=400)
closure_sets = st.frozensets(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)), max_size=40
)

# Letters that spell no month, weekday, unit or relative word in en/es/el/zh, and no digits.
NON_DATE_WORD = st.text(alphabet="bcfgjklpqvxzBCFGJKLPQVXZ", min_size=1, max_size=9) | st.text(
    alphabet="猫狗鱼鸟书法律师βγψ", min_size=1, max_size=4
)
NON_DATE_TEXT = st.lists(NON_DATE_WORD, min_size=1, max_size=6).map(" ".join)
PUNCTUATED = st.tuples(NON_DATE_TEXT, st.sampled_from(["", ".", "!", "?", " -", ","])).map("".join)


def _open_between(calendar: CourtCalendar, first: date, last: date) -> list[date]:
    step = timedelta(days=1 if last >= first else -1)
    days, day = [], first
    while day != last:
        if calendar.is_court_day(day):
            days.append(day)
        day += step
    return days


@FAST
@given(start=starts, days=periods, after=st.booleans(), by_mail=st.booleans())
def test_a_period_always_ends_on_the_first_open_day(
    calendar: CourtCalendar, start: date, days: int, after: bool, by_mail: bool
) -> None:
    direction = "after" if after else "before"
    by_mail = by_mail and after
    computed = count_period(calendar, start, days, direction, by_mail=by_mail)
    assert calendar.is_court_day(computed.result)
    sign = 1 if after else -1
    landed = start + timedelta(days=sign * days)
    if by_mail:
        six_a = count_period(calendar, start, days, direction).result
        landed = six_a + timedelta(days=3)
        assert computed.result >= landed
    # nothing open was skipped between the last day of the period and the result
    assert _open_between(calendar, landed, computed.result) == []
    assert computed.explanation.endswith(format_day(computed.result))


@FAST
@given(start=starts, n=st.integers(min_value=-300, max_value=300))
def test_court_day_counting_counts_only_court_days(
    calendar: CourtCalendar, start: date, n: int
) -> None:
    result = calendar.add_court_days(start, n)
    if n == 0:
        assert result == start
        return
    assert calendar.is_court_day(result)
    step = timedelta(days=1 if n > 0 else -1)
    counted = _open_between(calendar, start + step, result + step)
    assert len(counted) == abs(n)


@SLOW
@given(
    closures=closure_sets,
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)),
    days=st.integers(min_value=0, max_value=120),
    court_days=st.booleans(),
    after=st.booleans(),
)
def test_closures_are_never_a_deadline(
    closures: frozenset[date], start: date, days: int, court_days: bool, after: bool
) -> None:
    calendar = CourtCalendar("US", closures=closures)
    direction = "after" if after else "before"
    computed = count_period(calendar, start, days, direction, court_days=court_days)
    assert computed.result not in closures
    assert computed.result.weekday() < 5
    assert calendar.holiday_name(computed.result) is None


@FAST
@given(text=PUNCTUATED)
def test_text_without_a_date_never_yields_one(engine: DateEngine, text: str) -> None:
    with pytest.raises(InvalidInput):
        engine.parse(text, now=NOW)


@SLOW
@given(title=NON_DATE_TEXT, tail=NON_DATE_TEXT)
def test_a_title_without_a_date_never_yields_one(engine: DateEngine, title: str, tail: str) -> None:
    with pytest.raises(InvalidInput):
        engine.split_trailing(f"{title} due {tail}", now=NOW)


some_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))


@FAST
@given(day=some_dates)
def test_iso_dates_read_back(engine: DateEngine, day: date) -> None:
    parsed = engine.parse(day.isoformat(), now=NOW)
    assert (parsed.day, parsed.alternatives, parsed.at) == (day, (), None)


@FAST
@given(day=some_dates)
def test_month_day_year_reads_back(engine: DateEngine, day: date) -> None:
    text = f"{MONTH_ABBR[day.month - 1]} {day.day} {day.year}"
    assert engine.parse(text, now=NOW).day == day


@FAST
@given(day=some_dates)
def test_clerks_own_format_reads_back(engine: DateEngine, day: date) -> None:
    assert engine.parse(format_day(day), now=NOW).day == day


@FAST
@given(day=some_dates, title=NON_DATE_TEXT)
def test_split_trailing_reads_back(engine: DateEngine, day: date, title: str) -> None:
    got_title, parsed = engine.split_trailing(f"{title} due {format_day(day)}", now=NOW)
    assert (got_title, parsed.day) == (title, day)


@FAST
@given(month=st.integers(1, 12), day=st.integers(1, 12))
def test_numeric_day_and_month_are_never_silently_swapped(
    engine: DateEngine, month: int, day: int
) -> None:
    parsed = engine.parse(f"{month}/{day}/2027", now=NOW)
    assert parsed.day == date(2027, month, day)
    assert parsed.alternatives == (() if month == day else (date(2027, day, month),))
