"""The contact log: every call, email, meeting, letter or message with a client.

A contact may carry a follow-up date; the scheduler DMs whoever logged it on that day. The
next contact with the same client completes the follow-ups already due, because that is
what following up means; follow-ups still in the future stay open. Summaries are stored
whole, however long; only their display is shortened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clients.lookup import get_client, get_matter, looks_like_matter_code
from bot.errors import Conflict, InvalidInput
from bot.firm.users import slack_ids_by_id
from bot.permissions import Actor, Capability
from storage.models import Client, Contact, ContactKind, Matter, User

MAX_SUMMARY = 20_000
MAX_LIST = 50
# Clocks differ a little between Slack, the user's device and Clerk.
FUTURE_SLACK = timedelta(minutes=10)
KIND_WORDS = {
    "call": ContactKind.CALL,
    "phone": ContactKind.CALL,
    "email": ContactKind.EMAIL,
    "e-mail": ContactKind.EMAIL,
    "meeting": ContactKind.MEETING,
    "letter": ContactKind.LETTER,
    "message": ContactKind.MESSAGE,
}


@dataclass(frozen=True)
class ContactInput:
    client_code: str
    summary: str
    kind: ContactKind = ContactKind.CALL
    matter_code: str | None = None
    occurred_at: datetime | None = None  # None: now
    follow_up_on: date | None = None
    permalink: str | None = None
    # Dedupe key for a contact logged from a Slack message ("C123:1700000000.000100").
    source_key: str | None = None


@dataclass
class LoggedContact:
    contact: Contact
    client_code: str
    matter_code: str | None
    completed_follow_ups: list[date] = field(default_factory=list)
    # Slack ids of colleagues whose follow-ups this contact closed (the responsible lawyer's
    # contact closes everyone's): the reply names them.
    closed_for: list[str] = field(default_factory=list)


def split_code(code: str) -> tuple[str, str | None]:
    """``ACME-2`` -> ("ACME", "ACME-2"); ``ACME`` -> ("ACME", None)."""
    code = code.strip()
    if looks_like_matter_code(code):
        return code.rsplit("-", 1)[0], code
    return code, None


def summary_problem(summary: str) -> str | None:
    text = summary.strip()
    if not text:
        return "Say what the contact was about, e.g. `discussed settlement range`."
    if len(text) > MAX_SUMMARY:
        return f"The summary is {len(text):,} characters; the most Clerk keeps is {MAX_SUMMARY:,}."
    return None


def already_logged(session: Session, source_key: str) -> tuple[str, datetime] | None:
    """(client code, when) if the Slack message ``source_key`` is already a contact."""
    row = session.execute(
        select(Client.code, Contact.occurred_at)
        .join(Client, Client.id == Contact.client_id)
        .where(Contact.source_key == source_key)
    ).first()
    return (row[0], row[1]) if row else None


def record_contact(
    session: Session,
    *,
    actor: Actor,
    data: ContactInput,
    now: datetime,
    today: date,
) -> LoggedContact:
    """Store the contact and complete the client's follow-ups that were due by ``today``."""
    actor.require(Capability.LOG_CONTACTS)
    client = get_client(session, data.client_code)
    matter_code = None
    matter_id = None
    if data.matter_code:
        matter = get_matter(session, data.matter_code)
        if matter.client_id != client.id:
            raise InvalidInput(f"{matter.code} is not a matter of {client.code}.")
        matter_id, matter_code = matter.id, matter.code
    problem = summary_problem(data.summary)
    if problem:
        raise InvalidInput(problem)
    occurred = data.occurred_at or now
    if occurred > now + FUTURE_SLACK:
        raise InvalidInput(
            "A contact is logged after it happened; that time is in the future. "
            "Set a follow-up for what is still to come."
        )
    if data.source_key:
        found = already_logged(session, data.source_key)
        if found:
            raise Conflict(f"That message is already logged as a contact with {found[0]}.")
    contact = Contact(
        client_id=client.id,
        matter_id=matter_id,
        kind=data.kind,
        summary=data.summary.strip(),
        occurred_at=occurred,
        follow_up_on=data.follow_up_on,
        logged_by_id=actor.user_id,
        permalink=data.permalink,
        source_key=data.source_key,
    )
    try:
        with session.begin_nested():
            session.add(contact)
            session.flush()
    except IntegrityError:
        raise Conflict(f"That message is already logged as a contact with {client.code}.") from None
    everyone = actor.user_id is not None and actor.user_id == client.lawyer_id
    closed = _complete_due_follow_ups(
        session,
        client_id=client.id,
        logged=contact,
        now=now,
        today=today,
        owner_id=None if everyone else actor.user_id,
    )
    days = sorted({c.follow_up_on for c in closed if c.follow_up_on})
    others = sorted({c.logged_by_id for c in closed if c.logged_by_id != actor.user_id})
    names = slack_ids_by_id(session, others)
    return LoggedContact(contact, client.code, matter_code, days, [names[i] for i in others])


