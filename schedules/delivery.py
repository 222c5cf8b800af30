"""Delivering the outbox exactly once, a few channels at a time, within Slack's limits.

A row is claimed by a conditional UPDATE (pending -> sending), so two processes never both
send it, and settled by ``schedules.sending``. A row left in ``sending`` by a process that
died is put back after ``STUCK_AFTER``, marked as one that may have been posted.

A delivery round (:class:`Courier`) reads what is due in pages and sends it in lanes, one per
channel: a lane sends its channel's rows in the order they were queued (a digest in three
parts arrives in order), and a small pool of workers serves several lanes at once, so the
morning's hundreds of DMs (each its own channel) go out in parallel while no channel gets
more than one post a second (``schedules.pacing``). Channel posts are taken before DMs: the
digest is never queued behind hundreds of DMs. A row sent back for a retry or held for a
``Retry-After`` holds back the later rows of its channel, and is not taken again before its
time by any round: a fresh row is due at once, a row that has been tried only at its
``next_attempt_at``.

One round runs at a time in a process (the scheduler's jobs and its interval both deliver),
so two rounds never split one channel's rows between them. The scheduler's courier lives as
long as the process and remembers Slack's limits across rounds; when it is told to stop
(``clerk run`` got SIGTERM) workers finish the call in flight, claim nothing more and never
wait out a rate limit, so every row is left pending or settled, none stuck mid-send.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import and_, case, func, or_, select, update

from bot.clerk import Clerk
from schedules.pacing import Pacer
from schedules.sending import (
    HELD_FOR_LIMITS,
    MAX_ATTEMPTS,
    MAYBE_POSTED,
    METADATA_TYPE,
    Outcome,
    Turns,
    backoff,
    claim,
    report_failure,
    send_one,
)
from storage.models import OutboxMessage, OutboxStatus

__all__ = [
    "CUT_OFF",
    "HELD_FOR_LIMITS",
    "MAX_ATTEMPTS",
    "METADATA_TYPE",
    "POOL",
    "STUCK_AFTER",
    "Courier",
    "backoff",
    "deliver_due",
]

log = logging.getLogger("clerk.delivery")

STUCK_AFTER = timedelta(minutes=10)
CUT_OFF = f"cut off while sending; {MAYBE_POSTED}"
POOL = 4  # channels served at once: enough for a morning's DMs, gentle on a small server
PAGE = 200  # due rows read at a time: a round's memory does not grow with the morning
ROUND_WAIT_S = 0.5  # how often a round waiting for the one in progress looks for a stop

# Kept for the tests and tools that reach into delivery's steps.
_claim = claim
_report_failure = report_failure


class Courier:
    """Delivery rounds for one process: its pacer, its pool size and its stop signal."""

    def __init__(
        self,
        clerk: Clerk,
        *,
        pool: int = POOL,
        pacer: Pacer | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.clerk = clerk
        self.pool = pool
        self.pacer = pacer or Pacer()
        self.stop = stop or threading.Event()
        self._round = threading.Lock()

    def deliver(self, *, owner: str, limit: int | None = None) -> int:
        """Send what is due (at most ``limit`` rows); how many were sent or settled."""
        while not self._round.acquire(timeout=ROUND_WAIT_S):
            if self.stop.is_set():
                return 0
        try:
            _release_stuck(self.clerk)
            turns = Turns(self.pacer, self.stop)
            handled = 0
            with ThreadPoolExecutor(self.pool, thread_name_prefix="clerk-delivery") as workers:
                while not self.stop.is_set():
                    room = PAGE if limit is None else min(PAGE, limit - handled)
                    lanes = _due_lanes(self.clerk, room) if room > 0 else []
                    if not lanes:
                        break
                    settled = sum(workers.map(lambda lane: self._lane(lane, owner, turns), lanes))
                    handled += settled
                    if settled == 0:
                        break  # everything due was held for Slack's limits
            return handled
        finally:
            self._round.release()

    def _lane(self, lane: list[OutboxMessage], owner: str, turns: Turns) -> int:
        """One channel's rows in order, until one has to wait (the rest wait behind it)."""
        settled = 0
        for message in lane:
            if self.stop.is_set():
                break
            if not claim(self.clerk, message.id, owner):
                continue  # another process has it
            outcome = send_one(self.clerk, message, turns)
            if outcome is Outcome.HELD:
                break
            settled += 1
            if outcome is Outcome.RETRY:
                break
        return settled


def deliver_due(
    clerk: Clerk, *, owner: str, limit: int | None = None, courier: Courier | None = None
) -> int:
    """Send what is due; returns how many rows were sent or settled.

    Without a ``courier`` (tests, tools) a one-off one is used, with its own pacer.
    """
    return (courier or Courier(clerk)).deliver(owner=owner, limit=limit)


def _release_stuck(clerk: Clerk) -> None:
    """Rows a dead process left ``sending``: pending again, marked as maybe posted."""
    with clerk.db.unit_of_work("system") as session:
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_at < clerk.now() - STUCK_AFTER,
            )
            .values(status=OutboxStatus.PENDING, last_error=CUT_OFF)
        )


def _due_lanes(clerk: Clerk, room: int) -> list[list[OutboxMessage]]:
    """Up to ``room`` due rows, as one lane per channel: channels first, then DMs, each in
    the order queued. A channel with a row waiting for its retry gets nothing now."""
    now = clerk.now()
    row = OutboxMessage
    channel = func.coalesce(row.slack_channel, row.target)
    # a fresh row is due at once, even one queued by a process whose clock (--at) ran ahead
    # of this one's; a row that was tried (or held) only at its time
    fresh = and_(row.attempts == 0, row.last_error.is_(None))
    timely = or_(fresh, row.next_attempt_at <= now)
    with clerk.db.reading() as session:
        waiting = list(
            session.scalars(
                select(channel).where(row.status == OutboxStatus.PENDING, ~timely).distinct()
            )
        )
        query = (
            select(row)
            .where(
                row.status == OutboxStatus.PENDING,
                timely,
                or_(row.not_before.is_(None), row.not_before <= now),
            )
            .order_by(case((or_(row.target.like("U%"), row.target.like("W%")), 1), else_=0), row.id)
            .limit(room)
        )
        if waiting:
            query = query.where(channel.not_in(waiting))
        due = session.scalars(query).all()
    lanes: dict[str, list[OutboxMessage]] = {}
    for message in due:
        lanes.setdefault(message.slack_channel or message.target, []).append(message)
    return list(lanes.values())
