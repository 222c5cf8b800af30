"""The contact log: every call, email, meeting, letter or message with a client.

A contact may carry a follow-up date; the scheduler DMs whoever logged it on that day.
Summaries are stored whole, however long; only their display is shortened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import Conflict, InvalidInput
from bot.permissions import Actor, Capability
from bot.services.lookup import get_client, get_matter
from storage.models import Client, Contact, ContactKind, Matter, User

MAX_SUMMARY = 20_000
KIND_WORDS = {
    "call": ContactKind.CALL,
    "phone": ContactKind.CALL,
    "email": ContactKind.EMAIL,
    "e-mail": ContactKind.EMAIL,
    "meeting": ContactKind.MEETING,
    "met": ContactKind.MEETING,
    "letter": ContactKind.LETTER,
    "message": ContactKind.MESSAGE,
    "text": ContactKind.MESSAGE,
}


@dataclass(frozen=True)
class ContactInput:
    client_code: str
    summary: str
    kind: ContactKind = ContactKind.CALL
    matter_code: str | None = None
    occurred_at: datetime | None = None
    follow_up_on: date | None = None
    permalink: str | None = None
    source_key: str | None = None


def log_contact(session: Session, *, actor: Actor, data: ContactInput, now: datetime) -> Contact:
    actor.require(Capability.LOG_CONTACTS)
    client = get_client(session, data.client_code)
    matter_id = None
    if data.matter_code:
        matter = get_matter(session, data.matter_code)
        if matter.client_id != client.id:
            raise InvalidInput(f"{matter.code} is not a matter of {client.code}.")
        matter_id = matter.id
    summary = data.summary.strip()
    if not summary:
        raise InvalidInput("Say what the contact was about, e.g. `discussed settlement range`.")
    if len(summary) > MAX_SUMMARY:
        raise InvalidInput(
            f"The summary is {len(summary):,} characters; the most is {MAX_SUMMARY:,}."
        )
    if data.source_key and session.scalar(
        select(Contact.id).where(Contact.source_key == data.source_key)
    ):
        raise Conflict("That message is already logged as a contact.")
    contact = Contact(
        client_id=client.id,
        matter_id=matter_id,
        kind=data.kind,
        summary=summary,
        occurred_at=data.occurred_at or now,
        follow_up_on=data.follow_up_on,
        logged_by_id=actor.user_id,
        permalink=data.permalink,
        source_key=data.source_key,
    )
    session.add(contact)
    session.flush()
    return contact


def recent_contacts(
    session: Session, *, actor: Actor, client_code: str, limit: int = 10
) -> tuple[Client, list[tuple[Contact, str | None, str]]]:
    """The client and its latest contacts with matter code and who logged them."""
    actor.require(Capability.READ_CLIENTS)
    client = get_client(session, client_code)
    rows = session.execute(
        select(Contact, Matter.code, User.slack_id)
        .outerjoin(Matter, Matter.id == Contact.matter_id)
        .join(User, User.id == Contact.logged_by_id)
        .where(Contact.client_id == client.id)
        .order_by(Contact.occurred_at.desc())
        .limit(max(1, min(limit, 40)))
    ).all()
    return client, [(c, m, u) for c, m, u in rows]
