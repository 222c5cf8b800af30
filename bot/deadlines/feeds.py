"""Calendar subscription feeds: the tokens behind the URLs, and what each feed holds.

A member's feed holds the open deadlines they are responsible for or assigned to (what
``/deadline list mine`` shows, missed ones included); a matter feed holds one matter's open
deadlines. Outlook, Google and Apple Calendar poll the URL, so the feed is the deadline's
current state: a moved deadline moves, a done or cancelled one is gone.

The URL is a bearer credential. Its token is 256 random bits (``secrets.token_urlsafe``) and
only its sha256 is stored, so a copy of the database hands out no live URL; because only the
hash is kept, Clerk cannot show a URL twice, and a member who lost theirs asks for a new one
(``reset``), which revokes the old. At every read the feed's owner must still be an active
member whose role may see deadlines: deactivating someone in Slack ends their URLs too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from bot.clients.lookup import get_matter
from bot.deadlines.calendar import CalendarEntry
from bot.deadlines.service import LIST_ORDER
from bot.permissions import Actor, Capability
from storage.models import CalendarFeed, Client, Deadline, DeadlineStatus, Matter, User

TOKEN_BYTES = 32  # 256 bits; token_urlsafe writes them as 43 URL-safe characters
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
# Compared against when a token matches no row, so an unknown token costs what a known one does.
_NO_HASH = "0" * 64
CAPABILITY = Capability.READ_CLIENTS  # who may see a matter may see its deadlines


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Grant:
    """What asking for a feed URL gave: a new token, or the date of the live one.

    ``token`` is set only when a URL was issued now (the one moment Clerk knows it);
    ``live_since`` when a URL already exists and nothing was changed; ``revoked`` counts
    the URLs a reset revoked.
    """

    matter_code: str | None
    token: str | None = None
    live_since: datetime | None = None
    revoked: int = 0


def grant(
    session: Session, *, actor: Actor, now: datetime, matter_code: str | None, reset: bool
) -> Grant:
    """A feed URL for ``actor`` (their own deadlines, or one matter's), issued once.

    Without ``reset`` a member who already has a live URL is told since when (Clerk cannot
    show it again); with ``reset`` every live URL of that feed is revoked and a new one
    issued. Runs in the caller's unit of work.
    """
    actor.require(CAPABILITY)
    matter_id, code = None, None
    if matter_code is not None:
        matter = get_matter(session, matter_code)
        matter_id, code = matter.id, matter.code
    live = list(
        session.scalars(
            select(CalendarFeed)
            .where(
                CalendarFeed.user_id == actor.user_id,
                CalendarFeed.matter_id.is_(None)
                if matter_id is None
                else CalendarFeed.matter_id == matter_id,
                CalendarFeed.revoked_at.is_(None),
            )
            .order_by(CalendarFeed.id)
        )
    )
    if live and not reset:
        return Grant(matter_code=code, live_since=live[0].created_at)
    for feed in live:
        feed.revoked_at = now
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        CalendarFeed(token_hash=hash_token(token), user_id=actor.user_id, matter_id=matter_id)
    )
    session.flush()
    return Grant(matter_code=code, token=token, revoked=len(live))


@dataclass(frozen=True)
class FeedSource:
    """A live feed found by its token: whose it is and what it shows."""

    feed_id: int
    owner_slack_id: str
    user_id: int | None  # the member whose own deadlines it shows
    matter_id: int | None  # or the one matter's
    name: str
    served_etag: str | None
    changed_at: datetime | None


def find(session: Session, token: str) -> FeedSource | None:
    """The live feed ``token`` opens, or None: unknown, revoked, its owner deactivated or no
    longer allowed, or its matter gone all read the same to the caller.

    The row is found by its hash and the hash compared again in constant time; an unknown
    token is compared against a dummy hash, so both paths do the same work.
    """
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    wanted = hash_token(token)
    row = session.execute(
        select(CalendarFeed, User, Matter.code)
        .join(User, User.id == CalendarFeed.user_id)
        .outerjoin(Matter, Matter.id == CalendarFeed.matter_id)
        .where(CalendarFeed.token_hash == wanted)
    ).first()
    stored = row[0].token_hash if row is not None else _NO_HASH
    if not hmac.compare_digest(stored, wanted) or row is None:
        return None
    return _live(*row)


def live_feeds(session: Session) -> list[FeedSource]:
    """Every feed a calendar may poll now, the most recently changed first."""
    rows = session.execute(
        select(CalendarFeed, User, Matter.code)
        .join(User, User.id == CalendarFeed.user_id)
        .outerjoin(Matter, Matter.id == CalendarFeed.matter_id)
        .where(CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.changed_at.desc().nulls_last(), CalendarFeed.id)
    ).all()
    return [found for row in rows if (found := _live(*row)) is not None]


def _live(feed: CalendarFeed, owner: User, matter_code: str | None) -> FeedSource | None:
    """The feed as a source, or None when it must not be served (see :func:`find`)."""
    owner_actor = Actor(
        slack_id=owner.slack_id,
        user_id=owner.id,
        role=owner.role,
        tz=owner.tz,
        name=owner.display,
        active=owner.is_active,
    )
    if feed.revoked_at is not None or not owner_actor.can(CAPABILITY):
        return None
    if feed.matter_id is not None and matter_code is None:
        return None
    return FeedSource(
        feed_id=feed.id,
        owner_slack_id=owner.slack_id,
        user_id=None if feed.matter_id is not None else owner.id,
        matter_id=feed.matter_id,
        name=f"Clerk: {matter_code}" if matter_code else f"Clerk: {owner.display}'s deadlines",
        served_etag=feed.served_etag,
        changed_at=feed.changed_at,
    )


_responsible = aliased(User, name="responsible")


def open_entries(
    session: Session, *, user_id: int | None = None, matter_id: int | None = None
) -> list[CalendarEntry]:
    """Open deadlines (missed ones too) of a person or a matter, in list order, as entries.

    One statement of plain columns (no ORM object per row): a lawyer with two thousand open
    deadlines is read in a few milliseconds.
    """
    if (user_id is None) == (matter_id is None):
        raise ValueError("a feed shows one person's or one matter's deadlines")
    scope = (
        Deadline.matter_id == matter_id
        if matter_id is not None
        else or_(Deadline.responsible_id == user_id, Deadline.assignee_id == user_id)
    )
    rows = session.execute(
        select(
            Deadline.id,
            Deadline.title,
            Matter.code,
            Matter.title,
            Client.name,
            Deadline.due_on,
            Deadline.due_at,
            _responsible.real_name,
            _responsible.name,
            _responsible.slack_id,
            Deadline.citation,
            Deadline.explanation,
            Deadline.is_trigger,
            Deadline.rule,
            Deadline.updated_at,
        )
        .join(Matter, Matter.id == Deadline.matter_id)
        .join(Client, Client.id == Matter.client_id)
        .outerjoin(_responsible, _responsible.id == Deadline.responsible_id)
        .where(Deadline.status == DeadlineStatus.OPEN, scope)
        .order_by(*LIST_ORDER)
    ).all()
    return [
        CalendarEntry(
            deadline_id=r[0],
            title=r[1],
            matter_code=r[2],
            matter_title=r[3],
            client_name=r[4],
            due_on=r[5],
            due_at=r[6],
            responsible=(r[7] or r[8] or r[9]) if r[9] is not None else "nobody",
            citation=r[10],
            explanation=r[11],
            is_trigger=r[12],
            rule=r[13],
            updated_at=r[14],
        )
        for r in rows
    ]


def etag_of(entries: Sequence[CalendarEntry], *context: object) -> str:
    """A strong validator for the feed built from ``entries`` under ``context`` (zone, domain,
    reminder steps, name): the same exactly when the bytes would be, known without building
    them, so a poll that changed nothing is answered 304 for the price of one read."""
    digest = hashlib.sha256(repr(context).encode())
    for entry in entries:
        digest.update(repr(entry).encode())
    return digest.hexdigest()[:40]


def record_served(session: Session, feed_id: int, etag: str, now: datetime) -> datetime:
    """Note that ``feed_id`` now serves ``etag`` (first seen at ``now``): its Last-Modified.

    Two processes noting the same change race harmlessly: each writes a moment at which the
    content was already the new one.
    """
    feed = session.get(CalendarFeed, feed_id)
    if feed is None:  # revoked and gone between the read and this write: nothing to note
        return now
    if feed.served_etag != etag:
        feed.served_etag = etag
        feed.changed_at = now
    return feed.changed_at or now
