"""Slack retries event deliveries; each event id must be acted on once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import ProcessedEvent


def first_delivery(db: Database, team_id: str, event_id: str) -> bool:
    """Record the event id; False when it was already seen (a retry or a twin process).

    The unique constraint decides, so two processes receiving the same retry agree.
    """
    try:
        with db.unit_of_work("system") as session:
            session.add(ProcessedEvent(team_id=team_id or "-", event_id=event_id))
        return True
    except IntegrityError:
        return False
