"""What ``/deadline`` shows: stored replies, lists, the add modal (pure builders, no I/O).

Every reply that stores a date shows how the date was read or computed, so a lawyer can check
it without trusting Clerk; every deadline is shown with its number (for ``done``/``move``/
``cancel``), its matter and, when a rule made it, its citation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.dates.format import format_day
from bot.deadlines.lists import ListedDeadline
from handlers.kernel import blocks
from storage.models import Deadline, Matter

# What a list line reads: a stored deadline, or the columns a list reads of one.
Listable = Deadline | ListedDeadline


class DeadlineView(StrEnum):
    ADD = "deadline_add_modal"


class DeadlineField(StrEnum):
    MATTER = "deadline_matter"
    TITLE = "deadline_title"
    DAY = "deadline_day"
    TIME = "deadline_time"
    ASSIGNEE = "deadline_assignee"


USAGE_LINES = [
    "/deadline MATTER TITLE [on|by|due] DATE [assign @user]",
    "/deadline MATTER TITLE N [court] days (after|before) DATE",
    "/deadline list [mine | @user | CLIENT | MATTER | all] [missed | next N days | this week]",
    "/deadline done ID  |  /deadline move ID DATE  |  /deadline cancel ID REASON",
    "/deadline calendar [reset]",
    "/deadline rules [RULESET]",
    "/deadline apply MATTER RULESET TRIGGER DATE [by mail]",
]
USAGE = blocks.usage(
    "/deadline: matter deadlines",
    USAGE_LINES,
    [
        "/deadline ACME-1 Hearing on Dec 3 10am",
        "/deadline ACME-1 Opposition 21 days after Nov 20",
        "/deadline list next 14 days",
        "/deadline list all missed",
        "/deadline apply ACME-1 frcp judgment Dec 4",
    ],
)
MAX_LISTED = 120
USAGE_HINT = " · ".join(USAGE_LINES[:3])


def when(deadline: Listable, zone: ZoneInfo) -> str:
    """``Fri 11 Dec 2026`` for an all-day deadline, ``Thu 3 Dec 2026, 10:00 AM EST`` if timed."""
    if deadline.due_at is None:
        return format_day(deadline.due_on)
    return format_at(deadline.due_at, zone)


def format_at(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{format_day(local.date())}, {clock(local)}"


def clock(local: datetime) -> str:
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'} {local.tzname()}"


def relative(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if delta > 0:
        return f"in {delta} days"
    return f"{-delta} days ago"


@dataclass(frozen=True)
class Names:
    """The matter codes and Slack ids a list refers to, loaded once for the whole list (by
    id: a list of 120 deadlines names a few dozen matters and people)."""

    matter_codes: Mapping[int, str]
    slack_ids: Mapping[int, str]

    def matter(self, deadline: Listable) -> str:
        return self.matter_codes.get(deadline.matter_id) or f"matter {deadline.matter_id}"

    def person(self, user_id: int | None) -> str:
        slack_id = self.slack_ids.get(user_id) if user_id is not None else None
        return blocks.mention(slack_id)


def item_line(d: Listable, names: Names, zone: ZoneInfo, *, show_day: bool = False) -> str:
    """One deadline in a list: number, title, matter, time, lawyer, citation."""
    parts = [f"`#{d.id}`", f"*{blocks.escape(blocks.truncate(d.title, 200))}*", names.matter(d)]
    if show_day:
        parts.append(when(d, zone))
    elif d.due_at is not None:
        parts.append(clock(d.due_at.astimezone(zone)))
    people = names.person(d.responsible_id)
    if d.assignee_id is not None and d.assignee_id != d.responsible_id:
        people += f" (assigned {names.person(d.assignee_id)})"
    parts.append(people)
    if d.is_trigger:
        parts.append(":pushpin: trigger")
    if d.citation:
        parts.append(f"_{blocks.escape(d.citation)}_")
    return " · ".join(parts)


def stored_reply(
    verb: str,
    deadline: Deadline,
    matter: Matter,
    names: Names,
    zone: ZoneInfo,
    today: date,
    conflicts: Sequence[Deadline] = (),
) -> blocks.Message:
    """``Added #12 to ACME-1: Reply brief, Fri 11 Dec 2026`` plus how the date was computed."""
    due = when(deadline, zone)
    kind = "" if deadline.due_at is not None else " (all day)"
    text = (  # the fallback of a reply and of the assignee's DM: the title is escaped too
        f"{verb} deadline #{deadline.id} on {matter.code}: {blocks.escape(deadline.title)}, "
        f"{due}{kind} ({relative(deadline.due_on, today)})"
    )
    details = []
    if deadline.explanation:
        details.append(f"How: {blocks.escape(deadline.explanation)}")
    details.append(f"Responsible: {names.person(deadline.responsible_id)}")
    if deadline.assignee_id is not None:
        details.append(f"Assigned: {names.person(deadline.assignee_id)}")
    if deadline.citation:
        details.append(f"Rule: {blocks.escape(deadline.citation)}")
    body = [
        blocks.section(
            f":white_check_mark: {verb} deadline `#{deadline.id}` on *{matter.code}*: "
            f"*{blocks.escape(deadline.title)}*\n*{due}*{kind} ({relative(deadline.due_on, today)})"
        ),
        blocks.context(*details),
    ]
    if conflicts:
        lines = "\n".join(f"• {item_line(c, names, zone, show_day=True)}" for c in conflicts)
        body.append(
            blocks.section(
                f":warning: *Possible conflict:* {names.person(deadline.responsible_id)} has "
                f"another timed deadline within an hour:\n{lines}"
            )
        )
        text += f" (warning: {len(conflicts)} other timed deadline(s) within an hour)"
    return blocks.message(text, *body)


