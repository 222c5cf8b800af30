"""The follow-up DM: queued as the facts it states, drawn as Block Kit when it is sent.

A large firm's morning has a thousand or more follow-ups due, each a DM of the same two
blocks around a different summary. As with reminders (``handlers.deadlines.reminder_views``), the
job
plans a :class:`FollowUp` with its day texts worked out for the morning it is planned on,
the outbox stores those facts, and delivery draws the DM with :meth:`FollowUp.render` just
before ``chat.postMessage``. ``render`` is a pure function of the facts: the dry run, the
tests and delivery all draw the very same DM.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from bot.dates.format import format_short
from handlers.kernel import blocks

# The outbox payload key under which a follow-up's facts are queued (``handlers.scheduled``).
QUEUED_AS = "follow_up"


class FollowUp(NamedTuple):
    """What one follow-up DM states. A named tuple: a morning plans a thousand."""

    client_code: str
    client_name: str
    summary: str
    when: str  # as of the morning it was planned: "today", "3 days ago"
    day: str  # the follow-up date: "Mon 30 Nov"

    def payload(self) -> dict[str, Any]:
        """What the outbox stores: the facts, drawn into Block Kit when sent."""
        return {QUEUED_AS: self._asdict()}

    @classmethod
    def from_queued(cls, facts: Mapping[str, Any]) -> FollowUp:
        """The follow-up an outbox row was queued with (a missing fact is a KeyError)."""
        return cls(*(facts[name] for name in cls._fields))

    def render(self) -> blocks.Message:
        code = self.client_code
        # two blocks, well under the 50 ``blocks.message`` checks for
        return blocks.message(
            blocks.truncate(f"Follow up with {code}: {blocks.escape(self.summary)}", 300),
            blocks.section(
                f":calendar: Follow-up with *{code}* {blocks.escape(self.client_name)} was due "
                f"*{self.when}* ({self.day}):\n"
                + blocks.escape(blocks.truncate(self.summary, 1500))
            ),
            blocks.context(f"When it's done, log it: `/contact {code} call …`"),
        )


class FollowUpWriter:
    """Plans one morning's follow-ups, each due day's texts ("3 days ago", "Mon 30 Nov")
    made once: a thousand follow-ups fall on a few dozen days. One writer per build."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._days: dict[date, tuple[str, str]] = {}

    def _day(self, due: date) -> tuple[str, str]:
        found = self._days.get(due)
        if found is None:
            late = (self.today - due).days
            when = "today" if late <= 0 else f"{late} day{'s' if late != 1 else ''} ago"
            found = self._days[due] = (when, f"{format_short(due)}")
        return found

    def follow_up(self, *, client_code: str, client_name: str, summary: str, due: date) -> FollowUp:
        when, day = self._day(due)
        return FollowUp(client_code, client_name, summary, when, day)
