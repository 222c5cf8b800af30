"""Follow-ups, as items of the morning briefing (``handlers.briefing.job``).

A contact whose follow-up date falls on a day the briefing speaks for (its morning, the
days up to the next working morning, the mornings missed while Clerk was down) is listed
in the briefing of whoever logged it, once: a follow-up left undone is not repeated every
morning (the App Home keeps listing it). One logged since the last briefing with a date
already past is due at once, and is listed too; a new firm's first briefing lists every
follow-up due.

A follow-up the client's responsible lawyer closed with their own contact (it answers for
everyone's) is told to its owner in their next briefing, once: each briefing reads the
closures since the one before (``plan_closed``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from bot.clients import morning as queries
from bot.dates.format import format_short


class FollowUpItem(NamedTuple):
    """What one follow-up's line in a briefing states. A named tuple: a morning plans a
    thousand."""

    contact_id: int
    client_id: int
    client_code: str
    client_name: str
    summary: str
    days: int  # the follow-up date less the day it is read: -3 was due 3 days ago
    day: str  # the follow-up date: "Mon 30 Nov"

    @classmethod
    def from_queued(cls, facts: Any) -> FollowUpItem:
        return cls(*facts)


class ClosedFollowUpItem(NamedTuple):
    """A follow-up of the reader's that a colleague's contact closed since their last
    briefing: said once, with no buttons (nothing is left to do)."""

    contact_id: int
    client_id: int
    client_code: str
    client_name: str
    summary: str
    day: str  # the follow-up date: "Mon 30 Nov"
    closed_by: str  # Slack id of whoever logged the contact that closed it

    @classmethod
    def from_queued(cls, facts: Any) -> ClosedFollowUpItem:
        return cls(*facts)


def plan_closed(
    session: Session, *, after: datetime, until: datetime
) -> list[tuple[str, ClosedFollowUpItem]]:
    """(whom, what) for each follow-up a colleague closed from ``after`` to ``until``."""
    return [
        (
            row.owner_slack_id,
            ClosedFollowUpItem(
                row.contact_id,
                row.client_id,
                row.client_code,
                row.client_name,
                row.summary,
                format_short(row.follow_up_on),
                row.closed_by_slack_id,
            ),
        )
        for row in queries.follow_ups_closed_by_colleagues(session, after=after, until=until)
    ]


def plan(
    session: Session,
    *,
    since: date,
    until: date,
    said_on: date,
    last_briefing: datetime | None,
) -> list[tuple[str, FollowUpItem]]:
    """(whom, what) for each open follow-up dated from ``since`` to ``until``, or due and
    logged since ``last_briefing`` (every one due, when no briefing ran before)."""
    texts: dict[date, tuple[int, str]] = {}  # each date's texts once: a thousand share a few
    found: list[tuple[str, FollowUpItem]] = []
    start = since if last_briefing is not None else None
    rows = queries.follow_ups_due(session, day=until, start=start, logged_since=last_briefing)
    for row in rows:
        day = texts.get(row.follow_up_on)
        if day is None:
            day = texts[row.follow_up_on] = (
                (row.follow_up_on - said_on).days,
                format_short(row.follow_up_on),
            )
        found.append(
            (
                row.logged_by_slack_id,
                FollowUpItem(
                    row.contact_id,
                    row.client_id,
                    row.client_code,
                    row.client_name,
                    row.summary,
                    *day,
                ),
            )
        )
    return found
