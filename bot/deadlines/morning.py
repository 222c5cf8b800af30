"""What the morning jobs read of deadlines: the digest's lines and the reminder chain's rows.

One set-based statement per job, joined with the matter, client and people it names, so a
firm with thousands of deadlines is one round trip, not one per row.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from bot.deadlines.service import LIST_ORDER
from storage.models import Deadline, DeadlineStatus, Matter, User


class DigestItem(NamedTuple):
    """One deadline line of the digest, with what the query joined in. A named tuple, made
    straight from the driver's row (a large firm's digest reads thousands)."""

    deadline_id: int
    matter_code: str
    title: str
    due_on: date
    due_at: datetime | None
    lawyer_slack_id: str | None
    citation: str | None = None


class ReminderRow(NamedTuple):
    """One deadline the reminder chain may speak of: what its DM shows (the fields of
    :class:`DigestItem`, so the reminder view reads it as one) plus who else is told and
    the snooze. A named tuple, made straight from the driver's row: a morning reads
    hundreds of them, and a frozen dataclass (or two) per row cost more than the SQL."""

    deadline_id: int
    matter_code: str
    title: str
    due_on: date
    due_at: datetime | None
    lawyer_slack_id: str | None
    citation: str | None
    assignee_slack_id: str | None
    snoozed_until: datetime | None


# The statements are built once per process (their shape never changes; only the bound days
# do): composing the joins and aliases anew each morning cost a millisecond per job.
_responsible = aliased(User, name="responsible")
_assignee = aliased(User, name="assignee")
_DIGEST = (
    select(
        Deadline.id,
        Matter.code,
        Deadline.title,
        Deadline.due_on,
        Deadline.due_at,
        _responsible.slack_id,
        Deadline.citation,
    )
    .join(Matter, Matter.id == Deadline.matter_id)
    .outerjoin(_responsible, _responsible.id == Deadline.responsible_id)
    .where(
        Deadline.status == DeadlineStatus.OPEN,
        Deadline.is_trigger.is_(False),
        Deadline.due_on <= bindparam("end"),
    )
    .order_by(*LIST_ORDER)  # a day's all-day items first, then timed ones by time
)
# the digest's columns, then who else is told and the snooze
_REMINDERS = (
    _DIGEST.add_columns(_assignee.slack_id, Deadline.reminders_snoozed_until)
    .outerjoin(_assignee, _assignee.id == Deadline.assignee_id)
    .where(
        Deadline.due_on >= bindparam("start"),
        or_(
            Deadline.due_on.in_(bindparam("days", expanding=True)),
            Deadline.reminders_snoozed_until.is_not(None),
        ),
    )
)


def digest_deadlines(session: Session, *, end: date) -> list[DigestItem]:
    """Open, non-trigger deadlines due on or before ``end`` (missed ones included), in the
    digest's order. Only the digest's columns: no assignee join, no snooze."""
    # .all(): one fetchall; iterating the result would fetch (and wrap) row by row
    result = session.connection().execute(_DIGEST, {"end": end})
    return list(map(DigestItem._make, result.all()))


def reminder_deadlines(
    session: Session, *, start: date, end: date, due_on_in: Collection[date]
) -> list[ReminderRow]:
    """Open, non-trigger deadlines due from ``start`` to ``end`` on one of ``due_on_in``, or
    carrying a snooze: the reminder chain speaks of a few days in its window, and reading
    (and converting) every deadline of the month to keep a third of them was most of its
    cost on a large firm. Rows are read on the session's connection as plain tuples (no
    ORM row loading)."""
    params = {"start": start, "end": end, "days": sorted(due_on_in)}
    result = session.connection().execute(_REMINDERS, params)
    return list(map(ReminderRow._make, result.all()))
