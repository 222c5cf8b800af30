"""Deadlines: add, complete, move, cancel, reassign, snooze, and the queries that list them.

Every function takes an open ``Session`` (a unit of work for writes, so the audit trail records
who did what) and the ``Actor``; none parses text or talks to Slack. Dates arrive already read
and explained by the date engine: this module decides what may be stored, never what a
phrase means.

Functions other features call (keep these signatures):

- ``complete_deadline(session, *, actor, deadline_id) -> Deadline``
- ``reassign_deadline(session, *, actor, deadline_id, assignee_slack_id) -> Deadline``: the
  handler resolves the Slack id with ``clerk.directory.member`` first (so the user row
  exists); ``assignee_user_id=`` may be passed instead of the Slack id.
- ``snooze_reminders(session, *, actor, deadline_id, until) -> Deadline``: never moves the date.
- ``open_deadlines_for(session, *, user_id, start, end) -> list[Deadline]``: responsible or
  assignee, for the Home tab (triggers excluded unless ``include_triggers=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.clients.lookup import get_matter
from bot.dates.format import format_day, format_time
from bot.dates.times import ClockTime, localize
from bot.errors import Conflict, InvalidInput, NotFound
from bot.permissions import Actor, Capability
from storage.models import Client, Deadline, DeadlineStatus, Matter, MatterStatus, User
from storage.stamps import session_now

MAX_TITLE = 500
MAX_REASON = 2000
# Two timed deadlines of one lawyer this close together are flagged (a lawyer can't be at
# two hearings at once).
CONFLICT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class NewDeadline:
    """A deadline ready to store: the date is already read, checked and explained."""

    matter_code: str
    title: str
    due_on: date
    due_at: datetime | None = None
    source_text: str | None = None
    explanation: str | None = None
    assignee_id: int | None = None


@dataclass
class Stored:
    """A stored deadline and the timed deadlines it collides with (for the warning)."""

    deadline: Deadline
    matter: Matter
    conflicts: list[Deadline] = field(default_factory=list)


def parse_id(text: str) -> int:
    """``12`` or ``#12`` -> 12; anything else is refused with the expected form."""
    cleaned = text.strip().lstrip("#")
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 12:
        raise InvalidInput(f"`{text}` is not a deadline number: use the # shown in lists, e.g. 12.")
    return int(cleaned)


def clean_title(title: str) -> str:
    title = " ".join(title.split()).strip(" ,;:-–—")
    if not title:
        raise InvalidInput("Give the deadline a title, e.g. `Reply brief`.")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"The title is {len(title):,} characters; the most is {MAX_TITLE}.")
    return title


def clean_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("Say why it is cancelled, e.g. `/deadline cancel 12 settled`.")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"The reason is {len(reason):,} characters; the most is {MAX_REASON}.")
    return reason


def open_matter(session: Session, code: str) -> Matter:
    """The matter a new deadline goes on; a closed matter takes no new deadlines."""
    matter = get_matter(session, code)
    if matter.status is not MatterStatus.OPEN:
        closed = f" on {format_day(matter.closed_on)}" if matter.closed_on else ""
        raise Conflict(f"{matter.code} was closed{closed}: a closed matter takes no new deadlines.")
    return matter


def responsible_for(session: Session, matter: Matter, actor: Actor) -> int:
    """The matter's lawyer, else the client's lawyer, else whoever is adding the deadline."""
    if matter.lawyer_id is not None:
        return matter.lawyer_id
    client = session.get(Client, matter.client_id)
    if client is not None and client.lawyer_id is not None:
        return client.lawyer_id
    return actor.user_id


def add_deadline(session: Session, *, actor: Actor, new: NewDeadline) -> Stored:
    """Store one typed deadline on an open matter, with its source text and explanation."""
    actor.require(Capability.MANAGE_DEADLINES)
    matter = open_matter(session, new.matter_code)
    _check_timed(new.due_on, new.due_at)
    deadline = Deadline(
        matter_id=matter.id,
        title=clean_title(new.title),
        due_on=new.due_on,
        due_at=new.due_at,
        status=DeadlineStatus.OPEN,
        responsible_id=responsible_for(session, matter, actor),
        assignee_id=new.assignee_id,
        source_text=new.source_text,
        explanation=new.explanation,
        created_by_id=actor.user_id,
    )
    session.add(deadline)
    session.flush()
    return Stored(deadline, matter, timed_conflicts(session, deadline))


