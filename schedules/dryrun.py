"""``clerk digest --dry-run``: what the day's jobs would send, with times, sending nothing.

Uses the jobs' own builders (:func:`schedules.jobs.preview`), so what it prints is what the
scheduler would enqueue; nothing is queued and nothing is written.
"""

from __future__ import annotations

from datetime import datetime

from bot.clerk import Clerk
from schedules.jobs import Planned, at_time, preview
from schedules.registry import proactive_of


def plan(clerk: Clerk, at: datetime) -> list[tuple[datetime, Planned]]:
    """Every message the jobs scheduled from the start of ``at``'s day up to ``at`` would send."""
    zone = clerk.settings.tz
    local = at.astimezone(zone)
    day = local.date()
    found: list[tuple[datetime, Planned]] = []
    for job in proactive_of(clerk).jobs:
        when = at_time(day, job.time_of_day(clerk), zone)
        if when <= local and job.runs_on(day):
            for item in preview(clerk, job, day):
                # a reminder held for a lawyer's own morning is listed when it would go out
                sent = max(when, item.not_before.astimezone(zone)) if item.not_before else when
                if sent <= local:
                    found.append((sent, item))
    return sorted(found, key=lambda pair: pair[0])  # stable: job order within a time
