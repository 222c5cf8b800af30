"""``clerk digest --dry-run``: what the day's jobs would send, with times, sending nothing."""

from __future__ import annotations

from datetime import datetime

from bot.clerk import Clerk
from schedules import jobs


def plan(clerk: Clerk, at: datetime) -> list[tuple[datetime, jobs.Planned]]:
    """Every message the jobs scheduled from the start of ``at``'s day up to ``at`` would send."""
    zone = clerk.settings.tz
    local = at.astimezone(zone)
    schedule = {
        "morning": (str(clerk.firm.get("digest_time")), jobs.MORNING),
        "billing": (str(clerk.firm.get("overdue_time")), jobs.BILLING),
    }
    found: list[tuple[datetime, jobs.Planned]] = []
    for hhmm, builders in schedule.values():
        when = jobs.at_time(local.date(), hhmm, zone)
        if when <= local:
            for item in jobs.run_builders(clerk, builders, local.date(), queue=False):
                found.append((when, item))
    return sorted(found, key=lambda pair: pair[0])
