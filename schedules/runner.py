"""The in-process scheduler: APScheduler 3 cron triggers in the firm time zone.

Exactly-once does not rest on APScheduler: each job claims its slot in the ``job_runs``
ledger and every message has an outbox key; APScheduler only decides *when* to look (a
MemoryJobStore, since static jobs need no pickled persistent store). On start-up, and when
this process becomes the leader, the most recent slot of each job is run if it was missed and
is less than a day old. On PostgreSQL only the process holding a session-level advisory lock
on a dedicated connection runs jobs and deliveries; the others retry every ``LEADER_RETRY_S``
and take over when it dies. ``--at`` shifts every trigger by the clock's offset so a rehearsed
morning fires on time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.clerk import Clerk
from schedules import job_runs as ledger
from schedules.delivery import Courier
from schedules.jobs import Job, run_job
from schedules.registry import proactive_of
from storage.housekeeping import purge_expired_confirmations

log = logging.getLogger("clerk.scheduler")

LEADER_LOCK_KEY = 0x434C45524B  # "CLERK" as a number: one lock per database
LEADER_RETRY_S = 20
DELIVERY_EVERY_S = 30
TIDY_EVERY_S = 3600


class ShiftedTrigger(BaseTrigger):  # type: ignore[misc]
    """A trigger read on Clerk's clock: fires at real time = virtual time - offset.

    APScheduler passes real times (``previous_fire_time``, ``now``) and expects a real time
    back; the inner trigger (e.g. 08:00 in the firm zone) speaks virtual time.
    """

    def __init__(self, inner: BaseTrigger, offset: timedelta) -> None:
        self.inner = inner
        self.offset = offset

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        # Shifted in UTC: an offset added to a zone-aware time is wall-clock arithmetic, and
        # across a daylight-saving change it fired an hour early or late.
        shift = self.offset
        previous = previous_fire_time.astimezone(UTC) + shift if previous_fire_time else None
        found = self.inner.get_next_fire_time(previous, now.astimezone(UTC) + shift)
        return found.astimezone(UTC) - shift if found else None

    def __str__(self) -> str:
        return f"{self.inner} shifted by {self.offset}"


class Leader:
    """The PostgreSQL advisory lock, held on a dedicated connection for the process lifetime.

    The lock is session-level: it goes when the connection does, so a killed leader frees it
    and a follower's next try (every ``LEADER_RETRY_S``) takes over.
    """

    def __init__(self, clerk: Clerk) -> None:
        self.clerk = clerk
        self.connection: Any = None
        self.lock = threading.Lock()

    def holds(self) -> bool:
        """True if this process leads, trying to become the leader if it does not."""
        if self.clerk.db.is_sqlite:
            return True  # SQLite serves one office from one process
        with self.lock:
            if self.connection is not None:
                try:
                    self.connection.execute(text("SELECT 1"))
                    self.connection.commit()
                    return True
                except SQLAlchemyError:
                    log.warning("lost the scheduler lock's connection")
                    self.connection = None
            try:
                connection = self.clerk.db.engine.connect()
                got = connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_KEY}
                ).scalar()
                connection.commit()
            except SQLAlchemyError:
                log.warning("could not ask for the scheduler lock", exc_info=True)
                return False
            if got:
                self.connection = connection
                log.info("this process now runs the scheduler")
                return True
            connection.close()
            return False

    def release(self) -> None:
        with self.lock:
            if self.connection is not None:
                try:
                    self.connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK_KEY}
                    )
                    self.connection.commit()
                except SQLAlchemyError:
                    pass  # closing the connection frees the lock anyway
                self.connection.close()
                self.connection = None


class Scheduler:
    def __init__(self, clerk: Clerk) -> None:
        self.clerk = clerk
        self.owner = f"{socket.gethostname()}:{os.getpid()}"[:64]
        self.leader = Leader(clerk)
        self.was_leader = False
        self.catching_up: threading.Thread | None = None
        self.contending = threading.Lock()  # start-up thread and the leader tick
        # One courier for the process: it remembers Slack's limits from round to round, and
        # stop() tells it to claim nothing more and wait out no rate limit.
        self.courier = Courier(clerk)
        self.aps = BackgroundScheduler(
            timezone=clerk.settings.tz,
            jobstores={"default": MemoryJobStore()},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )

    def cron(self, job: Job) -> CronTrigger:
        """The job's trigger in virtual (Clerk clock) time, in the firm time zone."""
        hour, minute = (int(x) for x in job.time_of_day(self.clerk).split(":"))
        return CronTrigger(
            day=job.cron_day,
            day_of_week=job.days,
            hour=hour,
            minute=minute,
            timezone=self.clerk.settings.tz,
        )

    def real(self, trigger: BaseTrigger) -> BaseTrigger:
        offset = self.clerk.clock.offset
        return ShiftedTrigger(trigger, offset) if offset else trigger

    def start(self) -> Scheduler:
        for job in proactive_of(self.clerk).jobs:
            self.aps.add_job(
                self.fire,
                self.real(self.cron(job)),
                args=[job.name],
                id=job.name,
                name=job.name,
                replace_existing=True,
            )
        self.aps.add_job(
            self.deliver,
            IntervalTrigger(seconds=DELIVERY_EVERY_S),
            id="delivery",
            replace_existing=True,
        )
        self.aps.add_job(
            self.tidy,
            IntervalTrigger(seconds=TIDY_EVERY_S),
            id="housekeeping",
            replace_existing=True,
        )
        if not self.clerk.db.is_sqlite:
            self.aps.add_job(
                self.contend,
                IntervalTrigger(seconds=LEADER_RETRY_S),
                id="leader",
                replace_existing=True,
            )
        self.aps.start()
        self.catching_up = threading.Thread(target=self.contend, name="clerk-catch-up", daemon=True)
        self.catching_up.start()
        return self

    def stop(self) -> None:
        self.courier.stop.set()  # first: a round in progress ends after the call in flight
        self.aps.shutdown(wait=True)
        if self.catching_up is not None:
            self.catching_up.join(timeout=30)
        self.leader.release()

    def today(self) -> date:
        return self.clerk.today()

    def contend(self) -> None:
        """Try to lead; on becoming the leader (or at start-up), catch up missed slots."""
        with self.contending:
            leads = self.leader.holds()
            if leads and not self.was_leader:
                self.was_leader = True
                self.catch_up()
            self.was_leader = leads

    def catch_up(self) -> None:
        """Run each job's most recent slot if it passed unrun less than a day ago (once).

        A snapshot job's slot from yesterday is left alone when the job runs again today.
        """
        now = self.clerk.now()
        today = self.today()
        for job in proactive_of(self.clerk).jobs:
            slot = ledger.most_recent_slot(self.cron(job), now)
            if slot is None:
                continue
            stale = slot.astimezone(self.clerk.settings.tz).date() < today
            if job.snapshot and stale and job.runs_on(today):
                continue  # today's run says it all again, up to date
            if not ledger.has_run(self.clerk.db, job=job.name, slot=slot):
                log.info("catching up %s for %s", job.name, slot)
                self.run_slot(job.name, slot)
        self.deliver()

    def fire(self, name: str) -> None:
        """APScheduler's entry point: the slot is the trigger's time today, in virtual time."""
        job = proactive_of(self.clerk).job_named(name)
        slot = ledger.most_recent_slot(self.cron(job), self.clerk.now())
        if slot is not None:
            self.run_slot(name, slot)
        self.deliver()

    def run_slot(self, name: str, slot: datetime) -> bool:
        """Run ``name`` for ``slot`` if this process leads and nobody ran it; True if it ran."""
        if not self.leader.holds():
            return False
        run_id = ledger.claim_slot(self.clerk.db, job=name, slot=slot, owner=self.owner)
        if run_id is None:
            return False  # this slot already ran (another process, or before a restart)
        day = slot.astimezone(self.clerk.settings.tz).date()
        try:
            run_job(self.clerk, proactive_of(self.clerk).job_named(name), day)
        except Exception as exc:  # noqa: BLE001 - record the failure; the next slot still runs
            log.exception("job %s for %s failed", name, slot)
            ledger.finish(self.clerk.db, run_id, error=f"{type(exc).__name__}: {exc}"[:2000])
            return False
        ledger.finish(self.clerk.db, run_id)
        return True

    def tidy(self) -> None:
        """Drop expired *Confirm* previews (they hold client text nobody can use any more),
        and let the database refresh its planner statistics."""
        if self.leader.holds():
            purged = purge_expired_confirmations(self.clerk.db, now=self.clerk.now())
            if purged:
                log.info("removed %d expired confirmation previews", purged)
            self.clerk.db.refresh_planner_statistics()  # the firm grows: keep plans right

    def deliver(self) -> None:
        if self.leader.holds():
            self.courier.deliver(owner=self.owner)


def start(clerk: Clerk) -> Scheduler:
    """Start the scheduler in background threads; call ``.stop()`` on the result at exit."""
    return Scheduler(clerk).start()
