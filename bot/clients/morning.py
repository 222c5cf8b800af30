"""What the morning jobs read of clients: follow-ups due, follow-ups a colleague closed and key
clients past their cadence.

One set-based statement per job, joined with the client and people it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from storage.models import Client, ClientStatus, Contact, User
from storage.models.clients import CLOSED_BY_COLLEAGUE


class FollowUpRow(NamedTuple):
    """A follow-up due, made straight from the driver's row (a morning reads a thousand)."""

    contact_id: int
    follow_up_on: date
    summary: str
    client_code: str
    client_name: str
    logged_by_slack_id: str
    client_id: int


def follow_ups_due(
    session: Session,
    *,
    day: date,
    start: date | None = None,
    logged_since: datetime | None = None,
) -> list[FollowUpRow]:
    """Contacts whose follow-up is due on or before ``day`` and not done, with who logged
    them. With ``start``, only those due on or after it (the days a morning speaks for) or
    logged since ``logged_since`` (a follow-up logged with a date already past is due at
    once)."""
    query = (
        select(
            Contact.id,
            Contact.follow_up_on,
            Contact.summary,
            Client.code,
            Client.name,
            User.slack_id,
            Client.id,
        )
        .join(Client, Client.id == Contact.client_id)
        .join(User, User.id == Contact.logged_by_id)
        .where(Contact.follow_up_on <= day, Contact.follow_up_done_at.is_(None))
        .order_by(Contact.follow_up_on, Contact.id)
    )
    if start is not None:
        recent = Contact.follow_up_on >= start
        if logged_since is not None:
            recent = or_(recent, Contact.created_at >= logged_since)
        query = query.where(recent)
    # .all(): one fetchall, on the connection (no ORM result handling)
    return list(map(FollowUpRow._make, session.connection().execute(query).all()))


class ClosedRow(NamedTuple):
    """A follow-up a colleague's contact closed, with its owner and who closed it."""

    contact_id: int
    follow_up_on: date
    summary: str
    client_code: str
    client_name: str
    owner_slack_id: str
    closed_by_slack_id: str
    client_id: int


def follow_ups_closed_by_colleagues(
    session: Session, *, after: datetime, until: datetime
) -> list[ClosedRow]:
    """Follow-ups a colleague closed from ``after`` (included) to ``until`` (excluded).

    Consecutive briefings read consecutive windows, so each closure is told once. The rows
    are found through ``ix_contacts_closed_by_colleague``, which holds only such follow-ups.
    """
    owner = aliased(User)
    closer = aliased(User)
    query = (
        select(
            Contact.id,
            Contact.follow_up_on,
            Contact.summary,
            Client.code,
            Client.name,
            owner.slack_id,
            closer.slack_id,
            Client.id,
        )
        .join(Client, Client.id == Contact.client_id)
        .join(owner, owner.id == Contact.logged_by_id)
        .join(closer, closer.id == Contact.follow_up_closed_by_id)
        .where(
            CLOSED_BY_COLLEAGUE,
            Contact.follow_up_done_at >= after,
            Contact.follow_up_done_at < until,
        )
        .order_by(Contact.follow_up_done_at, Contact.id)
    )
    return list(map(ClosedRow._make, session.connection().execute(query).all()))


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
