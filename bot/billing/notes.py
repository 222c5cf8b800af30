"""The last known content of an overdue post whose buttons were used, kept server-side.

A button on the billing channel's overdue post opens a form; once the form is submitted,
Clerk adds a note under that account ("INV-7 marked disputed by @bill") with ``chat.update``,
which replaces the whole message. The form submission does not carry the message, so the
post is kept in ``pending_confirmations`` (one row per post, keyed by channel and ts) as
Clerk sent it, and every update is written back to that row. Two people acting on the same
post therefore add to each other's notes instead of erasing them: the row is read under a
lock (``FOR UPDATE`` on PostgreSQL; SQLite writers queue at ``BEGIN IMMEDIATE``) in the same
unit of work that stores the action.

The post's content is Clerk's own, never a button payload's: the handler finds the post in
the outbox (Clerk sent it there, to that channel), and once a row exists it holds what
Clerk last wrote.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotFound
from bot.permissions import Actor, Capability
from storage.models import Client, Contact, ContactKind, PendingConfirmation

KIND = "overdue-post"
KEEP = timedelta(days=30)


@dataclass(frozen=True)
class Post:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]


def post_key(channel: str, ts: str) -> str:
    digest = hashlib.sha256(f"{channel}:{ts}".encode()).hexdigest()[:40]
    return f"post:{digest}"


def remember(session: Session, *, actor: Actor, post: Post, now: datetime) -> str:
    """Keep ``post`` (as Clerk sent it) unless Clerk already keeps it with the notes it has
    added since; either way it is kept another ``KEEP``. Returns the key for the form."""
    key = post_key(post.channel, post.ts)
    payload = {"channel": post.channel, "ts": post.ts, "text": post.text, "blocks": post.blocks}
    row = session.scalars(
        select(PendingConfirmation).where(
            PendingConfirmation.token == key, PendingConfirmation.kind == KIND
        )
    ).one_or_none()
    if row is None:
        session.add(
            PendingConfirmation(
                token=key,
                kind=KIND,
                user_slack_id=actor.slack_id,
                payload=payload,
                created_at=now,
                expires_at=now + KEEP,
            )
        )
    else:
        row.expires_at = now + KEEP
    session.flush()
    return key


def latest(session: Session, key: str) -> Post | None:
    """The post as last written, locked until the caller's unit of work ends."""
    row = session.scalars(
        select(PendingConfirmation)
        .where(PendingConfirmation.token == key, PendingConfirmation.kind == KIND)
        .with_for_update()
    ).one_or_none()
    if row is None:
        return None
    data = row.payload
    return Post(data["channel"], data["ts"], data.get("text", ""), list(data.get("blocks") or []))


def store(session: Session, key: str, post: Post) -> None:
    row = session.scalars(
        select(PendingConfirmation).where(PendingConfirmation.token == key)
    ).one_or_none()
    if row is not None:
        row.payload = {
            "channel": post.channel,
            "ts": post.ts,
            "text": post.text,
            "blocks": post.blocks,
        }
        session.flush()


SAY_WHAT_WAS_DISCUSSED = "Say what was discussed."
PICK_A_KIND = "Pick call, email, meeting, letter or message."


def log_contact(
    session: Session,
    *,
    actor: Actor,
    client_id: int,
    kind: str,
    summary: str,
    now: datetime,
    today: date,
) -> Contact:
    """A collections contact logged from the overdue post (*Log contact*).

    Logged through ``bot.clients.contacts`` like any other contact; the post's form asks
    only the kind and what was said (occurred now). Follow-ups are set with ``/contact``.
    """
    from bot.clients.contacts import ContactInput
    from bot.clients.contacts import log_contact as log

    actor.require(Capability.LOG_CONTACTS)
    text = summary.strip()
    if not text:
        raise InvalidInput(SAY_WHAT_WAS_DISCUSSED)
    try:
        contact_kind = ContactKind(kind)
    except ValueError:
        raise InvalidInput(PICK_A_KIND) from None
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound("That client is no longer in Clerk.")
    return log(
        session,
        actor=actor,
        data=ContactInput(client_code=client.code, summary=text, kind=contact_kind),
        now=now,
        today=today,
    )
