"""Matters: opened under a client as ``CLIENT-N``, shown, and closed (never deleted).

Numbers are per client and never reused: a closed ``ACME-1`` keeps its code, so a letter or
an invoice that quotes it still points at the right file.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clients.lookup import get_client, get_matter
from bot.dates.format import format_day
from bot.errors import Conflict, InvalidInput
from bot.permissions import Actor, Capability
from bot.text import required_text_problem
from storage.base import chunks
from storage.models import (
    Client,
    ClientStatus,
    Contact,
    Deadline,
    DeadlineStatus,
    Matter,
    MatterStatus,
    User,
)

MAX_TITLE = 300
MAX_REASON = 500
NUMBER_ATTEMPTS = 5


def title_problem(title: str) -> str | None:
    return required_text_problem(
        title,
        missing='Give the matter a title, in quotes if it has several words: "Lease dispute".',
        what="title",
        most=MAX_TITLE,
    )


def former_problem(client: Client) -> str | None:
    if client.status is ClientStatus.FORMER:
        return (
            f"{client.code} is a former client. A partner can make them active again with "
            f"`/client edit {client.code} status active` before a new matter is opened."
        )
    return None


def add_matter(
    session: Session,
    *,
    actor: Actor,
    client_code: str,
    title: str,
    lawyer_id: int | None,
    today: date,
) -> Matter:
    """Open ``CLIENT-N`` with the next free N; the lawyer defaults to the client's."""
    actor.require(Capability.WRITE_MATTERS)
    client = get_client(session, client_code)
    former = former_problem(client)
    if former:
        raise Conflict(former)
    problem = title_problem(title)
    if problem:
        raise InvalidInput(problem)
    for _attempt in range(NUMBER_ATTEMPTS):
        number = (
            session.scalar(select(func.max(Matter.number)).where(Matter.client_id == client.id))
            or 0
        ) + 1
        matter = Matter(
            code=f"{client.code}-{number}",
            client_id=client.id,
            number=number,
            title=title.strip(),
            lawyer_id=lawyer_id or client.lawyer_id,
            opened_on=today,
        )
        try:
            with session.begin_nested():
                session.add(matter)
                session.flush()
            return matter
        except IntegrityError:
            # Another process took this number a moment ago (the savepoint rolled back and
            # dropped our row): read the highest number again and take the next one.
            continue
    raise Conflict("Several matters were opened for this client at once; please try again.")


@dataclass(frozen=True)
class OpenDeadlines:
    count: int
    next_due: Deadline | None


def open_deadlines(session: Session, matter: Matter) -> OpenDeadlines:
    rows = list(
        session.scalars(
            select(Deadline)
            .where(
                Deadline.matter_id == matter.id,
                Deadline.status == DeadlineStatus.OPEN,
                Deadline.is_trigger.is_(False),
            )
            .order_by(Deadline.due_on, Deadline.id)
        )
    )
    return OpenDeadlines(len(rows), rows[0] if rows else None)


def close_matter(
    session: Session,
    *,
    actor: Actor,
    code: str,
    reason: str | None,
    today: date,
    satisfaction: int | None = None,
) -> Matter:
    """Close a matter; its deadlines and history stay as they are. ``satisfaction`` (1-5):
    how the client felt about it, averaged in the client analysis."""
    actor.require(Capability.WRITE_MATTERS)
    matter = get_matter(session, code)
    if matter.status is MatterStatus.CLOSED:
        raise Conflict(f"{matter.code} was already closed on {format_day(matter.closed_on)}.")
    if reason and len(reason) > MAX_REASON:
        raise InvalidInput(f"The reason is {len(reason):,} characters; the most is {MAX_REASON}.")
    matter.status = MatterStatus.CLOSED
    matter.closed_on = today
    matter.close_reason = reason or None
    matter.satisfaction = satisfaction
    session.flush()
    return matter


@dataclass
class MatterCard:
    matter: Matter
    client: Client
    lawyer_slack_id: str | None
    deadlines: list[Deadline]
    contacts: list[tuple[Contact, str]]  # (contact, who logged it)


def matter_card(session: Session, *, actor: Actor, code: str) -> MatterCard:
    actor.require(Capability.READ_CLIENTS)
    matter = get_matter(session, code)
    client = session.get(Client, matter.client_id)
    assert client is not None  # a foreign key
    lawyer = session.get(User, matter.lawyer_id) if matter.lawyer_id else None
    deadlines = list(
        session.scalars(
            select(Deadline)
            .where(Deadline.matter_id == matter.id, Deadline.status == DeadlineStatus.OPEN)
            .order_by(Deadline.due_on, Deadline.due_at, Deadline.id)
            .limit(10)
        )
    )
    contacts = [
        (contact, slack_id)
        for contact, slack_id in session.execute(
            select(Contact, User.slack_id)
            .join(User, User.id == Contact.logged_by_id)
            .where(Contact.matter_id == matter.id)
            .order_by(Contact.occurred_at.desc(), Contact.id.desc())
            .limit(3)
        )
    ]
    return MatterCard(
        matter=matter,
        client=client,
        lawyer_slack_id=lawyer.slack_id if lawyer else None,
        deadlines=deadlines,
        contacts=contacts,
    )


def matter_codes(session: Session, matter_ids: Collection[int]) -> dict[int, str]:
    """The codes of these matters by id, in one read (lists name matters by code)."""
    found: dict[int, str] = {}
    for part in chunks(sorted(matter_ids)):
        rows = session.execute(select(Matter.id, Matter.code).where(Matter.id.in_(part)))
        found.update({matter_id: code for matter_id, code in rows})
    return found
