"""The benchmark helper that `clerk bench` calls: it runs and reports what it promises."""

from __future__ import annotations

from bot.dates.bench import SAMPLE_PHRASES, bench_phrases
from bot.dates.engine import DateEngine


def test_sample_phrases_are_realistic_and_distinct() -> None:
    assert 45 <= len(SAMPLE_PHRASES) <= 60
    assert len(set(SAMPLE_PHRASES)) == len(SAMPLE_PHRASES)


def test_bench_reports_both_timings(english: DateEngine) -> None:
    report = bench_phrases(english, SAMPLE_PHRASES[:12], repeats=2)
    assert report["clerk_us_per_phrase"] > 0
    assert report["dateparser_us_per_phrase"] > 0
    expected_ratio = report["clerk_us_per_phrase"] / report["dateparser_us_per_phrase"]
    assert abs(report["ratio"] - expected_ratio) < 0.01
    assert report["phrases"] == 12 and report["repeats"] == 2
    assert 0 < report["clerk_read"] <= 12
