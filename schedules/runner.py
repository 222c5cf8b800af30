"""The in-process scheduler: APScheduler 3 cron triggers in the firm time zone.

Exactly-once does not rest on APScheduler: each job claims its slot in the ``job_runs``
ledger and every message has an outbox key. APScheduler only decides *when* to look. On
start-up the most recent slot of each job is run if it was missed (once: the ledger says
whether it ran). On PostgreSQL only the process holding an advisory lock runs jobs; the
others retry and take over within ``LEADER_RETRY_S`` when it dies. ``--at`` shifts every
trigger by the clock's offset so a rehearsed morning fires on time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text

from bot.clerk import Clerk
from schedules import jobs, ledger
from schedules.delivery import deliver_due

log = logging.getLogger("clerk.scheduler")

LEADER_LOCK_KEY = 0x434C45524B  # "CLERK"
LEADER_RETRY_S = 20
DELIVERY_EVERY_S = 15
CATCH_UP_WITHIN = timedelta(hours=12)


class ShiftedTrigger(BaseTrigger):  # type: ignore[misc]
    """A trigger read on Clerk's clock: fires at real time = virtual time - offset."""

    def __init__(self, inner: BaseTrigger, offset: timedelta) -> None:
        self.inner = inner
        self.offset = offset

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        previous = previous_fire_time + self.offset if previous_fire_time else None
        found = self.inner.get_next_fire_time(previous, now + self.offset)
        return found - self.offset if found else None


class Leader:
    """PostgreSQL advisory lock held on a dedicated connection for the process lifetime."""

    def __init__(self, clerk: Clerk) -> None:
        self.clerk = clerk
        self.connection: Any = None
        self.lock = threading.Lock()

    def holds(self) -> bool:
        if self.clerk.db.is_sqlite:
            return True  # SQLite serves one office from one process
        with self.lock:
            if self.connection is not None:
                try:
                    self.connection.execute(text("SELECT 1"))
                    return True
                except Exception:  # noqa: BLE001 - a dead connection means we lost the lock
                    self.connection = None
            connection = self.clerk.db.engine.connect()
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_KEY}
            ).scalar()
            connection.commit()
            if got:
                self.connection = connection
                log.info("this process now runs the scheduler")
                return True
            connection.close()
            return False

    def release(self) -> None:
        with self.lock:
            if self.connection is not None:
                self.connection.close()
                self.connection = None


class Scheduler:
    def __init__(self, clerk: Clerk) -> None:
        self.clerk = clerk
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self.leader = Leader(clerk)
        self.aps = BackgroundScheduler(
            timezone=clerk.settings.tz,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )

    def _trigger(self, inner: BaseTrigger) -> BaseTrigger:
        offset = self.clerk.clock.offset
        return ShiftedTrigger(inner, offset) if offset else inner

    def _cron(self, hhmm: str) -> CronTrigger:
        hour, minute = (int(x) for x in hhmm.split(":"))
        return CronTrigger(hour=hour, minute=minute, timezone=self.clerk.settings.tz)

    def schedule(self) -> dict[str, str]:
        return {
            "morning": str(self.clerk.firm.get("digest_time")),
            "billing": str(self.clerk.firm.get("overdue_time")),
        }

    def start(self) -> Scheduler:
        for job, hhmm in self.schedule().items():
            self.aps.add_job(
                self.run_today,
                self._trigger(self._cron(hhmm)),
                args=[job],
                id=job,
                replace_existing=True,
            )
        self.aps.add_job(
            self.deliver,
            self._trigger(IntervalTrigger(seconds=DELIVERY_EVERY_S)),
            id="delivery",
            replace_existing=True,
        )
        self.aps.start()
        threading.Thread(target=self.catch_up, name="clerk-catch-up", daemon=True).start()
        return self

    def stop(self) -> None:
        self.aps.shutdown(wait=True)
        self.leader.release()

    def today(self) -> date:
        return self.clerk.clock.now_in(self.clerk.settings.tz).date()

    def catch_up(self) -> None:
        """Run today's slots whose time has passed while Clerk was down (once)."""
        now = self.clerk.now()
        for job, hhmm in self.schedule().items():
            slot = jobs.at_time(self.today(), hhmm, self.clerk.settings.tz)
            if slot <= now and now - slot <= CATCH_UP_WITHIN:
                self.run_slot(job, slot)
        self.deliver()

    def run_today(self, job: str) -> None:
        slot = jobs.at_time(self.today(), self.schedule()[job], self.clerk.settings.tz)
        self.run_slot(job, slot)
        self.deliver()

    def run_slot(self, job: str, slot: datetime) -> None:
        if not self.leader.holds():
            return
        run_id = ledger.claim_slot(self.clerk.db, job=job, slot=slot, owner=self.owner)
        if run_id is None:
            return  # this slot already ran (another process, or before a restart)
        builders = jobs.MORNING if job == "morning" else jobs.BILLING
        try:
            jobs.run_builders(self.clerk, builders, slot.date(), queue=True)
        except Exception as exc:
            log.exception("job %s for %s failed", job, slot)
            ledger.finish(self.clerk.db, run_id, error=type(exc).__name__)
            return
        ledger.finish(self.clerk.db, run_id)

    def deliver(self) -> None:
        if self.leader.holds():
            deliver_due(self.clerk, owner=self.owner)


def start(clerk: Clerk) -> Scheduler:
    return Scheduler(clerk).start()
