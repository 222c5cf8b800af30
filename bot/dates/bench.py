"""How long Clerk takes to read a date, against plain ``dateparser.parse`` on the same phrases.

Why measure: every slash command must be acknowledged within Slack's 3 seconds, and
dateparser is known to be slow on its first call and on text it cannot read. ``clerk bench``
reports these numbers so a firm can see that reading dates is not where time goes.

Both sides get the same settings (languages, time zone, date order, "future", relative base)
and a warm-up pass before timing. dateparser's answers are not checked here: it answers many
phrases Clerk refuses, and silently misreads others; the phrase tables in tests/dates say which.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import datetime

import dateparser

from bot.dates.engine import DateEngine
from bot.errors import InvalidInput

SAMPLE_PHRASES: tuple[str, ...] = (
    "Dec 3",
    "December 3, 2026",
    "Thu 3 Dec 2026",
    "2026-12-04",
    "12/04/2026",
    "3/4",
    "the 3rd of December",
    "Jan 18 2027",
    "tomorrow",
    "today",
    "yesterday",
    "the day after tomorrow",
    "next Friday",
    "Friday",
    "this Monday",
    "last Tuesday",
    "on Wednesday",
    "in 21 days",
    "in 2 weeks",
    "in a week",
    "in 3 months",
    "3 days ago",
    "2 weeks ago",
    "tomorrow 10am",
    "Dec 3 at 2:30pm",
    "next Friday 9am",
    "Jan 5 2027 14:00",
    "end of month",
    "end of next month",
    "next business day",
    "3 business days from now",
    "21 days after Dec 1",
    "30 days after Dec 17",
    "14 days after 2026-12-11",
    "3 court days before Jan 18 2027",
    "30 days after service by mail on Dec 16",
    "21 days after Dec 1 by mail",
    "90 days before 2027-06-01",
    "by Dec 15",
    "due Jan 4",
    "on Monday",
    "Oct 3",
    "Feb 29 2028",
    "March 1st",
    "May 5th 2027",
    "next week",
    "next month",
    "soon",
    "asap",
    "banana",
)


def _time_each(call: Callable[[str], object], phrases: Sequence[str], repeats: int) -> float:
    """Microseconds per phrase for ``call(phrase)`` over ``repeats`` passes."""
    started = time.perf_counter()
    for _ in range(repeats):
        for phrase in phrases:
            with contextlib.suppress(InvalidInput):
                call(phrase)
    elapsed = time.perf_counter() - started
    return elapsed * 1_000_000 / max(1, repeats * len(phrases))


def bench_phrases(
    engine: DateEngine, phrases: Sequence[str], repeats: int
) -> dict[str, float | int]:
    """Time ``engine.parse`` against ``dateparser.parse`` with the same settings.

    Returns ``clerk_us_per_phrase``, ``dateparser_us_per_phrase`` and ``ratio`` (Clerk's time
    over dateparser's; below 1 means Clerk is faster), plus how many phrases each one read.
    """
    now = datetime.now(engine.zone)
    settings = engine.fallback.settings_for("future", now.replace(tzinfo=None))
    languages = list(engine.languages)

    def clerk(phrase: str) -> object:
        return engine.parse(phrase, now=now)

    def plain(phrase: str) -> object:
        return dateparser.parse(phrase, languages=languages, settings=settings)

    clerk_read = dateparser_read = 0
    for phrase in phrases:  # warm both up, and count what each one answers
        try:
            clerk(phrase)
            clerk_read += 1
        except InvalidInput:
            pass
        dateparser_read += plain(phrase) is not None
    rounds = max(1, repeats)
    clerk_us = _time_each(clerk, phrases, rounds)
    dateparser_us = _time_each(plain, phrases, rounds)
    return {
        "clerk_us_per_phrase": round(clerk_us, 1),
        "dateparser_us_per_phrase": round(dateparser_us, 1),
        "ratio": round(clerk_us / dateparser_us, 3) if dateparser_us else 0.0,
        "phrases": len(phrases),
        "repeats": rounds,
        "clerk_read": clerk_read,
        "dateparser_read": dateparser_read,
    }
