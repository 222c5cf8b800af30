"""The date engine per phrase against plain dateparser with the same languages and settings.

Delegates to ``bot.dates.bench`` (the date engine's own harness, which gives both sides the
same languages, time zone, date order and relative base) for the average, and times each
phrase separately here so the slowest phrases are visible.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput


def _per_call_us(call: Callable[[str], object], phrase: str, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        with contextlib.suppress(InvalidInput):
            call(phrase)
        samples.append((time.perf_counter() - started) * 1_000_000)
    return statistics.median(samples)


def measure_dates(languages: list[str], *, repeats: int) -> dict[str, Any] | None:
    """Average and per-phrase microseconds for Clerk and dateparser; None if not installed."""
    try:
        import dateparser

        from bot.dates.bench import SAMPLE_PHRASES, bench_phrases
        from bot.dates.court import CourtCalendar
        from bot.dates.engine import DateEngine
    except ImportError:
        return None
    zone = ZoneInfo("America/New_York")
    engine = DateEngine(
        languages=languages, date_order=None, timezone=zone, calendar=CourtCalendar("US")
    )
    started = time.perf_counter()
    engine.warm_up()
    warm_up_ms = (time.perf_counter() - started) * 1000
    overall = bench_phrases(engine, SAMPLE_PHRASES, repeats)
    now = datetime.now(zone)
    settings = engine.fallback.settings_for("future", now.replace(tzinfo=None))

    def clerk(phrase: str) -> object:
        return engine.parse(phrase, now=now)

    def plain(phrase: str) -> object:
        return dateparser.parse(phrase, languages=list(languages), settings=settings)

    phrases = []
    for phrase in SAMPLE_PHRASES:
        clerk_us = _per_call_us(clerk, phrase, repeats)
        plain_us = _per_call_us(plain, phrase, repeats)
        phrases.append(
            {
                "phrase": phrase,
                "clerk_us": round(clerk_us, 1),
                "dateparser_us": round(plain_us, 1),
                "ratio": round(clerk_us / plain_us, 2) if plain_us else None,
            }
        )
    phrases.sort(key=lambda p: -float(p["clerk_us"]))
    return {
        "languages": list(languages),
        "warm_up_ms": round(warm_up_ms, 1),
        **overall,
        "phrases": phrases,
    }
