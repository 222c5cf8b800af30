"""Each morning job's build time, statements and memory, against its plain-SQL floor.

A job is built exactly as ``clerk digest --dry-run`` builds it (``schedules.jobs.preview``:
the real query, the real messages, inside a unit of work that is rolled back), in this
process against the firm's database. Time is the median of several builds after a warm-up;
memory is the peak of Python allocations during one build (``tracemalloc``), which is what
grows if a job loads history instead of streaming the selection.
"""

from __future__ import annotations

import functools
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sqlalchemy import event

from bot.settings import Settings
from bot.tools.bench.floors import FLOORS, run_floor
from bot.tools.bench.processes import BOT_TOKEN, SIGNING_SECRET
from storage.db import Database


@dataclass
class JobFigures:
    name: str
    build_ms: float | None = None
    floor_ms: float | None = None
    messages: int = 0
    floor_rows: int = 0
    statements: int = 0
    peak_kib: float | None = None
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.build_ms is None or not self.floor_ms:
            return None
        return self.build_ms / self.floor_ms

    def as_dict(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "build_ms": None if self.build_ms is None else round(self.build_ms, 2),
            "floor_ms": None if self.floor_ms is None else round(self.floor_ms, 2),
            "ratio": None if ratio is None else round(ratio, 2),
            "messages": self.messages,
            "floor_rows": self.floor_rows,
            "statements": self.statements,
            "peak_kib": None if self.peak_kib is None else round(self.peak_kib, 1),
            "error": self.error,
        }


def bench_settings(database_url: str, standin_url: str, admins: list[str]) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_app_token": "",
        "slack_api_url": standin_url,
        "database_url": database_url,
        "timezone": "America/New_York",
        "admins": admins,
        "languages": ["en"],
        "holidays": "US",
        "deadlines_channel": "C_DEADLINES",
        "billing_channel": "C_BILLING",
        "reports_channel": "C_REPORTS",
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextmanager
def counting_statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement sent on ``db``'s engine while the block runs."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _build(clerk: Any, job: Any, day: date) -> int:
    from schedules.jobs import preview

    return len(preview(clerk, job, day))


def _clients_report(clerk: Any, day: date) -> int:
    """`/clerk report clients` without Slack: the analysis and its message (rows shown)."""
    from bot.reports.clients import analyse_clients
    from handlers.reports.client_report import analysis_message

    with clerk.db.reading() as session:
        found = analyse_clients(
            session, today=day, zone=clerk.settings.tz, currency=clerk.settings.currency
        )
    analysis_message(found)
    return len(found.by_industry) + len(found.by_size) + len(found.by_practice_area)


def _ran_the_day_before(clerk: Any, day: date) -> None:
    """Time an ordinary morning: the briefing ran on the working morning before, so today's
    run has no gap to catch up (a reused bench database may hold a run from a week ago, and
    the job would then say a week of missed steps, which is not what its plain-SQL floor
    selects)."""
    from schedules import job_runs as ledger
    from schedules.jobs import is_working_day

    before = day - timedelta(days=1)
    while not is_working_day(clerk, before):
        before -= timedelta(days=1)
    slot = datetime.combine(before, clock_time(8, 0), tzinfo=clerk.settings.tz)
    run_id = ledger.claim_slot(clerk.db, job="briefing", slot=slot, owner="bench")
    if run_id is not None:
        ledger.finish(clerk.db, run_id)


def measure_jobs(
    database_url: str, standin_url: str, admins: list[str], day: date, *, repeats: int
) -> list[JobFigures]:
    """Figures for every scheduled job on ``day`` (as if run at 08:31 that morning)."""
    from bot.app import build_clerk
    from bot.clock import Clock

    try:
        from handlers.scheduled import all_jobs
    except ImportError:
        return []
    settings = bench_settings(database_url, standin_url, admins)
    at = datetime.combine(day, clock_time(8, 31), tzinfo=settings.tz)
    clerk = build_clerk(settings, clock=Clock(at))
    clerk.warm_up()  # as `clerk run` does before serving
    _ran_the_day_before(clerk, day)
    found: list[JobFigures] = []
    try:
        builders: list[tuple[str, Callable[[], int]]] = [
            (job.name, functools.partial(_build, clerk, job, day)) for job in all_jobs()
        ]
        builders.append(("clients_report", functools.partial(_clients_report, clerk, day)))
        for name, build in builders:
            figures = JobFigures(name)
            found.append(figures)
            try:
                figures.messages = build()  # warm-up: caches, plans
                with counting_statements(clerk.db) as seen:
                    build()
                figures.statements = len(seen)
                times = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    build()
                    times.append((time.perf_counter() - started) * 1000)
                figures.build_ms = statistics.median(times)
                tracemalloc.start()
                try:
                    build()
                    figures.peak_kib = tracemalloc.get_traced_memory()[1] / 1024
                finally:
                    tracemalloc.stop()
            except Exception as exc:  # noqa: BLE001 - one failing job must not stop the bench
                figures.error = f"{type(exc).__name__}: {exc}"[:300]
                continue
            floor = FLOORS.get(name)
            if floor is None:
                continue
            run_floor(clerk.db, floor, day)  # warm-up
            floor_times = []
            for _ in range(repeats):
                elapsed, rows = run_floor(clerk.db, floor, day)
                floor_times.append(elapsed)
                figures.floor_rows = rows
            figures.floor_ms = statistics.median(floor_times)
    finally:
        clerk.db.dispose()
    return found
