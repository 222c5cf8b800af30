"""The morning delivered at Slack's pace: the busiest 08:00 replayed through a limited stand-in.

The scheduler run (``bot.tools.bench.run``) has built and sent the firm's Monday once, to an
unlimited stand-in. Here its 08:00 messages (the digest and the briefings) are put back in
the outbox as they were queued and delivered again by the scheduler's own delivery
(``schedules.delivery.Courier``), in this process, through a stand-in in "real Slack" mode:
100 ms a call, one post a second per channel, each method's tier, 429 with Retry-After.

Reported: the messages and the people they went to, the items the briefings hold (what the
per-item DMs of an older Clerk numbered, and the minutes its ``conversations.open`` per DM
cost at Tier 3's 50 a minute), seconds from 08:00 to the last message (the 08:00 jobs'
build, from the job ledger, plus delivery), Web API calls per message by method, 429s (and
those after the first minute), DMs per person, and the peak Python memory of delivering a
hundred messages and of delivering them all (flat: rows are read in pages, not all at once).
"""

from __future__ import annotations

import multiprocessing
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from multiprocessing.connection import Connection
from typing import Any

from sqlalchemy import or_, select, update

from bot.tools.bench.digests import bench_settings
from bot.tools.standin.limits import RealSlack
from bot.tools.standin.server import SlackStandIn
from storage.db import Database
from storage.models import JobRun, OutboxMessage, OutboxStatus

TIER_3_PER_MINUTE = 50  # conversations.open, once per DM before the briefing
MORNING_JOBS = ("deadline_digest", "briefing")
SAMPLE = 100  # messages delivered for the small end of the memory comparison


def _morning_rows(day: date) -> Any:
    """The 08:00 jobs' rows of ``day``: the digest's parts and the briefings."""
    return or_(
        OutboxMessage.key.like(f"digest:{day.isoformat()}:%"),
        OutboxMessage.key.like(f"briefing:%:{day.isoformat()}"),
    )


def _replay(db: Database, day: date, morning: datetime) -> tuple[int, int, int, int]:
    """Put the morning's rows back as queued; (due at 08:00, held for later zones, items,
    other jobs' rows held back).

    What the scheduler run left unsent of the later jobs (the 08:30 job's collections and
    budget DMs, still being paced out when it stopped) is not the 08:00's: it is held until
    the next day, so the replay delivers the 08:00 alone and its DMs per person count the
    08:00 alone."""
    where = _morning_rows(day)
    with db.unit_of_work("bench") as session:
        later = session.execute(
            update(OutboxMessage)
            .where(
                ~where,
                OutboxMessage.status == OutboxStatus.PENDING,
                or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= morning),
            )
            .values(not_before=morning + timedelta(days=1))
        ).rowcount
        session.execute(
            update(OutboxMessage)
            .where(where)
            .values(
                status=OutboxStatus.PENDING,
                attempts=0,
                last_error=None,
                slack_ts=None,
                slack_channel=None,
                claimed_by=None,
                claimed_at=None,
                sent_at=None,
                next_attempt_at=morning,
            )
        )
    due = held = items = 0
    with db.reading() as session:
        for not_before, payload in session.execute(
            select(OutboxMessage.not_before, OutboxMessage.payload).where(where)
        ):
            if not_before is not None and not_before > morning:
                held += 1
            else:
                due += 1
            items += len((payload.get("briefing") or {}).get("items") or [])
    return due, held, items, int(later or 0)


def _build_seconds(db: Database, day: date, zone: Any) -> float:
    """How long the 08:00 jobs took to build and queue, from the job ledger."""
    slot = datetime.combine(day, clock_time(8, 0), tzinfo=zone)
    with db.reading() as session:
        runs = session.execute(
            select(JobRun.started_at, JobRun.finished_at).where(
                JobRun.job.in_(MORNING_JOBS), JobRun.slot == slot
            )
        ).all()
    return sum((done - began).total_seconds() for began, done in runs if done is not None)


def _courier(database_url: str, slack_url: str, morning: datetime) -> Any:
    """The scheduler's delivery, in this process, its clock at 08:00 and its Slack the
    stand-in at ``slack_url``."""
    from bot.app import build_clerk
    from bot.clock import Clock
    from schedules.delivery import Courier

    clerk = build_clerk(bench_settings(database_url, slack_url, []), clock=Clock(morning))
    return Courier(clerk)


