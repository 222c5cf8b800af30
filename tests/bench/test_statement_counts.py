"""No N+1 queries: each command and each morning job sends as many SQL statements on a firm
three times bigger as on the small one.

Every command is sent through signed HTTP to a real Clerk and must succeed (a refusal would
take a shorter path and prove nothing). Jobs are counted on their steady morning: the first
run of the overdue job records each account's stage once, which is writing history, not
reading it; the next morning's build is what must not grow.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.tools.bench.digests import counting_statements
from bot.tools.bench.latency import classify
from bot.tools.bench.scenarios import probe_requests
from bot.tools.seeding import TINY, FirmShape
from handlers.scheduled import all_jobs
from schedules.jobs import preview, run_job
from tests.bench.conftest import CLERK_AT, MONDAY, SeededFirm
from tests.harness import running_clerk

NY = ZoneInfo("America/New_York")


def statement_counts(url: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    day = MONDAY
    with running_clerk(url, at=CLERK_AT) as harness:
        for job in all_jobs():
            run_job(harness.clerk, job, day)  # the first morning records every stage once
        probes = probe_requests(harness.db, day)
        assert probes, "the seeded firm has no heaviest client, partner or billing member"
        for key, request in probes:
            with counting_statements(harness.db) as seen:
                exchange = harness.slack.command(request.user, request.command, request.text)
            assert exchange.status == 200, key
            assert exchange.replies, f"{key}: no reply"
            outcome = classify(exchange.replies[0])
            assert outcome == "ok", f"{key}: {outcome}: {exchange.replies[0].get('text')}"
            counts[key] = len(seen)
        for job in all_jobs():
            with counting_statements(harness.db) as seen:
                preview(harness.clerk, job, day)
            counts[f"job {job.name}"] = len(seen)
    return counts


def _compare(small: dict[str, int], big: dict[str, int]) -> list[str]:
    """Every path that sends more statements on the bigger firm (or went missing there).

    Fewer is not growth: ``/client find`` stops after ten direct hits and skips its fuzzy
    lookup, so a prefix that matches ten clients on the bigger firm takes one query less.
    """
    return [
        f"{key}: {small[key]} statements on the small firm, {big.get(key)} on the bigger one"
        for key in small
        if big.get(key) is None or big[key] > small[key]
    ]


def test_statements_do_not_grow_with_the_firm(seeded_firm: SeededFirm) -> None:
    small_shape: FirmShape = TINY
    small = statement_counts(seeded_firm(small_shape))
    big = statement_counts(seeded_firm(small_shape.scaled(3)))
    assert set(small) == set(big)
    assert len(small) >= 12 + len(all_jobs())
    assert not _compare(small, big), "\n".join(_compare(small, big))


def test_statements_do_not_grow_with_history(seeded_firm: SeededFirm) -> None:
    """The same firm with three times the years behind it: history must not cost queries."""
    small = statement_counts(seeded_firm(TINY))
    deep = statement_counts(seeded_firm(TINY.with_history(3)))
    assert not _compare(small, deep), "\n".join(_compare(small, deep))
