"""What Clerk says on its own, as jobs that *build* messages and then *enqueue* them.

Each job is a pure build (what would be sent for a given day, from one set-based query) plus
the shared :func:`run_job`, which enqueues under deterministic outbox keys. So
``clerk digest --dry-run`` prints exactly what the scheduler would send (:func:`preview`),
and a re-run of a job queues nothing new.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Any, NamedTuple, Protocol

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from schedules.outbox import Queued, enqueue_many


class Payload(Protocol):
    """A message as ``chat.postMessage`` takes it (``text``, ``blocks``...)."""

    def payload(self) -> dict[str, Any]: ...


class Content(Payload, Protocol):
    """What a job queues: a message, or the facts a message is drawn from when it is sent.
    ``render`` gives the message as Slack will show it (a message renders as itself)."""

    def render(self) -> Any: ...


log = logging.getLogger("clerk.jobs")


class Planned(NamedTuple):
    """One message a job would send: its outbox key, where it goes, and what it says.

    A named tuple: a month-end morning plans thousands of reminder DMs, and a frozen
    dataclass's ``__init__`` (a ``setattr`` per field) cost more per DM than planning it.
    """

    key: str
    target: str  # a channel id, or a user id (U…/W…) for a DM
    kind: str
    # What is queued: the message itself, or a reminder's or follow-up's facts, drawn into
    # the DM when it is sent (``handlers.scheduled``). Each gives its outbox payload by
    # ``payload()``.
    content: Content
    # Stored with the message for delivery but not sent as chat.postMessage arguments: a
    # report's chart numbers (``handlers.reports.report_job``), redrawn and uploaded at send time.
    extra: Mapping[str, Any] | None = None
    # Held back until then (a reminder waits for the lawyer's own morning); None: at once.
    not_before: datetime | None = None

    @property
    def message(self) -> Any:
        """The message as Slack will show it."""
        return self.content.render()

    @property
    def is_dm(self) -> bool:
        return self.target[:1] in ("U", "W")


Builder = Callable[[Clerk, Session, date], list[Planned]]


@dataclass(frozen=True)
class Job:
    """A scheduled job: its name (the ledger's and APScheduler's id), the firm setting holding
    its time of day, the cron day-of-week (and day of the month, if any) it fires on, and its
    builder."""

    name: str
    time_setting: str
    days: str  # APScheduler cron day_of_week: "*", "mon-fri", "mon"
    build: Builder
    # A snapshot (the digest, the overdue post, follow-ups due) is superseded by the same
    # day's run: yesterday's missed slot is not caught up on a day the job runs again.
    snapshot: bool = False
    day_of_month: int | None = None  # the monthly report: day 1, whatever the weekday

    @property
    def cron_day(self) -> str:
        """APScheduler cron ``day``: every day of the month, or the one it runs on."""
        return str(self.day_of_month) if self.day_of_month else "*"

    def time_of_day(self, clerk: Clerk) -> str:
        return str(clerk.firm.get(self.time_setting))

    def runs_on(self, day: date) -> bool:
        if self.day_of_month is not None and day.day != self.day_of_month:
            return False
        if self.days == "*":
            return True
        if self.days == "mon-fri":
            return day.weekday() < 5
        return day.weekday() == 0  # "mon"


def is_working_day(clerk: Clerk, day: date) -> bool:
    """Not a weekend, a legal holiday of the firm's calendar, or a firm closure day."""
    return day.weekday() < 5 and clerk.court_calendar().is_court_day(day)


def at_time(day: date, hhmm: str, zone: tzinfo) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def run_job(clerk: Clerk, job: Job, day: date) -> list[Planned]:
    """Build the job's messages for ``day`` and enqueue them, in one unit of work (one
    batched insert: a thousand reminder DMs are a few statements, not a thousand)."""
    with clerk.db.unit_of_work("system") as session:
        planned = job.build(clerk, session, day)
        added = enqueue_many(
            session,
            (
                Queued(
                    item.key,
                    item.target,
                    item.kind,
                    {**item.content.payload(), **(item.extra or {})},
                    item.not_before,
                )
                for item in planned
            ),
        )
    log.info("%s for %s: %s messages, %s new", job.name, day, len(planned), added)
    return planned


def preview(clerk: Clerk, job: Job, day: date) -> list[Planned]:
    """What ``run_job`` would enqueue, building inside a unit of work that is rolled back
    (the overdue job records stage changes while building: a dry run must keep none)."""
    with clerk.db.unit_of_work("system") as session:
        planned = job.build(clerk, session, day)
        session.rollback()
    return planned
