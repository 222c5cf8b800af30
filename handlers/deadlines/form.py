"""The ``/deadline`` form: opening it, and reading what was submitted.

Every problem is reported under its own field so the modal stays open with what was typed;
a past date is refused here (a form has no *Confirm* step: the typed command has one).
Storing is the command's job (``handlers.deadlines.store``), so both paths store alike.
"""

from __future__ import annotations

from typing import Any

from bot.clerk import Clerk
from bot.clients.lookup import looks_like_matter_code
from bot.deadlines import service as deadlines
from bot.errors import FieldErrors
from bot.permissions import Actor, Capability
from handlers.deadlines import views
from handlers.kernel.commands import CommandRequest


def open_modal(request: CommandRequest) -> dict[str, Any]:
    request.actor.require(Capability.MANAGE_DEADLINES)
    return views.add_modal(request.channel_id)


def modal_deadline(
    clerk: Clerk, actor: Actor, values: dict[str, str | None]
) -> deadlines.NewDeadline:
    """Read the submitted form; any problem is put under its field (the modal stays open)."""
    actor.require(Capability.MANAGE_DEADLINES)
    code = (values.get(views.DeadlineField.MATTER) or "").strip()
    title = " ".join((values.get(views.DeadlineField.TITLE) or "").split())
    day = values.get(views.DeadlineField.DAY) or ""
    time_text = (values.get(views.DeadlineField.TIME) or "").strip()
    errors: dict[str, str] = {}
    if not looks_like_matter_code(code):
        errors[views.DeadlineField.MATTER] = "A matter code, e.g. ACME-1."
    if not title:
        errors[views.DeadlineField.TITLE] = "Give the deadline a title."
    elif len(title) > deadlines.MAX_TITLE:
        errors[views.DeadlineField.TITLE] = f"At most {deadlines.MAX_TITLE} characters."
    if not day:
        errors[views.DeadlineField.DAY] = "Pick a date."
    if errors:
        raise FieldErrors(errors)
    with clerk.db.reading() as session:
        deadlines.open_matter(session, code)
    text = f"{day} {time_text}".strip()
    parsed = clerk.dates.parse(text, now=clerk.now(), prefer="future")
    if time_text and getattr(parsed, "at", None) is None:
        raise FieldErrors({views.DeadlineField.TIME: f"`{time_text}` is not a time, e.g. 10:30am."})
    reading = parsed.at.astimezone(clerk.settings.tz).date() if parsed.at else parsed.day
    now = clerk.now()
    if (parsed.at is not None and parsed.at < now) or reading < clerk.now().astimezone(
        clerk.settings.tz
    ).date():
        raise FieldErrors(
            {
                views.DeadlineField.DAY: (
                    "That is in the past. To record a past deadline, type "
                    f"/deadline {code} {title[:40]} on {day} and confirm."
                )
            }
        )
    assignee = values.get(views.DeadlineField.ASSIGNEE)
    member = clerk.directory.member(assignee) if assignee else None
    return deadlines.NewDeadline(
        matter_code=code,
        title=title,
        due_on=reading,
        due_at=parsed.at,
        source_text=f"{title} on {text} (form)",
        explanation=parsed.explanation,
        assignee_id=member.user_id if member else None,
    )
