"""A morning job's memory follows today's work, not the years behind it.

The same firm is seeded with its usual history and with three times as many years of it
(closed matters, done deadlines, paid invoices, old contacts); each job's peak Python
allocation while building must stay about the same. A job that loaded history into memory
instead of letting the database select today's rows would need three times as much.
"""

from __future__ import annotations

import tracemalloc
from zoneinfo import ZoneInfo

from bot.tools.seeding import TINY
from handlers.scheduled import all_jobs
from schedules.jobs import preview, run_job
from tests.bench.conftest import CLERK_AT, MONDAY, SeededFirm
from tests.harness import running_clerk

NY = ZoneInfo("America/New_York")
SLACK_KIB = 96  # allocator and cache noise between two builds of the same job


def peaks(url: str) -> dict[str, float]:
    """Peak KiB allocated while building each job (after one warm-up build)."""
    found: dict[str, float] = {}
    day = MONDAY
    with running_clerk(url, at=CLERK_AT) as harness:
        for job in all_jobs():
            run_job(harness.clerk, job, day)
            preview(harness.clerk, job, day)  # compiled statements and caches are not history
            tracemalloc.start()
            try:
                preview(harness.clerk, job, day)
                found[job.name] = tracemalloc.get_traced_memory()[1] / 1024
            finally:
                tracemalloc.stop()
    return found


def test_job_memory_does_not_follow_history(seeded_firm: SeededFirm) -> None:
    usual = peaks(seeded_firm(TINY))
    deep = peaks(seeded_firm(TINY.with_history(3)))
    grown = {
        name: (round(usual[name]), round(deep[name]))
        for name in usual
        if deep[name] > usual[name] * 1.5 + SLACK_KIB
    }
    assert not grown, f"peak KiB (usual history, 3x history): {grown}"


def test_memory_check_would_see_a_job_that_loads_history(seeded_firm: SeededFirm) -> None:
    """The measure itself: loading every deadline ever is visible at 3x the history."""
    from sqlalchemy import select

    from storage.models import Deadline

    def load_all(url: str) -> float:
        with running_clerk(url, at=CLERK_AT) as harness:
            tracemalloc.start()
            try:
                with harness.db.reading() as session:
                    rows = list(session.scalars(select(Deadline)))
                    assert rows
                return tracemalloc.get_traced_memory()[1] / 1024
            finally:
                tracemalloc.stop()

    usual = load_all(seeded_firm(TINY))
    deep = load_all(seeded_firm(TINY.with_history(3)))
    assert deep > usual * 1.5 + SLACK_KIB
