"""Whose deadlines a list shows, read from the words a lawyer typed.

``/deadline list`` takes ``mine``, ``@user``, a client code or a matter code, and optionally
``next N days`` (calendar feeds read theirs in ``feeds``). Reading the scope needs
the store (is ``ACME`` a client?), so it lives here rather than in the Slack handler.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from bot.clients.lookup import get_client, get_matter, looks_like_matter_code
from bot.deadlines.service import LIST_ORDER
from bot.errors import InvalidInput, NotFound
from bot.permissions import Actor
from bot.text import user_id
from storage.models import Deadline, DeadlineStatus, Matter, User


@dataclass(frozen=True)
class Scope:
    """Whose deadlines a list shows: a person's, a client's, a matter's, or the firm's."""

    user_id: int | None = None
    client_id: int | None = None
    matter_id: int | None = None


class ListedDeadline(NamedTuple):
    """A deadline as a list shows it: the columns of :class:`Deadline` a line reads, under
    the same names, straight from the driver's row (no ORM object per row)."""

    id: int
    matter_id: int
    title: str
    due_on: date
    due_at: datetime | None
    responsible_id: int | None
    assignee_id: int | None
    is_trigger: bool
    citation: str | None


@dataclass(frozen=True)
class OpenPage:
    """The first open deadlines of a scope, in list order, and how many there are in all,
    with the codes of their matters and the Slack ids of their people (by id)."""

    deadlines: list[ListedDeadline]
    total: int
    matter_codes: dict[int, str]
    slack_ids: dict[int, str]


_responsible = aliased(User, name="responsible")
_assignee = aliased(User, name="assignee")
_LISTED_COLUMNS = [getattr(Deadline, name) for name in ListedDeadline._fields]


def _first_of_each_role(user_id: int, conditions: list[Any], limit: int) -> Any:
    """The ids of a person's first ``limit`` deadlines as responsible lawyer and as assignee.

    "Responsible or assignee" is an OR no index answers in the list's order, and SQLite
    answers it by reading and sorting every open deadline of the person (1,784 for the
    busiest lawyer of the large firm) to keep 120. Each role alone walks its own index in
    day order and stops after ``limit``; the page is the first ``limit`` of the two together.
    PostgreSQL's planner already picks between an ordered scan and a sort of the person's
    rows, and there this longer statement made a list ~0.8 ms slower (measured A/B).
    """
    firsts = [
        select(Deadline.id).where(role == user_id, *conditions).order_by(*LIST_ORDER).limit(limit)
        for role in (Deadline.responsible_id, Deadline.assignee_id)
    ]
    parts = [select(first.subquery().c.id) for first in firsts]
    return Deadline.id.in_(union_all(*parts))


def list_open(session: Session, *, scope: Scope, end: date | None = None, limit: int) -> OpenPage:
    """Open deadlines (missed ones included: they are the most urgent) up to ``end``.

    Only the ``limit`` a reply can show are loaded, in ``sort_key`` order, with their matter
    codes and people's Slack ids in the same statement (three reads, and a matter and a user
    object per row, made a long list cost twice a short one); the rest are counted, so a
    lawyer with two thousand open deadlines costs about what one with fifty does.
    """
    conditions = [Deadline.status == DeadlineStatus.OPEN]
    if scope.matter_id is not None:
        conditions.append(Deadline.matter_id == scope.matter_id)
    if scope.client_id is not None:
        conditions.append(
            Deadline.matter_id.in_(select(Matter.id).where(Matter.client_id == scope.client_id))
        )
    if end is not None:
        conditions.append(Deadline.due_on <= end)
    first: list[Any] = []
    if scope.user_id is not None:
        if session.get_bind().dialect.name == "sqlite":
            first.append(_first_of_each_role(scope.user_id, conditions, limit))
        conditions.append(
            or_(Deadline.responsible_id == scope.user_id, Deadline.assignee_id == scope.user_id)
        )
    rows = session.execute(
        select(
            *_LISTED_COLUMNS,
            Matter.code,
            _responsible.slack_id,
            _assignee.slack_id,
        )
        .join(Matter, Matter.id == Deadline.matter_id)
        .outerjoin(_responsible, _responsible.id == Deadline.responsible_id)
        .outerjoin(_assignee, _assignee.id == Deadline.assignee_id)
        .where(*conditions, *first)
        .order_by(*LIST_ORDER)
        .limit(limit)
    ).all()
    listed: list[ListedDeadline] = []
    matter_codes: dict[int, str] = {}
    slack_ids: dict[int, str] = {}
    for *columns, matter_code, responsible, assignee in rows:
        deadline = ListedDeadline(*columns)
        listed.append(deadline)
        matter_codes[deadline.matter_id] = matter_code
        # an outer join's slack id is there exactly when its person is
        if deadline.responsible_id is not None:
            slack_ids[deadline.responsible_id] = responsible
        if deadline.assignee_id is not None:
            slack_ids[deadline.assignee_id] = assignee
    total = len(listed)
    if total == limit:
        counted = session.scalar(select(func.count()).select_from(Deadline).where(*conditions))
        total = int(counted or 0)
    return OpenPage(listed, total, matter_codes, slack_ids)


