"""The job run ledger: one row per job and scheduled slot, claimed before the job runs.

The unique ``(job, slot)`` constraint is what makes "a slot never runs twice" true across
restarts, catch-up runs and several processes: whoever inserts the row runs the slot.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from storage.base import utc_now
from storage.db import Database
from storage.models import JobRun, JobRunStatus


def claim_slot(db: Database, *, job: str, slot: datetime, owner: str) -> int | None:
    """The run id if this caller won the slot, None if it already ran (or is running)."""
    try:
        with db.unit_of_work("system") as session:
            run = JobRun(job=job, slot=slot, owner=owner)
            session.add(run)
            session.flush()
            return run.id
    except IntegrityError:
        return None


def finish(db: Database, run_id: int, *, error: str | None = None) -> None:
    with db.unit_of_work("system") as session:
        session.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(
                status=JobRunStatus.FAILED if error else JobRunStatus.DONE,
                finished_at=utc_now(),
                error=error,
            )
        )
