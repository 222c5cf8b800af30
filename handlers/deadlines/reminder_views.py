"""The reminder DM: queued as the facts it states, drawn as Block Kit when it is sent.

A month-end morning on a large firm plans thousands of reminder DMs inside one unit of work,
which on SQLite holds the firm's only write lock until the outbox rows are in. Each DM's
Block Kit (three blocks, three buttons, a dozen dicts, about 0.9 KB of JSON) was most of
that morning's work and of the outbox's size, though a reminder differs from the next only
in a few texts. So the job plans a :class:`Reminder` (what the DM states, its day and time
texts already worked out in the firm's zone), the outbox stores those facts (about 240
bytes), and delivery draws the DM with :meth:`Reminder.render` just before ``chat.postMessage``,
where it costs about 23 µs next to a round trip to Slack. ``render`` is a pure function of
the facts: the dry run, the tests and delivery all draw the very same DM.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import Any, NamedTuple

from handlers.deadlines.digest_views import DateTexts, DeadlineLine
from handlers.kernel import blocks

# The outbox payload key under which a reminder's facts are queued (instead of ``text`` and
# ``blocks``); delivery draws the DM from them (``handlers.scheduled.chat_arguments``).
QUEUED_AS = "reminder"
# The outbox kind of a reminder DM, whose key starts ``reminder:{deadline_id}:``: what the
# DM's buttons check they were pressed on before they rewrite it.
OUTBOX_KIND = "deadline_reminder"


def outbox_prefix(deadline_id: int) -> str:
    """How every reminder DM's outbox key for ``deadline_id`` starts (``reminder_job``)."""
    return f"reminder:{deadline_id}:"


class ReminderAction(StrEnum):
    DONE = "reminder_done"
    SNOOZE = "reminder_snooze"
    REASSIGN = "reminder_reassign"
    REASSIGN_MODAL = "reminder_reassign_modal"


def reminder_buttons(deadline_id: int) -> blocks.Block_:
    value = str(deadline_id)
    return blocks.actions(
        blocks.button("Mark done", ReminderAction.DONE, value, style="primary"),
        blocks.button("Snooze reminder 1 day", ReminderAction.SNOOZE, value),
        blocks.button("Reassign", ReminderAction.REASSIGN, value),
    )


def when_text(days_before: int) -> str:
    if days_before == 0:
        return "today"
    if days_before == 1:
        return "tomorrow"
    return f"in {days_before} days"


class Reminder(NamedTuple):
    """What one reminder DM states. A named tuple: a morning plans thousands."""

    deadline_id: int
    matter_code: str
    title: str
    day: str  # the due day as the firm reads it: "Mon 28 Dec 2026"
    time: str  # the due time in the firm's zone ("3:00 PM"), or "" for an all-day deadline
    citation: str | None
    lawyer_slack_id: str | None
    days_before: int  # as the DM is read: 0 is "today"

    def payload(self) -> dict[str, Any]:
        """What the outbox stores: the facts, drawn into Block Kit when sent."""
        return {QUEUED_AS: self._asdict()}

    @classmethod
    def from_queued(cls, facts: Mapping[str, Any]) -> Reminder:
        """The reminder an outbox row was queued with (a missing fact is a KeyError)."""
        return cls(*(facts[name] for name in cls._fields))

    def render(self) -> blocks.Message:
        when = when_text(self.days_before)
        at = f" at {self.time}" if self.time else ""
        title = blocks.escape(self.title)
        text = f"Reminder: {self.matter_code} {title} is due {when}{at} ({self.day})"
        detail = f"Deadline #{self.deadline_id} · {self.day}{at}"
        if self.citation:
            detail += f" · {blocks.escape(self.citation)}"
        if self.lawyer_slack_id:
            detail += f" · responsible {blocks.mention(self.lawyer_slack_id)}"
        return blocks.message(
            blocks.truncate(text, 300),
            blocks.section(
                f":alarm_clock: *{self.matter_code}* "
                f"{blocks.escape(blocks.truncate(self.title, 500))} is due *{when}*{at}"
            ),
            blocks.context(detail),
            reminder_buttons(self.deadline_id),
        )


class ReminderWriter:
    """Plans one morning's reminders, with each day and time text formatted once
    (:class:`DateTexts`): a thousand DMs fall on a few dozen days and times. One writer per
    build; nothing outlives the morning."""

    def __init__(self, zone: tzinfo) -> None:
        self._texts = DateTexts(zone)

    def reminder(self, item: DeadlineLine, days_before: int) -> Reminder:
        due_at: datetime | None = item.due_at
        due_on: date = item.due_on
        return Reminder(
            item.deadline_id,
            item.matter_code,
            item.title,
            self._texts.day(due_on),
            self._texts.time(due_at) if due_at else "",
            item.citation,
            item.lawyer_slack_id,
            days_before,
        )
