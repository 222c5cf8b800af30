"""Messages queued as facts and drawn into Block Kit when they are sent.

Reminders and follow-ups are the bulk of a morning (thousands of DMs on a large firm's
month-end) and each differs from the next only in a few texts, so their jobs queue what the
DM states (a few hundred bytes) instead of its Block Kit (about a kilobyte), inside the unit
of work that on SQLite holds the firm's only write lock. Delivery draws each one just before
``chat.postMessage``; every other message is queued as the message itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.views import follow_ups, reminders

Facts = reminders.Reminder | follow_ups.FollowUp

# The payload key each kind of facts is queued under, and how to read them back.
_DRAWN: dict[str, type[reminders.Reminder] | type[follow_ups.FollowUp]] = {
    reminders.QUEUED_AS: reminders.Reminder,
    follow_ups.QUEUED_AS: follow_ups.FollowUp,
}


def chat_arguments(payload: Mapping[str, Any]) -> dict[str, Any]:
    """What ``chat.postMessage`` is given for a queued payload besides the channel: the
    payload itself, or the DM drawn from the facts it was queued with (a row queued before
    its kind was stored as facts carries its blocks, and is sent as it is). Facts that
    cannot be read raise KeyError, TypeError or ValueError: delivery fails such a row."""
    arguments = dict(payload)
    for key, kind in _DRAWN.items():
        facts = arguments.pop(key, None)
        if facts is not None:
            arguments.update(kind.from_queued(facts).render().payload())
    return arguments
