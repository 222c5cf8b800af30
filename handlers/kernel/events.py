"""Each request from Slack is acted on once: event retries, and replayed commands and clicks.

Slack retries an event delivery it thinks failed, under the same event id. A slash command,
a button press, a shortcut or a form submission is never retried, but its signed body stays
valid for five minutes, so whoever captures one can send it again: a second contact, a second
payment. Each carries a ``trigger_id`` Slack never reuses, so both are recorded in the same
table (``processed_events``, an interaction's under ``cmd:`` so the two kinds of id can
never meet), and the unique constraint decides: several processes behind one address agree.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import ProcessedEvent

TRIGGER_NAMESPACE = "cmd:"
MAX_TEAM_ID = 32  # the columns' widths
MAX_EVENT_ID = 64


def first_delivery(db: Database, team_id: str, event_id: str) -> bool:
    """Record the event id; False when it was already seen (a retry or a twin process).

    The unique constraint decides, so two processes receiving the same retry agree.
    """
    try:
        with db.unit_of_work("system") as session:
            session.add(ProcessedEvent(team_id=(team_id or "-")[:MAX_TEAM_ID], event_id=event_id))
        return True
    except IntegrityError:
        return False


def trigger_key(trigger_id: str) -> str:
    """The id an interaction is recorded under: its trigger id, hashed if it would not fit."""
    room = MAX_EVENT_ID - len(TRIGGER_NAMESPACE)
    if len(trigger_id) > room:
        trigger_id = hashlib.sha256(trigger_id.encode()).hexdigest()[:room]
    return TRIGGER_NAMESPACE + trigger_id


def first_interaction(db: Database, team_id: str, trigger_id: str) -> bool:
    """Record a command's or an interaction's trigger id; False when it ran already."""
    return first_delivery(db, team_id, trigger_key(trigger_id))