def _check_timed(due_on: date, due_at: datetime | None) -> None:
    if due_at is not None and due_at.tzinfo is None:
        raise ValueError("a timed deadline needs an aware due_at")


def get_deadline(session: Session, deadline_id: int) -> Deadline:
    deadline = session.get(Deadline, deadline_id)
    if deadline is None:
        raise NotFound(f"There is no deadline #{deadline_id}. `/deadline list` shows the numbers.")
    return deadline


def _require_open(deadline: Deadline, doing: str) -> None:
    if deadline.status is DeadlineStatus.DONE:
        when = f" on {format_day(deadline.completed_at)}" if deadline.completed_at else ""
        raise Conflict(f"Deadline #{deadline.id} was already marked done{when}; I can't {doing}.")
    if deadline.status is DeadlineStatus.CANCELLED:
        raise Conflict(
            f"Deadline #{deadline.id} was cancelled ({deadline.cancel_reason or 'no reason'}); "
            f"I can't {doing}."
        )


def complete_deadline(
    session: Session, *, actor: Actor, deadline_id: int, now: datetime | None = None
) -> Deadline:
    """Mark a deadline done. A trigger (an event such as entry of judgment) is not a task."""
    actor.require(Capability.MANAGE_DEADLINES)
    deadline = get_deadline(session, deadline_id)
    _require_open(deadline, "mark it done")
    if deadline.is_trigger:
        raise InvalidInput(
            f"#{deadline.id} is a trigger ({deadline.title}), an event rather than a task: "
            "mark its deadlines done instead, or cancel the trigger with a reason."
        )
    deadline.status = DeadlineStatus.DONE
    deadline.completed_at = now or session_now(session)
    deadline.completed_by_id = actor.user_id
    session.flush()
    return deadline


def cancel_deadline(session: Session, *, actor: Actor, deadline_id: int, reason: str) -> Deadline:
    """Cancel with a reason (Clerk never deletes). A trigger's dependents are left to the caller."""
    actor.require(Capability.MANAGE_DEADLINES)
    reason = clean_reason(reason)
    deadline = get_deadline(session, deadline_id)
    _require_open(deadline, "cancel it")
    deadline.status = DeadlineStatus.CANCELLED
    deadline.cancel_reason = reason
    session.flush()
    return deadline


def move_deadline(
    session: Session,
    *,
    actor: Actor,
    deadline_id: int,
    due_on: date,
    due_at: datetime | None,
    explanation: str | None,
    source_text: str | None,
    zone: tzinfo = UTC,
    keep_time: bool = True,
) -> Stored:
    """Give an open deadline a new date. Triggers move through ``rule_chains`` instead.

    A timed deadline moved to a day with no time keeps its time of day in the firm's zone (a
    10:00 hearing moved to Wednesday is at 10:00 on Wednesday); ``keep_time=False`` (the
    words "all day") makes it an all-day deadline. A computed deadline keeps its
    ``computed_on``: the difference is how a later move of its trigger knows this date was
    set by hand and must not be recomputed.
    """
    actor.require(Capability.MANAGE_DEADLINES)
    _check_timed(due_on, due_at)
    deadline = get_deadline(session, deadline_id)
    _require_open(deadline, "move it")
    if deadline.is_trigger:
        raise InvalidInput(f"#{deadline.id} is a trigger: its dependents must be previewed first.")
    old = deadline.due_at or deadline.due_on
    kept = None
    if due_at is None and keep_time and deadline.due_at is not None and isinstance(zone, ZoneInfo):
        local = deadline.due_at.astimezone(zone)
        due_at, kept = localize(due_on, ClockTime(local.hour, local.minute, 0, 0), zone)
        explanation = f"{explanation}, {format_time(local)} kept" if explanation else explanation
        if kept:
            explanation = f"{explanation}; {kept}" if explanation else kept
    deadline.due_on = due_on
    deadline.due_at = due_at
    note = f"moved from {_when(old, zone)}"
    deadline.explanation = f"{explanation} ({note})" if explanation else note
    deadline.source_text = source_text
    session.flush()
    matter = session.get(Matter, deadline.matter_id)
    assert matter is not None
    return Stored(deadline, matter, timed_conflicts(session, deadline))


def _when(value: date | datetime, zone: tzinfo) -> str:
    """``Fri 18 Dec 2026`` or ``Thu 3 Dec 2026 10:00 EST``: how the old date is recorded."""
    if isinstance(value, datetime):
        local = value.astimezone(zone)
        return f"{format_day(local.date())} {format_time(local)} {local.tzname()}"
    return format_day(value)