def log_contact(
    session: Session, *, actor: Actor, data: ContactInput, now: datetime, today: date
) -> Contact:
    """``record_contact`` for callers that only need the row (the overdue post's form)."""
    return record_contact(session, actor=actor, data=data, now=now, today=today).contact


def _complete_due_follow_ups(
    session: Session,
    *,
    client_id: int,
    logged: Contact,
    now: datetime,
    today: date,
    owner_id: int | None,
) -> list[Contact]:
    """Close the client's follow-ups due by ``today`` that this contact answers.

    A colleague's call does not answer a lawyer's own reminder to call the client, so only
    ``owner_id``'s follow-ups close; ``None`` (the contact is the responsible lawyer's, who
    answers for the client) closes everyone's.
    """
    query = select(Contact).where(
        Contact.client_id == client_id,
        Contact.id != logged.id,
        Contact.follow_up_on.is_not(None),
        Contact.follow_up_on <= today,
        Contact.follow_up_done_at.is_(None),
        Contact.occurred_at <= logged.occurred_at,
    )
    if owner_id is not None:
        query = query.where(Contact.logged_by_id == owner_id)
    due = list(session.scalars(query))
    for earlier in due:
        earlier.follow_up_done_at = now
        if earlier.logged_by_id != logged.logged_by_id:
            # its owner hears of it in their next briefing (``bot.clients.morning``)
            earlier.follow_up_closed_by_id = logged.logged_by_id
    session.flush()
    return due


@dataclass
class ContactListing:
    title_code: str
    rows: list[tuple[Contact, str | None, str]]  # (contact, matter code, logged by Slack id)


def recent_contacts(
    session: Session, *, actor: Actor, code: str, limit: int = 10
) -> ContactListing:
    """The latest contacts of a client (``ACME``) or of one matter (``ACME-1``)."""
    actor.require(Capability.READ_CLIENTS)
    query = (
        select(Contact, Matter.code, User.slack_id)
        .outerjoin(Matter, Matter.id == Contact.matter_id)
        .join(User, User.id == Contact.logged_by_id)
    )
    if looks_like_matter_code(code):
        matter = get_matter(session, code)
        query, title = query.where(Contact.matter_id == matter.id), matter.code
    else:
        client = get_client(session, code)
        query, title = query.where(Contact.client_id == client.id), client.code
    rows = session.execute(
        query.order_by(Contact.occurred_at.desc(), Contact.id.desc()).limit(
            max(1, min(limit, MAX_LIST))
        )
    ).all()
    return ContactListing(title, [(c, m, u) for c, m, u in rows])


_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
MAX_GUESS_TOKENS = 400


def guess_code(session: Session, text: str) -> str:
    """The first matter code (else client code) a message mentions, to prefill the form.

    Two-letter words count only in capitals, so "on" or "it" never picks a client.
    """
    tokens = [t for t in _TOKEN.findall(text)[:MAX_GUESS_TOKENS] if len(t) >= 3 or t.isupper()]
    wanted = {t.upper() for t in tokens}
    if not wanted:
        return ""
    matters = set(session.scalars(select(Matter.code).where(Matter.code.in_(wanted))))
    clients = set(session.scalars(select(Client.code).where(Client.code.in_(wanted))))
    for known in (matters, clients):
        for token in tokens:
            if token.upper() in known:
                return token.upper()
    return ""


def follow_ups_due_for(
    session: Session, *, user_id: int, today: date, limit: int
) -> list[tuple[Contact, str]]:
    """The follow-ups a person set that are due by ``today`` and still open, oldest first,
    each with its client's code (the App Home tab lists them)."""
    rows = session.execute(
        select(Contact, Client.code)
        .join(Client, Client.id == Contact.client_id)
        .where(
            Contact.logged_by_id == user_id,
            Contact.follow_up_on <= today,
            Contact.follow_up_done_at.is_(None),
        )
        .order_by(Contact.follow_up_on, Contact.id)
        .limit(limit)
    )
    return [(contact, code) for contact, code in rows]