def measure_delivery(
    database_url: str, day: date, *, zone: Any, latency_s: float = 0.1
) -> dict[str, Any]:
    """Replay ``day``'s 08:00 through a stand-in with Slack's latency and limits."""
    morning = datetime.combine(day, clock_time(8, 0), tzinfo=zone)
    db = Database(database_url)
    try:
        due, held, items, later = _replay(db, day, morning)
        build_s = _build_seconds(db, day, zone)
    finally:
        db.dispose()
    with SlackStandIn(real_slack=RealSlack(latency_s=latency_s)) as standin:
        courier = _courier(database_url, standin.url, morning)
        try:
            started = time.time()
            sent = courier.deliver(owner="bench")
            took = time.time() - started
        finally:
            courier.clerk.db.dispose()
        calls = standin.calls()
    figures = _figures(calls, sent, due, held, items, build_s, started, took)
    figures["later_jobs_held"] = later
    figures["memory"] = _memory(database_url, day, morning)
    return figures


def _figures(
    calls: list[Any],
    sent: int,
    due: int,
    held: int,
    items: int,
    build_s: float,
    started: float,
    took: float,
) -> dict[str, Any]:
    posts = [c for c in calls if c.method == "chat.postMessage" and c.ok]
    last = max((c.at for c in posts), default=started + took)
    refused = [c for c in calls if c.status == 429]
    per_person = Counter(str(c.params.get("channel")) for c in posts if _is_user(c))
    by_method = Counter(c.method for c in calls)
    return {
        "messages_due_at_8": due,
        "messages_sent": sent,
        "held_for_readers_mornings": held,
        "dms": sum(per_person.values()),
        "channel_posts": len(posts) - sum(per_person.values()),
        "people": len(per_person),
        "briefing_items": items,
        "before_per_item_dms": items,
        "before_open_minutes": round(items / TIER_3_PER_MINUTE, 1),
        "jobs_build_s": round(build_s, 2),
        "delivery_s": round(took, 2),
        "to_last_message_s": round(build_s + (last - started), 2),
        "calls": sum(by_method.values()),
        "calls_per_message": round(sum(by_method.values()) / max(sent, 1), 3),
        "calls_by_method": dict(by_method),
        "rate_limited": len(refused),
        "rate_limited_after_first_minute": sum(1 for c in refused if c.at - started > 60),
        "most_dms_to_one_person": max(per_person.values(), default=0),
    }


def _is_user(call: Any) -> bool:
    return str(call.params.get("channel"))[:1] in ("U", "W")


def _serve_standin(conn: Connection) -> None:
    """A child process's life: an unlimited stand-in, its URL sent back, until told to stop."""
    with SlackStandIn() as standin:
        conn.send(standin.url)
        conn.recv()


@contextmanager
def _standin_elsewhere() -> Iterator[str]:
    """An unlimited stand-in in a child process, so that what it keeps of every message it
    is sent (its call log) is not counted as the delivering process's memory."""
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    child = multiprocessing.get_context("spawn").Process(target=_serve_standin, args=(theirs,))
    child.start()
    try:
        yield str(ours.recv())
    finally:
        ours.send("stop")
        child.join(timeout=30)


def _memory(database_url: str, day: date, morning: datetime) -> dict[str, Any]:
    """Peak Python memory (KiB) of delivering ``SAMPLE`` messages, then all of them, to an
    unlimited stand-in in another process (the figure is about delivery, not about waiting,
    nor about the stand-in's log of what it was sent)."""
    found: dict[str, Any] = {}
    for label, limit in (("sample", SAMPLE), ("all", None)):
        db = Database(database_url)
        try:
            _replay(db, day, morning)
        finally:
            db.dispose()
        with _standin_elsewhere() as url:
            courier = _courier(database_url, url, morning)
            try:
                tracemalloc.start()
                try:
                    sent = courier.deliver(owner="bench", limit=limit)
                    peak = tracemalloc.get_traced_memory()[1] / 1024
                finally:
                    tracemalloc.stop()
            finally:
                courier.clerk.db.dispose()
        found[label] = {"messages": sent, "peak_kib": round(peak, 1)}
    return found
