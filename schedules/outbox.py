"""The outbox: every message Clerk sends on its own is a row before it is a Slack call.

A job or a service *enqueues* a message under a deterministic key inside its own unit of work
(``reminder:{deadline_id}:{days_before}:{due_on}``); the unique key makes a second enqueue of
the same message a no-op, whichever process or re-run attempts it. Delivery (claim, send,
mark sent with the Slack ``ts``, retry with backoff, report permanent failures) is done by
``schedules.delivery``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import OutboxMessage

MAX_KEY = 255


def enqueue(
    session: Session,
    *,
    key: str,
    target: str,
    kind: str,
    payload: dict[str, Any],
    not_before: datetime | None = None,
) -> bool:
    """Add a message unless one with ``key`` exists; True if this call added it.

    ``target`` is a channel id, or a user id (``U…``) for a DM opened at send time.
    ``payload`` is what ``chat.postMessage`` takes besides the channel: ``text`` and
    ``blocks``. The row commits with the caller's unit of work, so a message is queued
    exactly when the change that caused it is stored. ``not_before`` (Clerk's clock) holds
    it back until then, e.g. a reminder until the lawyer's own morning.
    """
    if len(key) > MAX_KEY:
        raise ValueError("outbox keys are at most 255 characters")
    exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key))
    if exists is not None:
        return False
    try:
        with session.begin_nested():  # a savepoint: losing a race must not undo the caller
            session.add(
                OutboxMessage(
                    key=key, target=target, kind=kind, payload=payload, not_before=not_before
                )
            )
            session.flush()
    except IntegrityError:
        return False  # a concurrent enqueue of the same message won the unique key
    return True