def list_pages(
    title: str,
    deadlines: Sequence[Listable],
    names: Names,
    zone: ZoneInfo,
    today: date,
    *,
    empty: str,
    total: int | None = None,
) -> list[blocks.Message]:
    """Open deadlines grouped by day, missed ones first, paged under Slack's block limit.

    ``total`` is how many there are when ``deadlines`` holds only the first of them.
    """
    if not deadlines:
        return [blocks.message(f"{title}: {empty}", blocks.header(title), blocks.section(empty))]
    total = max(total or 0, len(deadlines))
    deadlines = deadlines[:MAX_LISTED]  # Slack takes at most 5 replies to one command
    rows: list[blocks.Block_] = []
    missed = [d for d in deadlines if d.due_on < today]
    if missed:
        lines = [f"• {item_line(d, names, zone, show_day=True)}" for d in missed]
        rows += _sections(f":rotating_light: *Missed: {len(missed)} still open*", lines)
    days: dict[date, list[Listable]] = {}
    for d in deadlines:
        if d.due_on >= today:
            days.setdefault(d.due_on, []).append(d)
    for day, items in days.items():
        heading = f"*{format_day(day)}* ({relative(day, today)})"
        rows += _sections(heading, [f"• {item_line(d, names, zone)}" for d in items])
    count = f"{total} open deadline{'s' if total != 1 else ''}"
    if total > len(deadlines):
        count += (
            f"; showing the first {len(deadlines)}. Narrow the list with a matter, a person "
            "or `next N days`."
        )
    lead = [blocks.context(count)]
    fallback = f"{title}: {total} open" + (f", {len(missed)} missed" if missed else "")
    return blocks.paginate(title, rows, lead=lead, fallback=fallback)


def _sections(heading: str, lines: list[str]) -> list[blocks.Block_]:
    """A heading and its lines, split so no section passes Slack's 3,000 characters."""
    out: list[blocks.Block_] = []
    current = heading
    for line in lines:
        if len(current) + len(line) + 1 > blocks.MAX_SECTION_TEXT - 100:
            out.append(blocks.section(current))
            current = heading + " (cont.)"
        current += "\n" + line
    out.append(blocks.section(current))
    return out


def add_modal(channel_id: str, *, matter: str | None = None) -> dict[str, object]:
    """The form ``/deadline`` opens with no arguments."""
    return blocks.modal(
        "Add a deadline",
        DeadlineView.ADD,
        [
            blocks.text_input(DeadlineField.MATTER, "Matter", initial=matter, placeholder="ACME-1"),
            blocks.text_input(
                DeadlineField.TITLE, "Title", placeholder="Reply brief", max_length=500
            ),
            blocks.date_input(DeadlineField.DAY, "Date", optional=False),
            blocks.text_input(
                DeadlineField.TIME,
                "Time (leave empty for an all-day deadline)",
                optional=True,
                placeholder="10:00am",
            ),
            blocks.user_input(DeadlineField.ASSIGNEE, "Assign to (optional)"),
        ],
        submit="Add",
        private_metadata=channel_id,
    )
