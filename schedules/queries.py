"""Set-based queries for the scheduled jobs: one statement per job, joined with the matter,
client and people it names, so a firm with thousands of deadlines is one round trip, not one
per row.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from bot.services.deadlines import LIST_ORDER
from handlers.views.digests import DigestItem
from storage.models import Client, ClientStatus, Contact, Deadline, DeadlineStatus, Matter, User


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


class FollowUpRow(NamedTuple):
    """A follow-up due, made straight from the driver's row (a morning reads a thousand)."""

    contact_id: int
    follow_up_on: date
    summary: str
    client_code: str
    client_name: str
    logged_by_slack_id: str


def follow_ups_due(session: Session, *, day: date) -> list[FollowUpRow]:
    """Contacts whose follow-up is due on or before ``day`` and not done, with who logged them."""
    query = (
        select(
            Contact.id,
            Contact.follow_up_on,
            Contact.summary,
            Client.code,
            Client.name,
            User.slack_id,
        )
        .join(Client, Client.id == Contact.client_id)
        .join(User, User.id == Contact.logged_by_id)
        .where(Contact.follow_up_on <= day, Contact.follow_up_done_at.is_(None))
        .order_by(Contact.follow_up_on, Contact.id)
    )
    # .all(): one fetchall, on the connection (no ORM result handling)
    return list(map(FollowUpRow._make, session.connection().execute(query).all()))


@dataclass(frozen=True)
class KeyClientRow:
    client_id: int
    code: str
    name: str
    cadence_days: int | None
    lawyer_slack_id: str
    last_contact_at: datetime | None


def key_clients(session: Session) -> list[KeyClientRow]:
    """Active key clients with their lawyer and the time of their latest contact.

    The latest contact is a correlated MAX per key client, answered from the end of
    ``ix_contacts_client_occurred``: a GROUP BY over every contact would read the firm's
    whole history to keep a few dozen rows.
    """
    last = (
        select(func.max(Contact.occurred_at))
        .where(Contact.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery()
    )
    query = (
        select(Client.id, Client.code, Client.name, Client.cadence_days, User.slack_id, last)
        .join(User, User.id == Client.lawyer_id)
        .where(Client.is_key.is_(True), Client.status == ClientStatus.ACTIVE)
        .order_by(Client.code)
    )
    return [KeyClientRow(*row) for row in session.execute(query)]
