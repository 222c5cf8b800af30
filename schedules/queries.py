"""Set-based queries for the scheduled jobs: one statement per job, joined with the matter,
client and people it names, so a firm with thousands of deadlines is one round trip, not one
per row.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from handlers.views.digests import DigestItem
from storage.models import Client, ClientStatus, Contact, Deadline, DeadlineStatus, Matter, User


@dataclass(frozen=True)
class ReminderRow:
    item: DigestItem
    assignee_slack_id: str | None
    snoozed_until: datetime | None


def open_deadlines(
    session: Session, *, start: date | None, end: date, due_on_in: Collection[date] | None = None
) -> list[ReminderRow]:
    """Open, non-trigger deadlines due from ``start`` (None: any time past) to ``end``.

    With ``due_on_in``, only those due on one of these days or carrying a snooze: the
    reminder chain speaks of a few days in its window, and reading (and converting) every
    deadline of the month to keep a third of them was most of its cost on a large firm.
    Rows are read on the session's connection as plain tuples (no ORM row loading).
    """
    responsible = aliased(User)
    assignee = aliased(User)
    query = (
        select(
            Deadline.id,
            Matter.code,
            Deadline.title,
            Deadline.due_on,
            Deadline.due_at,
            responsible.slack_id,
            Deadline.citation,
            assignee.slack_id,
            Deadline.reminders_snoozed_until,
        )
        .join(Matter, Matter.id == Deadline.matter_id)
        .outerjoin(responsible, responsible.id == Deadline.responsible_id)
        .outerjoin(assignee, assignee.id == Deadline.assignee_id)
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.is_trigger.is_(False),
            Deadline.due_on <= end,
        )
    )
    if start is not None:
        query = query.where(Deadline.due_on >= start)
    if due_on_in is not None:
        query = query.where(
            or_(
                Deadline.due_on.in_(sorted(due_on_in)),
                Deadline.reminders_snoozed_until.is_not(None),
            )
        )
    rows = [
        ReminderRow(
            DigestItem(r[0], r[1], r[2], r[3], r[4], r[5], r[6]),
            assignee_slack_id=r[7],
            snoozed_until=r[8],
        )
        for r in session.connection().execute(query).all()
    ]
    # all-day items before timed ones on a day, then by time (portable NULL ordering)
    rows.sort(key=_day_order)  # all-day items first on a day, then timed ones by time
    return rows


def _day_order(row: ReminderRow) -> tuple[date, bool, str, int]:
    at = row.item.due_at
    return (row.item.due_on, at is not None, at.isoformat() if at else "", row.item.deadline_id)


@dataclass(frozen=True)
class FollowUpRow:
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
    return [
        FollowUpRow(contact_id, due, summary, code, name, logged_by)
        for contact_id, due, summary, code, name, logged_by in session.execute(query)
        if due is not None  # the WHERE clause guarantees it; this tells the type checker
    ]


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
