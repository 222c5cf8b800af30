"""The job run ledger: one row per job and scheduled slot, claimed before the job runs.

The unique ``(job, slot)`` constraint is what makes "a slot never runs twice" true across
restarts, catch-up runs and several processes: whoever inserts the row runs the slot; an
IntegrityError means another run already did (or is doing) it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import JobRun, JobRunStatus

CATCH_UP_WITHIN = timedelta(days=1)


def claim_slot(db: Database, *, job: str, slot: datetime, owner: str) -> int | None:
    """The run id if this caller won the slot, None if it already ran (or is running)."""
    try:
        with db.unit_of_work("system") as session:
            run = JobRun(job=job, slot=slot.astimezone(UTC), owner=owner[:64])
            session.add(run)
            session.flush()
            return run.id
    except IntegrityError:
        return None


def has_run(db: Database, *, job: str, slot: datetime) -> bool:
    with db.reading() as session:
        found = session.scalar(
            select(JobRun.id).where(JobRun.job == job, JobRun.slot == slot.astimezone(UTC))
        )
    return found is not None


def finish(db: Database, run_id: int, *, error: str | None = None) -> None:
    with db.unit_of_work("system") as session:
        session.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(
                status=JobRunStatus.FAILED if error else JobRunStatus.DONE,
                finished_at=db.now(),
                error=error,
            )
        )


def most_recent_slot(
    trigger: BaseTrigger, now: datetime, *, within: timedelta = CATCH_UP_WITHIN
) -> datetime | None:
    """The latest fire time of ``trigger`` at or before ``now`` and no older than ``within``.

    APScheduler triggers only look forward, so walk forward from ``now - within``.
    """
    found = None
    previous = None
    fire = trigger.get_next_fire_time(None, now - within)
    while fire is not None and fire <= now:
        found = fire
        previous = fire
        fire = trigger.get_next_fire_time(previous, previous + timedelta(seconds=1))
    return found
