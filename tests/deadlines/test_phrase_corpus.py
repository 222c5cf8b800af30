"""The /deadline phrase corpus (issue 25): an independent oracle, then Clerk measured by it.

The oracle is checked against dates worked out by hand first, so a broken oracle fails here
rather than passing Clerk's mistakes. The default suite runs a seeded sample (the issue's own
findings included); the whole corpus (5,000+ phrases) runs with the slow tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import fresh_database_url
from tests.deadlines.corpus.generate import corpus, sample
from tests.deadlines.corpus.oracle import (
    Direction,
    Period,
    Unit,
    count_period,
    expect_plain,
    expect_rule,
    is_holiday,
    nearest,
    next_on_or_after,
)
from tests.deadlines.corpus.run import Outcome, Verdict, listing, run_phrases

A, B = Direction.AFTER, Direction.BEFORE
HAND_CHECKED = [
    # Sat 29 May 2027 rolls back to Fri 28 May (Memorial Day, Mon 31 May, is after it).
    (date(2027, 6, 28), Period(30, Unit.DAY, B), date(2027, 5, 28)),
    (date(2026, 11, 20), Period(21, Unit.DAY, A), date(2026, 12, 11)),
    # Mon 30, Fri 27 (Thu 26 Nov is Thanksgiving), Wed 25.
    (date(2026, 12, 1), Period(3, Unit.COURT_DAY, B), date(2026, 11, 25)),
    # Fri 15, Thu 14, Wed 13 (Mon 18 Jan 2027 is Martin Luther King Jr. Day).
    (date(2027, 1, 19), Period(3, Unit.COURT_DAY, B), date(2027, 1, 13)),
    # Fri 31 Dec 2027 is New Year's Day 2028 observed: on to Mon 3 Jan 2028.
    (date(2027, 12, 30), Period(1, Unit.DAY, A), date(2028, 1, 3)),
    # By mail: Wed 15 Dec + 3 = Sat 18 Dec, rolled to Mon 20 Dec.
    (date(2027, 12, 1), Period(14, Unit.DAY, A, by_mail=True), date(2027, 12, 20)),
    # By mail after a roll: Fri 24 Dec (Christmas observed) -> Mon 27 Dec, + 3 = Thu 30 Dec.
    (date(2027, 12, 14), Period(10, Unit.DAY, A, by_mail=True), date(2027, 12, 30)),
    # Two weeks: Fri 24 Dec 2027 (Christmas observed) -> Mon 27 Dec.
    (date(2027, 12, 10), Period(2, Unit.WEEK, A), date(2027, 12, 27)),
]


@pytest.mark.parametrize(("trigger", "period", "due"), HAND_CHECKED)
def test_the_oracle_agrees_with_dates_worked_by_hand(
    trigger: date, period: Period, due: date
) -> None:
    assert count_period(trigger, period) == due


def test_the_oracle_knows_observed_holidays_across_the_new_year() -> None:
    assert is_holiday(date(2027, 12, 31)) and is_holiday(date(2027, 7, 5))
    assert not is_holiday(date(2027, 12, 30))


def test_the_oracle_asks_where_no_single_answer_is_right() -> None:
    assert expect_rule(date(2026, 12, 1), Period(3, Unit.COURT_DAY, B)).must_ask  # past
    assert expect_rule(date(2027, 12, 1), Period(0, Unit.DAY, A)).must_ask
    assert expect_rule(date(2027, 12, 1), Period(10**9, Unit.DAY, A)).must_ask
    assert expect_plain(date(2026, 12, 6)).must_ask
    assert expect_plain(date(2026, 12, 7)).day == date(2026, 12, 7)  # today is not past


def test_yearless_dates_read_forward_for_plain_dates_and_nearest_for_triggers() -> None:
    assert next_on_or_after(12, 3) == date(2027, 12, 3)  # on Mon 7 Dec 2026
    assert next_on_or_after(12, 10) == date(2026, 12, 10)
    assert nearest(12, 1) == date(2026, 12, 1)
    assert nearest(1, 15) == date(2027, 1, 15)


def test_the_corpus_is_large_varied_and_the_same_every_time() -> None:
    phrases = corpus()
    assert len(phrases) >= 5_000
    assert len({(p.firm, p.text) for p in phrases}) == len(phrases)
    assert phrases == corpus()
    shapes = {p.shape for p in phrases}
    assert {"rule_event", "title_number", "count_odd", "typo", "intl_zh"} <= shapes
    assert sum(p.expected.must_ask for p in phrases) > 500  # the asking shapes are there


@pytest.fixture
def databases(_migrated: str, tmp_path: Path) -> Callable[[str], str]:
    """A fresh migrated database per firm (English, then es/el/zh)."""

    def fresh(name: str) -> str:
        directory = tmp_path / name
        directory.mkdir()
        return fresh_database_url(_migrated, directory)

    return fresh


def _assert_none_wrong(outcomes: list[Outcome]) -> None:
    bad = [o for o in outcomes if o.verdict in (Verdict.WRONG, Verdict.CRASH)]
    assert not bad, f"{len(bad)} of {len(outcomes)} WRONG or CRASH:\n{listing(bad[:25])}"


def test_a_sample_of_the_corpus_is_never_stored_wrong(databases: Callable[[str], str]) -> None:
    _assert_none_wrong(run_phrases(sample(300), databases))


@pytest.mark.slow
def test_the_whole_corpus_is_never_stored_wrong(databases: Callable[[str], str]) -> None:
    _assert_none_wrong(run_phrases(corpus(), databases))