MAX_WINDOW_DAYS = 3660
_NEXT = re.compile(r"(?:^|\s)(?:next|within)\s+(\d+)\s+days?$", re.IGNORECASE)
_WINDOW_WORDS = re.compile(
    r"(?:^|\s)(next\s+week|next\s+month|this\s+week|this\s+month|today|tomorrow)$",
    re.IGNORECASE,
)
_MISSED = re.compile(r"(?:^|\s)(?:missed|overdue|late|past\s+due)(?=\s|$)", re.IGNORECASE)
LIST_USAGE = (
    "/deadline list [mine | @user | CLIENT | MATTER | all] [missed] "
    "[next N days | today | this week | this month]"
)


@dataclass(frozen=True)
class ListRequest:
    """What to list, as read from the words; a person still needs a directory check."""

    kind: str  # mine | user | handle | client | matter | firm
    word: str | None
    days: int | None
    missed_only: bool = False
    window: str | None = None  # today | tomorrow | this week | this month | next week | ...


def window_days(window: str, today: date) -> int:
    """Days from today to the end of a named window (0 = today only)."""
    if window == "today":
        return 0
    if window == "tomorrow":
        return 1
    if window == "this week":
        return 6 - today.weekday()  # through Sunday
    if window == "this month":
        return calendar.monthrange(today.year, today.month)[1] - today.day
    if window == "next week":
        return 7
    return 31  # next month


def read_list_words(text: str) -> ListRequest:
    """``mine next 14 days`` -> ListRequest("mine", None, 14); no scope means the asker's own."""
    rest = " ".join(text.split())
    missed = bool(_MISSED.search(rest))
    rest = " ".join(_MISSED.sub(" ", rest).split())
    days: int | None = None
    window: str | None = None
    match = _NEXT.search(rest)
    if match:
        days = int(match.group(1))
        rest = rest[: match.start()].strip()
        if not 0 < days <= MAX_WINDOW_DAYS:
            raise InvalidInput(
                f"`next {days} days`: use a number of days from 1 to {MAX_WINDOW_DAYS}."
            )
    else:
        named = _WINDOW_WORDS.search(rest)
        if named:
            window = " ".join(named.group(1).lower().split())
            rest = rest[: named.start()].strip()
    if missed and (days is not None or window is not None):
        raise InvalidInput("Missed deadlines are already past: leave out the window.")
    words = rest.split()
    if len(words) > 1:
        raise InvalidInput(
            f"I can list one person, client or matter at a time, not `{rest}`.", usage=LIST_USAGE
        )
    kind, word = "mine", None
    if words and words[0].lower() not in ("mine", "me", "my"):
        word = words[0]
        mentioned = user_id(word) if word.startswith("<@") else None
        if word.lower() in ("all", "firm", "everyone"):
            kind, word = "firm", None
        elif mentioned:
            kind, word = "user", mentioned
        elif word.startswith("@") and len(word) > 1:
            kind, word = "handle", word[1:]
        elif looks_like_matter_code(word):
            kind = "matter"
        else:
            kind = "client"
    return ListRequest(kind, word, days, missed, window)


def user_by_handle(session: Session, handle: str) -> str:
    """The Slack id of ``@handle`` typed as plain text (not a Slack mention)."""
    found = session.scalars(
        select(User.slack_id).where(
            or_(
                func.lower(User.name) == handle.lower(),
                func.lower(User.real_name) == handle.lower(),
            )
        )
    ).all()
    if len(found) != 1:
        raise NotFound(
            f"I can't tell who `@{handle}` is: mention them with Slack's @ picker so the name "
            "turns blue."
        )
    return found[0]


@dataclass(frozen=True)
class Listing:
    title: str
    page: OpenPage  # the first ``limit``, in list order, and how many there are in all
    empty: str


def list_for(
    session: Session,
    *,
    actor: Actor,
    request: ListRequest,
    member_id: int | None,
    today: date,
    limit: int,
) -> Listing:
    """Open deadlines for the scope asked, missed ones included, up to the window's end: the
    first ``limit`` of them, and how many there are."""
    days = request.days
    if request.window is not None:
        days = window_days(request.window, today)
    end = today + timedelta(days=days) if days is not None else None
    if request.missed_only:
        end = today - timedelta(days=1)
    window = f" in the next {request.days} days" if request.days else ""
    if request.window:
        window = f" {request.window}" if request.window != "tomorrow" else " by tomorrow"
    if request.missed_only:
        window = " that were missed"
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
    found = list_open(session, scope=scope, end=end, limit=limit)
    if request.missed_only:
        title = title.replace("open deadlines", "missed deadlines")
    elif request.days:
        title += f", next {request.days} days"
    elif request.window:
        title += f", {request.window}"
    return Listing(title, found, f"{who} no open deadlines{window}.")
