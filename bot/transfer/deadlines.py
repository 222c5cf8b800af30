"""``clerk export deadlines`` / ``clerk import deadlines`` (the columns listed in the README, kept
exactly).

Columns: ``id,matter,title,due_on,due_at,status,responsible,rule,trigger_id``. ``due_at`` is
ISO 8601 with the firm time zone's offset, empty for an all-day deadline.

On import, ``id`` is the row's number *within the file*: rows get new numbers in Clerk, and a
``trigger_id`` that names an earlier row of the same file is linked to that row's new number
(otherwise it must name a trigger already in Clerk). A row with a ``rule`` and no
``trigger_id`` is a trigger. The citation is taken from the rule set that ``rule`` names. A row
identical to a deadline already in Clerk (same matter, title, date, time and status) is
refused, so importing a file twice cannot double every reminder. The date a rule computed is
not in the file, so an imported dependent counts as set by hand: if its trigger moves, Clerk
keeps its date and flags it rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotFound
from bot.rules.loader import load_rule_sets
from bot.settings import load_settings
from bot.transfer import ImportContext, Kind, register
from storage.models import Client, Deadline, DeadlineStatus, Matter, MatterStatus, User

PINNED = (
    "id",
    "matter",
    "title",
    "due_on",
    "due_at",
    "status",
    "responsible",
    "rule",
    "trigger_id",
)
MAX_TITLE = 500


def _zone() -> ZoneInfo:
    return load_settings().tz


def _stamp(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).isoformat() if value is not None else ""


def export_rows(session: Session) -> Iterator[dict[str, str]]:
    zone = _zone()
    users = {u.id: u.slack_id for u in session.scalars(select(User))}
    rows = session.execute(
        select(Deadline, Matter.code)
        .join(Matter, Matter.id == Deadline.matter_id)
        .order_by(Deadline.id)
    )
    for d, code in rows:
        yield {
            "id": str(d.id),
            "matter": code,
            "title": d.title,
            "due_on": d.due_on.isoformat(),
            "due_at": _stamp(d.due_at, zone),
            "status": d.status.value,
            "responsible": users.get(d.responsible_id, "") if d.responsible_id else "",
            "rule": d.rule or "",
            "trigger_id": str(d.trigger_id) if d.trigger_id else "",
        }


# --- import ------------------------------------------------------------------------------


def _day(value: str, column: str, *, required: bool = False) -> date | None:
    if not value:
        if required:
            raise InvalidInput(f"{column} is required (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{column} {value!r} is not a date (YYYY-MM-DD)") from exc


def _aware(value: str, column: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            f"{column} {value!r} is not ISO 8601 (2026-12-03T10:00:00-05:00)"
        ) from exc
    if parsed.tzinfo is None:
        raise InvalidInput(f"{column} {value!r} needs a UTC offset, e.g. 2026-12-03T10:00:00-05:00")
    return parsed


def _citation(ctx: ImportContext, rule: str | None) -> str | None:
    """The citation of ``SET:RULE`` from the loaded rule sets (None if no longer defined)."""
    if rule is None:
        return None
    book = ctx.cache.get("rule_book")
    if book is None:
        book = ctx.cache["rule_book"] = load_rule_sets(load_settings().rules_dir)
    set_name, _, rule_id = rule.partition(":")
    try:
        ruleset = book.get(set_name)
    except NotFound:
        return None  # a set the firm no longer loads: the deadline keeps its date and rule
    found = ruleset.find_rule(rule_id)
    return found.citation if found else None


def _user(session: Session, slack_id: str, column: str) -> int | None:
    if not slack_id:
        return None
    found = session.scalars(select(User.id).where(User.slack_id == slack_id)).first()
    if found is None:
        raise InvalidInput(f"{column} {slack_id!r} is not a Slack user id Clerk knows")
    return found


def _status(value: str) -> DeadlineStatus:
    try:
        return DeadlineStatus((value or "open").strip().lower())
    except ValueError as exc:
        raise InvalidInput(f"status {value!r} must be open, done or cancelled") from exc


def _rule(value: str) -> str | None:
    if not value:
        return None
    set_name, sep, item = value.strip().lower().partition(":")
    if not sep or not set_name or not item or len(value) > 120:
        raise InvalidInput(f"rule {value!r} must look like SET:RULE, e.g. frcp:answer")
    return f"{set_name}:{item}"


def _trigger(ctx: ImportContext, value: str) -> int | None:
    if not value:
        return None
    mapped: dict[str, int] = ctx.cache.setdefault("deadline_ids", {})
    if value in mapped:
        return mapped[value]
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise InvalidInput(f"trigger_id {value!r} names no row earlier in this file")
    existing = ctx.session.get(Deadline, int(value))
    if existing is None or not existing.is_trigger:
        raise InvalidInput(
            f"trigger_id {value} names no trigger earlier in this file or in Clerk "
            "(list a trigger before the deadlines that follow from it)"
        )
    return existing.id


def import_row(ctx: ImportContext, row: dict[str, str]) -> None:
    session = ctx.session
    code = row.get("matter", "").strip().upper()
    matter = session.scalars(select(Matter).where(Matter.code == code)).first()
    if matter is None:
        raise InvalidInput(f"there is no matter {code!r}" if code else "matter is required")
    title = " ".join(row.get("title", "").split())
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput(f"title is required and at most {MAX_TITLE} characters")
    due_at = _aware(row.get("due_at", ""), "due_at")
    due_on = _day(row.get("due_on", ""), "due_on", required=due_at is None)
    if due_at is not None:
        local_day = due_at.astimezone(_zone()).date()
        if due_on is not None and due_on != local_day:
            raise InvalidInput(f"due_on {due_on} is not the day of due_at ({local_day})")
        due_on = local_day
    assert due_on is not None
    status = _status(row.get("status", ""))
    if status is DeadlineStatus.OPEN and matter.status is not MatterStatus.OPEN:
        raise InvalidInput(f"{matter.code} is closed: it takes no new open deadlines")
    duplicate = session.scalars(
        select(Deadline.id).where(
            Deadline.matter_id == matter.id,
            Deadline.title == title,
            Deadline.due_on == due_on,
            Deadline.status == status,
        )
    ).all()
    for other in duplicate:
        found = session.get(Deadline, other)
        if found is not None and found.due_at == due_at:
            raise InvalidInput(f"this deadline is already in Clerk as #{other}")
    rule = _rule(row.get("rule", ""))
    if row.get("trigger_id", "").strip() and rule is None:
        raise InvalidInput("a deadline with a trigger_id needs the rule that computed it")
    trigger_id = _trigger(ctx, row.get("trigger_id", "").strip())
    is_trigger = rule is not None and trigger_id is None
    client = session.get(Client, matter.client_id)
    responsible = _user(session, row.get("responsible", "").strip(), "responsible")
    if responsible is None:
        responsible = matter.lawyer_id or (client.lawyer_id if client else None)
    deadline = Deadline(
        matter_id=matter.id,
        title=title,
        due_on=due_on,
        due_at=due_at,
        status=status,
        responsible_id=responsible,
        rule=rule,
        is_trigger=is_trigger,
        trigger_id=trigger_id,
        citation=_citation(ctx, rule) if trigger_id is not None else None,
        explanation="imported from CSV",
        source_text=f"clerk import deadlines (row {row.get('id') or 'without id'})",
    )
    if status is DeadlineStatus.CANCELLED:
        deadline.cancel_reason = "imported as cancelled"
    session.add(deadline)
    session.flush()
    file_id = row.get("id", "").strip()
    if file_id:
        mapped: dict[str, int] = ctx.cache.setdefault("deadline_ids", {})
        if file_id in mapped:
            raise InvalidInput(f"id {file_id} is used by an earlier row of this file")
        mapped[file_id] = deadline.id


register(Kind("deadlines", PINNED, export_rows, import_row, required=("matter", "title")))
