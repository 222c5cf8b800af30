"""The morning deadline digest for the deadlines channel (working days only).

Missed (open, due before today), due today, and each day of the next 7; on a Friday the
look-ahead is stretched through the Monday after next week's, so nothing due over the weekend
or on the Monday morning is first seen on Monday. Triggers (events such as service of the
complaint) are not tasks and never listed. An empty digest posts nothing unless the firm
asked for ``post_empty_digests``.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.deadlines import morning as queries
from handlers.deadlines.digest_views import digest_messages
from schedules.jobs import Planned, is_working_day

LOOK_AHEAD_DAYS = 7
FRIDAY_EXTRA_DAYS = 3  # Friday + 7 = Friday; +3 reaches the Monday after


def horizon(day: date) -> date:
    extra = FRIDAY_EXTRA_DAYS if day.weekday() == 4 else 0
    return day + timedelta(days=LOOK_AHEAD_DAYS + extra)


def build(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    channel = clerk.firm.get("deadlines_channel", session)
    if not channel or not is_working_day(clerk, day):
        return []
    until = horizon(day)
    items = queries.digest_deadlines(session, end=until)
    if not items and not clerk.firm.get("post_empty_digests", session):
        return []
    pages = digest_messages(items, day=day, horizon=until, zone=clerk.settings.tz)
    key = f"digest:{day}:{channel}"
    return [
        Planned(key if number == 1 else f"{key}:{number}", str(channel), "deadline_digest", page)
        for number, page in enumerate(pages, start=1)
    ]
