"""``clerk digest --dry-run``: what the day's jobs would send, with times, sending nothing.

Uses the jobs' own builders (:func:`schedules.jobs.preview`), so what it prints is what the
scheduler would enqueue; nothing is queued and nothing is written.

A message whose outbox key is already there is left out, as the real run leaves it out
(``schedules.outbox.enqueue_many`` inserts only new keys): after a morning sent its DMs, a
dry run later that day must not list them as if they were still to go. They are counted by
their outbox status instead, so the operator sees they were not forgotten.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.clerk import Clerk
from schedules import outbox
from schedules.jobs import Planned, at_time, preview
from schedules.registry import proactive_of
from storage.models import OutboxStatus


@dataclass(frozen=True)
class Rehearsal:
    """What a dry run found: the messages the jobs would still queue, in time order, and how
    many of the day's planned messages are already in the outbox, by status."""

    found: list[tuple[datetime, Planned]]
    already: dict[OutboxStatus, int] = field(default_factory=dict)


def plan(clerk: Clerk, at: datetime) -> list[tuple[datetime, Planned]]:
    """Every message the jobs scheduled from the start of ``at``'s day up to ``at`` would
    still send: those already in the outbox are not sent again, so not listed."""
    return rehearse(clerk, at).found


def rehearse(clerk: Clerk, at: datetime) -> Rehearsal:
    """:func:`plan`, with the count of the messages left out because their key is queued."""
    zone = clerk.settings.tz
    local = at.astimezone(zone)
    day = local.date()
    due: list[tuple[datetime, Planned]] = []
    for job in proactive_of(clerk).jobs:
        when = at_time(day, job.time_of_day(clerk), zone)
        if when <= local and job.runs_on(day):
            for item in preview(clerk, job, day):
                # a reminder held for a lawyer's own morning is listed when it would go out
                sent = max(when, item.not_before.astimezone(zone)) if item.not_before else when
                if sent <= local:
                    due.append((sent, item))
    queued = _outbox_status(clerk, {item.key for _when, item in due})
    found = [(when, item) for when, item in due if item.key not in queued]
    already = Counter(queued[item.key] for _when, item in due if item.key in queued)
    # stable: job order within a time
    return Rehearsal(sorted(found, key=lambda pair: pair[0]), dict(already))


def _outbox_status(clerk: Clerk, keys: set[str]) -> dict[str, OutboxStatus]:
    """The status of each of ``keys`` already in the outbox."""
    with clerk.db.reading() as session:
        return outbox.statuses(session, keys)
