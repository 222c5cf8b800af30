"""Whose deadlines a list or a calendar file shows, read from the words a lawyer typed.

``/deadline list`` takes ``mine``, ``@user``, a client code or a matter code, and optionally
``next N days``; the calendar takes the asker's own open deadlines. Reading the scope needs
the store (is ``ACME`` a client?), so it lives here rather than in the Slack handler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput
from bot.permissions import Actor
from bot.services.calendar_export import CalendarEntry, build_calendar
from bot.services.deadlines import Scope, list_open, sort_key, users_by_id
from bot.services.lookup import get_client, get_matter, looks_like_matter_code
from bot.text import user_id
from storage.models import Client, Deadline, DeadlineStatus, Matter

MAX_WINDOW_DAYS = 3660
_NEXT = re.compile(r"(?:^|\s)(?:next|within)\s+(\d+)\s+days?$", re.IGNORECASE)
_NEXT_UNIT = re.compile(r"(?:^|\s)next\s+(week|month)$", re.IGNORECASE)
LIST_USAGE = "/deadline list [mine | @user | CLIENT | MATTER | all] [next N days]"


@dataclass(frozen=True)
class ListRequest:
    """What to list, as read from the words; the mention still needs a directory check."""

    kind: str  # mine | user | client | matter | firm
    word: str | None
    days: int | None


def read_list_words(text: str) -> ListRequest:
    """``mine next 14 days`` -> ListRequest("mine", None, 14); no scope means the asker's own."""
    rest = " ".join(text.split())
    days: int | None = None
    match = _NEXT.search(rest)
    if match:
        days = int(match.group(1))
        rest = rest[: match.start()].strip()
    else:
        unit = _NEXT_UNIT.search(rest)
        if unit:
            days = 7 if unit.group(1).lower() == "week" else 31
            rest = rest[: unit.start()].strip()
    if days is not None and not 0 < days <= MAX_WINDOW_DAYS:
        raise InvalidInput(
            f"`next {days} days`: give a number of days from 1 to {MAX_WINDOW_DAYS}."
        )
    words = rest.split()
    if len(words) > 1:
        raise InvalidInput(
            f"I can list one person, client or matter at a time, not `{rest}`.", usage=LIST_USAGE
        )
    if not words or words[0].lower() in ("mine", "me", "my"):
        return ListRequest("mine", None, days)
    word = words[0]
    if word.lower() in ("all", "firm", "everyone"):
        return ListRequest("firm", None, days)
    mentioned = user_id(word) if word.startswith("<@") else None
    if mentioned:
        return ListRequest("user", mentioned, days)
    if looks_like_matter_code(word):
        return ListRequest("matter", word, days)
    return ListRequest("client", word, days)


@dataclass(frozen=True)
class Listing:
    title: str
    deadlines: list[Deadline]
    empty: str


def list_for(
    session: Session, *, actor: Actor, request: ListRequest, member_id: int | None, today: date
) -> Listing:
    """Open deadlines for the scope asked, missed ones included, up to the window's end."""
    end = today + timedelta(days=request.days) if request.days else None
    window = f" in the next {request.days} days" if request.days else ""
    if request.kind == "mine":
        scope, title, who = Scope(user_id=actor.user_id), "Your open deadlines", "You have"
    elif request.kind == "user":
        assert member_id is not None
        scope = Scope(user_id=member_id)
        title, who = "Open deadlines", f"<@{request.word}> has"
    elif request.kind == "matter":
        matter = get_matter(session, request.word or "")
        scope = Scope(matter_id=matter.id)
        title, who = f"{matter.code} open deadlines", f"{matter.code} has"
    elif request.kind == "client":
        client = get_client(session, request.word or "")
        scope = Scope(client_id=client.id)
        title, who = f"{client.code} open deadlines", f"{client.code} has"
    else:
        scope, title, who = Scope(), "The firm's open deadlines", "The firm has"
    if request.kind == "user":
        title += f" for <@{request.word}>"
    found = list_open(session, scope=scope, end=end)
    if request.days:
        title += f", next {request.days} days"
    return Listing(title, found, f"{who} no open deadlines{window}.")


def calendar_file(
    session: Session, *, user_id: int, zone: ZoneInfo, stamp: datetime
) -> tuple[bytes, int]:
    """The ``.ics`` of a person's open deadlines (missed ones too) and how many it holds."""
    rows = session.execute(
        select(Deadline, Matter, Client)
        .join(Matter, Matter.id == Deadline.matter_id)
        .join(Client, Client.id == Matter.client_id)
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            or_(Deadline.responsible_id == user_id, Deadline.assignee_id == user_id),
        )
    ).all()
    rows = sorted(rows, key=lambda r: sort_key(r[0]))
    people = users_by_id(session, [r[0].responsible_id for r in rows])
    entries = [
        CalendarEntry(
            deadline_id=d.id,
            title=d.title,
            matter_code=m.code,
            matter_title=m.title,
            client_name=c.name,
            due_on=d.due_on,
            due_at=d.due_at,
            responsible=people[d.responsible_id].display
            if d.responsible_id in people
            else "nobody",
            citation=d.citation,
            explanation=d.explanation,
            is_trigger=d.is_trigger,
        )
        for d, m, c in rows
    ]
    return build_calendar(entries, zone=zone, stamp=stamp), len(entries)