def reassign_deadline(
    session: Session,
    *,
    actor: Actor,
    deadline_id: int,
    assignee_slack_id: str | None = None,
    assignee_user_id: int | None = None,
) -> Deadline:
    """Set who works on the deadline (the assignee); the responsible lawyer stays."""
    actor.require(Capability.MANAGE_DEADLINES)
    deadline = get_deadline(session, deadline_id)
    _require_open(deadline, "reassign it")
    if assignee_user_id is None:
        if not assignee_slack_id:
            raise InvalidInput("Say who takes it over, e.g. `assign @mark`.")
        user = session.scalars(select(User).where(User.slack_id == assignee_slack_id)).first()
        if user is None or not user.is_active:
            raise NotFound(f"<@{assignee_slack_id}> is not a member Clerk knows.")
        assignee_user_id = user.id
    deadline.assignee_id = assignee_user_id
    session.flush()
    return deadline


def snooze_reminders(
    session: Session, *, actor: Actor, deadline_id: int, until: datetime
) -> Deadline:
    """Quiet the reminders until ``until``. The deadline's date is never touched."""
    actor.require(Capability.MANAGE_DEADLINES)
    if until.tzinfo is None:
        raise ValueError("snooze until must be an aware datetime")
    deadline = get_deadline(session, deadline_id)
    _require_open(deadline, "snooze its reminders")
    deadline.reminders_snoozed_until = until
    session.flush()
    return deadline


def timed_conflicts(session: Session, deadline: Deadline) -> list[Deadline]:
    """Other open timed deadlines within an hour of this one for anyone who must attend it:
    its responsible lawyer and its assignee, each in either role on the other deadline."""
    people = {p for p in (deadline.responsible_id, deadline.assignee_id) if p is not None}
    if deadline.due_at is None or not people:
        return []
    nearby = session.scalars(
        select(Deadline).where(
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.id != deadline.id,
            Deadline.due_at.is_not(None),
            Deadline.due_on.between(
                deadline.due_on - timedelta(days=1), deadline.due_on + timedelta(days=1)
            ),
            or_(Deadline.responsible_id.in_(people), Deadline.assignee_id.in_(people)),
        )
    ).all()
    at = deadline.due_at
    return sorted(
        (d for d in nearby if d.due_at is not None and abs(d.due_at - at) <= CONFLICT_WINDOW),
        key=lambda d: d.due_at or at,
    )


# --- queries -----------------------------------------------------------------------------


def sort_key(deadline: Deadline) -> tuple[date, int, datetime | None, int]:
    """By day; on one day all-day items first, then timed ones by time (portable NULL order)."""
    return (deadline.due_on, 0 if deadline.due_at is None else 1, deadline.due_at, deadline.id)


# ``sort_key`` in SQL, for lists read in order (and cut) by the database. Portable NULL
# ordering: all-day items tie on the IS NOT NULL key, so where a database puts NULL times
# never matters; the id settles ties.
LIST_ORDER = (Deadline.due_on, Deadline.due_at.is_not(None), Deadline.due_at, Deadline.id)


def open_deadlines_for(
    session: Session, *, user_id: int, start: date, end: date, include_triggers: bool = False
) -> list[Deadline]:
    """Open deadlines from ``start`` to ``end`` (inclusive) a person is responsible for or
    assigned to, in date order."""
    query = select(Deadline).where(
        Deadline.status == DeadlineStatus.OPEN,
        Deadline.due_on >= start,
        Deadline.due_on <= end,
        or_(Deadline.responsible_id == user_id, Deadline.assignee_id == user_id),
    )
    if not include_triggers:
        query = query.where(Deadline.is_trigger.is_(False))
    return sorted(session.scalars(query).all(), key=sort_key)


def dependents_of(session: Session, trigger_id: int, *, only_open: bool = True) -> list[Deadline]:
    query = select(Deadline).where(Deadline.trigger_id == trigger_id)
    if only_open:
        query = query.where(Deadline.status == DeadlineStatus.OPEN)
    return sorted(session.scalars(query).all(), key=sort_key)


def client_code(session: Session, word: str) -> str | None:
    """The client code ``word`` names, if it is one (for "deadlines go on a matter" hints)."""
    code = word.strip().upper()
    return session.scalars(select(Client.code).where(Client.code == code)).first()


def matter_codes(session: Session, ids: Sequence[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(Matter.id, Matter.code).where(Matter.id.in_(wanted)))
    return {matter_id: code for matter_id, code in rows}


def users_by_id(session: Session, ids: Sequence[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))}
