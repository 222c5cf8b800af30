"""Past and ambiguous dates become questions with buttons, never silent writes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.deadlines.dates import past_key, reading_key, settle
from bot.errors import NeedsConfirmation
from tests.deadlines.conftest import NOW, NY


@dataclass(frozen=True)
class Parsed:
    """The shape of the date engine's ParsedDate that ``settle`` reads."""

    day: date
    at: datetime | None = None
    source: str = "text"
    explanation: str = "read"
    alternatives: tuple[date, ...] = field(default=())


def choice(key: str) -> str:
    return json.dumps({"k": key})


def run(parsed: Parsed, confirmed: frozenset[str] = frozenset(), **kw: Any) -> Any:
    return settle(parsed, now=NOW, zone=NY, confirmed=confirmed, choice=choice, **kw)


def test_a_future_date_is_settled_as_read() -> None:
    reading = run(Parsed(date(2026, 12, 3), source="Dec 3", explanation="Thu 3 Dec 2026"))
    assert reading.day == date(2026, 12, 3) and reading.at is None
    assert reading.explanation == "Dec 3 = Thu 3 Dec 2026"  # the words typed, then the day
    relative = run(Parsed(date(2026, 11, 20), source="Friday", explanation="Friday = Fri 20..."))
    assert relative.explanation == "Friday = Fri 20..."


def test_today_is_not_past_but_yesterday_is() -> None:
    assert run(Parsed(NOW.date())).day == NOW.date()
    with pytest.raises(NeedsConfirmation) as asked:
        run(Parsed(NOW.date() - timedelta(days=1)))
    assert "in the past (yesterday)" in asked.value.question
    ((label, value),) = asked.value.choices
    assert json.loads(value) == {"k": past_key(NOW.date() - timedelta(days=1), None)}


def test_a_time_earlier_today_is_past() -> None:
    earlier = NOW - timedelta(hours=2)
    with pytest.raises(NeedsConfirmation, match="earlier today"):
        run(Parsed(earlier.date(), at=earlier))


def test_a_confirmed_past_date_is_settled() -> None:
    day = date(2026, 3, 4)
    assert run(Parsed(day), frozenset({past_key(day, None)})).day == day


def test_past_is_allowed_for_triggers() -> None:
    assert run(Parsed(date(2026, 11, 2)), allow_past=True).day == date(2026, 11, 2)


def test_an_ambiguous_date_offers_one_button_per_reading() -> None:
    parsed = Parsed(date(2027, 3, 4), source="3/4", alternatives=(date(2027, 4, 3),))
    with pytest.raises(NeedsConfirmation) as asked:
        run(parsed)
    labels = [label for label, _ in asked.value.choices]
    assert labels == ["Thu 4 Mar 2027", "Sat 3 Apr 2027"]
    keys = [json.loads(v)["k"] for _, v in asked.value.choices]
    assert keys == [reading_key(date(2027, 3, 4), None), reading_key(date(2027, 4, 3), None)]
    chosen = run(parsed, frozenset({keys[1]}))
    assert chosen.day == date(2027, 4, 3) and "3/4 = Sat 3 Apr 2027" in chosen.explanation


def test_an_ambiguous_date_with_a_time_keeps_the_time_in_each_reading() -> None:
    at = datetime(2027, 3, 4, 9, 30, tzinfo=NY)
    parsed = Parsed(date(2027, 3, 4), at=at, source="3/4 9:30am", alternatives=(date(2027, 4, 3),))
    key = reading_key(date(2027, 4, 3), datetime(2027, 4, 3, 9, 30, tzinfo=NY))
    chosen = run(parsed, frozenset({key}))
    assert chosen.at == datetime(2027, 4, 3, 9, 30, tzinfo=NY)  # EDT by then: still 9:30


def test_a_chosen_reading_in_the_past_still_asks_about_the_past() -> None:
    parsed = Parsed(date(2027, 3, 4), source="3/4", alternatives=(date(2026, 4, 3),))
    with pytest.raises(NeedsConfirmation, match="in the past"):
        run(parsed, frozenset({reading_key(date(2026, 4, 3), None)}))


@given(st.integers(min_value=-400, max_value=400))
def test_only_dates_before_today_ask(offset: int) -> None:
    day = NOW.date() + timedelta(days=offset)
    if offset < 0:
        with pytest.raises(NeedsConfirmation):
            run(Parsed(day))
    else:
        assert run(Parsed(day)).day == day
