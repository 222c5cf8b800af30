"""Period phrases the engine reads whole, and the periods it leaves in a title (issue 25).

Every phrase here was once stored with a wrong date and no question. For each, the engine
either reads the whole period (the right day, checked against ``count_period`` or by hand) or
leaves the period in the title where ``PeriodWords.find`` catches it, so the caller asks.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dates.court import CourtCalendar, count_period
from bot.dates.engine import DateEngine
from bot.dates.resolve import NotUnderstood, Refusal
from bot.errors import InvalidInput
from tests.dates.conftest import NOW

A, B = "after", "before"

# (typed, title, trigger, days, direction, court days, by mail)
UNDERSTOOD = [
    (
        "Opposition 30 days in advance of trial on June 28, 2027",
        "Opposition",
        date(2027, 6, 28),
        30,
        B,
        False,
        False,
    ),
    ("Brief 30 days ahead of Jun 1 2028", "Brief", date(2028, 6, 1), 30, B, False, False),
    ("Brief 30 days before trial on Jun 1 2028", "Brief", date(2028, 6, 1), 30, B, False, False),
    (
        "Brief 10 days prior to the hearing on Jun 1 2028",
        "Brief",
        date(2028, 6, 1),
        10,
        B,
        False,
        False,
    ),
    (
        "Brief 21 days after entry of judgment on Dec 1 2027",
        "Brief",
        date(2027, 12, 1),
        21,
        A,
        False,
        False,
    ),
    (
        "Brief 14 days following entry of the order on Dec 1 2027",
        "Brief",
        date(2027, 12, 1),
        14,
        A,
        False,
        False,
    ),
    (
        "Brief 14 days after electronic service on Dec 1 2027",
        "Brief",
        date(2027, 12, 1),
        14,
        A,
        False,
        False,
    ),
    (
        "Brief 14 days after service of the complaint by mail on Dec 1 2027",
        "Brief",
        date(2027, 12, 1),
        14,
        A,
        False,
        True,
    ),
    (
        "Answer within 21 days of service on Dec 1 2027",
        "Answer",
        date(2027, 12, 1),
        21,
        A,
        False,
        False,
    ),
    ("Answer within 21 days after Dec 1 2027", "Answer", date(2027, 12, 1), 21, A, False, False),
    ("Notice within 7 days before Dec 1 2027", "Notice", date(2027, 12, 1), 7, B, False, False),
    ("Brief 21 court-days after Dec 1 2027", "Brief", date(2027, 12, 1), 21, A, True, False),
    ("Brief 21days after Dec 1 2027", "Brief", date(2027, 12, 1), 21, A, False, False),
    ("Brief eighteen (18) days after Dec 1 2027", "Brief", date(2027, 12, 1), 18, A, False, False),
    ("Reply 3,902 days after Dec 17 2026", "Reply", date(2026, 12, 17), 3902, A, False, False),
    ("Reply 1,000 days after Dec 17 2026", "Reply", date(2026, 12, 17), 1000, A, False, False),
    ("答辩状 2027年12月1日后21天", "答辩状", date(2027, 12, 1), 21, A, False, False),
    ("上诉状2027年1月28日后120天", "上诉状", date(2027, 1, 28), 120, A, False, False),
    (
        "Réplica 10 días antes de la audiencia del 1 de junio de 2028",
        "Réplica",
        date(2028, 6, 1),
        10,
        B,
        False,
        False,
    ),
    (
        "Réplica con 10 días de antelación al 1 de junio de 2028",
        "Réplica",
        date(2028, 6, 1),
        10,
        B,
        False,
        False,
    ),
    (
        "Υπόμνημα 10 ημέρες πριν από τη δικάσιμο της 1 Ιουνίου 2028",
        "Υπόμνημα",
        date(2028, 6, 1),
        10,
        B,
        False,
        False,
    ),
]


@pytest.mark.parametrize(
    ("typed", "title", "trigger", "days", "direction", "court", "mail"), UNDERSTOOD
)
def test_legal_phrasings_are_read_whole(
    engine: DateEngine,
    calendar: CourtCalendar,
    typed: str,
    title: str,
    trigger: date,
    days: int,
    direction: str,
    court: bool,
    mail: bool,
) -> None:
    got_title, parsed = engine.split_trailing(typed, now=NOW)
    expected = count_period(
        calendar,
        trigger,
        days,
        direction,  # type: ignore[arg-type]
        court_days=court,
        by_mail=mail,
    )
    assert (got_title, parsed.day) == (title, expected.result)
    assert parsed.explanation.startswith(expected.explanation)


def test_the_issues_example_rolls_back_over_memorial_day(engine: DateEngine) -> None:
    """30 days before Mon 28 Jun 2027 is Sat 29 May; counted backward it rolls to Fri 28 May."""
    _, parsed = engine.split_trailing(
        "Opposition 30 days in advance of trial on June 28, 2027", now=NOW
    )
    assert parsed.day == date(2027, 5, 28)
    assert "30 days before Mon 28 Jun 2027" in parsed.explanation


def test_within_days_of_a_date_offers_both_directions(engine: DateEngine) -> None:
    _, parsed = engine.split_trailing("Brief within 7 business days of Dec 1 2027", now=NOW)
    assert parsed.day == date(2027, 12, 10)  # forward: 7 court days after Wed 1 Dec
    assert parsed.alternatives == (date(2027, 11, 19),)  # back: 7 court days before
    assert "can also run back" in parsed.explanation
    _, served = engine.split_trailing("Answer within 21 days of service on Dec 1 2027", now=NOW)
    assert (served.day, served.alternatives) == (date(2027, 12, 22), ())


def test_words_and_figure_that_disagree_offer_both_counts(engine: DateEngine) -> None:
    _, parsed = engine.split_trailing("Brief eighteen (21) days after Dec 1 2027", now=NOW)
    assert parsed.day == date(2027, 12, 20)  # 18 days: Sun 19 Dec rolls to Mon 20 Dec
    assert parsed.alternatives == (date(2027, 12, 22),)  # 21 days: Wed 22 Dec
    assert parsed.alternative_explanations[0].startswith("21 days after Wed 1 Dec 2027")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Brief 1,000,000 days after Dec 1 2027", "more than 50 years"),
        ("Brief 0 days after Dec 1 2027", "0 days"),
        ("Brief 3 months after Dec 1 2027", "in days"),
        ("Brief 21 days after the hearing on Feb 30 2027", "no 30 Feb"),
    ],
)
def test_absurd_counts_and_wrong_triggers_are_refused(
    engine: DateEngine, typed: str, message: str
) -> None:
    with pytest.raises(Refusal, match=message):
        engine.split_trailing(typed, now=NOW)


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("Reply 1 454 days after Dec 17 2026", "Reply 1 454 days after"),
        ("Brief 1e9 days after Dec 1 2027", "Brief 1e9 days after"),
        ("Objections -21 court days before Dec 1 2028", "Objections -21 court days before"),
        ("Objections 14-21 days before Dec 1 2028", "Objections 14-21 days before"),
        ("Brief 21.5 days after Dec 1 2027", "Brief 21.5 days after"),
    ],
)
def test_a_date_never_starts_inside_a_number(engine: DateEngine, typed: str, title: str) -> None:
    got, parsed = engine.split_trailing(typed, now=NOW)
    assert got == title  # the whole count stays in the title, where it is asked about
    assert engine.periods.find(got) is not None


def test_a_title_ending_in_a_number_keeps_it(english: DateEngine) -> None:
    title, parsed = english.split_trailing("Form 1040 Dec 3", now=NOW)
    assert (title, parsed.day) == ("Form 1040", date(2026, 12, 3))
    title, parsed = english.split_trailing("Schedule K-1 365 days after Aug 20, 2027", now=NOW)
    assert (title, parsed.day) == ("Schedule K-1", date(2028, 8, 21))


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("Brief 1e9 days after", "not a number of days"),
        ("Objections -21 court days before", "negative"),
        ("Brief 21.5 days after", "whole number"),
        ("Brief 14-21 days after", "range"),
        ("Answer days after", "no number of days"),
        ("Objections before", "no number of days"),
    ],
)
def test_counts_no_correction_can_mend_are_named(
    engine: DateEngine, title: str, problem: str
) -> None:
    left = engine.periods.find(title)
    assert left is not None and left.problem is not None and problem in left.problem


@pytest.mark.parametrize(
    ("title", "corrected"),
    [
        ("Brief 21 dyas after", "21 days after"),
        ("Brief 21 days afer", "21 days after"),
        ("Brief 21 days befor", "21 days before"),
        ("Brief 21 dys beofre", "21 days before"),
        ("Brief 21 cort days after", "21 court days after"),
        ("Motion 30 days pre-trial", "30 days before trial"),
        ("Reply 14 days post-service", "14 days after service"),
        ("Brief within 7 days", "within 7 days"),
        ("Reply 30 days", "30 days"),
    ],
)
def test_misspelt_periods_are_found_and_put_right(
    engine: DateEngine, title: str, corrected: str
) -> None:
    left = engine.periods.find(title)
    assert left is not None and left.problem is None
    assert left.corrections[0].words == corrected


def test_spaced_digit_groups_offer_both_readings(engine: DateEngine) -> None:
    left = engine.periods.find("Reply 1 454 days after")
    assert left is not None
    assert [c.words for c in left.corrections] == ["454 days after", "1454 days after"]


@pytest.mark.parametrize(
    "title",
    [
        "Notice of 30-day hold",
        "Serve 10 day notice",
        "Rule 26(f) report",
        "Form 10-K",
        "Post-trial brief",
        "Response to interrogatories",
        "Smith & Jones reply",
        "Exhibit 104",
    ],
)
def test_ordinary_titles_hold_no_period(engine: DateEngine, title: str) -> None:
    assert engine.periods.find(title) is None


# --- properties ------------------------------------------------------------------------------

TITLES = st.sampled_from(["Opposition", "Reply brief", "Form 1040", "Exhibit 12", "Phase 2"])
COUNTS = st.integers(min_value=1, max_value=400) | st.integers(min_value=1000, max_value=4000)
TRIGGERS = st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31))
CONNECTORS = st.sampled_from(
    [
        ("after", A),
        ("following", A),
        ("before", B),
        ("prior to", B),
        ("in advance of", B),
        ("ahead of", B),
        ("after entry of judgment on", A),
        ("before trial on", B),
        # Read only after a correction, or not at all: must be left in the title.
        ("afer", None),
        ("befor", None),
        ("pre-trial", None),
        ("in anticipation of", None),
        ("roughly after", None),
    ]
)
UNITS = st.sampled_from(["days", "dyas", "court days", "court-days", "calendar days"])
COUNT_SHAPES = st.sampled_from(["{n}", "{n:,}", "-{n}", "{n}e1", "{n}.5", "{n}"])


@settings(max_examples=250, deadline=None)
@given(TITLES, COUNTS, COUNT_SHAPES, UNITS, CONNECTORS, TRIGGERS)
def test_a_period_is_read_right_or_left_to_ask_about(
    title: str,
    n: int,
    shape: str,
    unit: str,
    connector: tuple[str, str | None],
    trigger: date,
) -> None:
    """Whatever the shape, the engine gives the rule's date or leaves the period in the title
    (or refuses): never a different date with a clean title."""
    engine = _ENGINE
    words, direction = connector
    typed = f"{title} {shape.format(n=n)} {unit} {words} {trigger:%b} {trigger.day} {trigger.year}"
    try:
        got_title, parsed = engine.split_trailing(typed, now=NOW)
    except InvalidInput as refusal:
        assert not isinstance(refusal, NotUnderstood) or "couldn't" in str(refusal)
        return
    if engine.periods.find(got_title) is not None:
        return  # the caller asks, nothing is stored as typed
    clean = shape in ("{n}", "{n:,}") and unit != "dyas" and direction is not None
    assert clean, f"{typed!r} read as {parsed.day} with title {got_title!r}"
    court = unit in ("court days", "court-days")
    expected = count_period(
        engine.calendar,
        trigger,
        n,
        direction,  # type: ignore[arg-type]
        court_days=court,
    )
    assert (got_title, parsed.day) == (title, expected.result), typed


_ENGINE = DateEngine(
    languages=("en", "es", "el", "zh"),
    timezone=NOW.tzinfo,  # type: ignore[arg-type]
    calendar=CourtCalendar("US"),
)
