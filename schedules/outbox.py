"""The outbox: every message Clerk sends on its own is a row before it is a Slack call.

A job or a service *enqueues* a message under a deterministic key inside its own unit of work
(``reminder:{deadline_id}:{days_before}:{due_on}``); the unique key makes a second enqueue of
the same message a no-op, whichever process or re-run attempts it. Delivery (claim, send,
mark sent with the Slack ``ts``, retry with backoff, report permanent failures) is done by
``schedules.delivery``.

There is one insert path, :func:`enqueue_many` (``enqueue`` is it for one message): an
``INSERT ... ON CONFLICT (key) DO NOTHING RETURNING key``, sent for many rows at once. A
morning's thousand reminder DMs are then a few statements instead of a lookup, a savepoint
and an insert each, and the unique key still settles any race in the database itself: the
row a concurrent process inserted first is kept, and this call simply does not count it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from storage.models import OutboxMessage, OutboxStatus

MAX_KEY = 255
# Rows per INSERT statement: SQLAlchemy pages an executemany with RETURNING into
# multi-row VALUES itself; this bounds one statement's parameters and memory.
BATCH_ROWS = 500
# Keys per ``IN (...)`` lookup: far under SQLite's and PostgreSQL's parameter limits.
KEYS_PER_QUERY = 500


@dataclass(frozen=True)
class Queued:
    """One message to enqueue: see :func:`enqueue` for what each field means."""

    key: str
    target: str
    kind: str
    payload: dict[str, Any]
    not_before: datetime | None = None
    # Recorded as already said, never sent: the key is taken so that nothing later sends a
    # message under it (a budget's 80% alert, covered by the 100% one that went instead).
    settled: bool = False


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
    ``blocks``; or a reminder's or follow-up's facts, drawn into its DM when it is sent
    (``handlers.scheduled``). The row commits with the caller's unit of work, so a
    message is queued exactly when the change that caused it is stored. ``not_before``
    (Clerk's clock) holds it back until then, e.g. a reminder until the lawyer's own morning.
    """
    return enqueue_many(session, [Queued(key, target, kind, payload, not_before)]) == 1


def enqueue_many(session: Session, messages: Iterable[Queued]) -> int:
    """Add each message whose key is not in the outbox yet; how many this call added.

    Same guarantees as :func:`enqueue`, message by message and in their order (a key given
    twice counts once, as two ``enqueue`` calls would), in the caller's unit of work.
    """
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for message in messages:
        if len(message.key) > MAX_KEY:
            raise ValueError("outbox keys are at most 255 characters")
        if message.key in seen:
            continue
        seen.add(message.key)
        rows.append(
            {
                "key": message.key,
                "target": message.target,
                "kind": message.kind,
                "payload": message.payload,
                "not_before": message.not_before,
                "status": OutboxStatus.SENT if message.settled else OutboxStatus.PENDING,
            }
        )
    if not rows:
        return 0
    session.flush()  # what the caller changed first is written first, as before
    statement = _insert_new(session).returning(OutboxMessage.__table__.c.key)
    connection = session.connection()
    added = 0
    for start in range(0, len(rows), BATCH_ROWS):
        added += len(connection.execute(statement, rows[start : start + BATCH_ROWS]).all())
    return added


def _insert_new(session: Session) -> Insert:
    """``INSERT INTO outbox ... ON CONFLICT (key) DO NOTHING`` in the session's dialect."""
    table = OutboxMessage.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=["key"])
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=["key"])
    raise NotImplementedError(f"the outbox has no insert-if-new for {dialect}")


def statuses(session: Session, keys: Iterable[str]) -> dict[str, OutboxStatus]:
    """The status of each of ``keys`` already in the outbox (a key not there is left out):
    the lookup the unique key makes on insert, read instead, a page of keys at a time."""
    ordered = sorted(set(keys))
    found: dict[str, OutboxStatus] = {}
    for start in range(0, len(ordered), KEYS_PER_QUERY):
        chunk = ordered[start : start + KEYS_PER_QUERY]
        rows = session.execute(
            select(OutboxMessage.key, OutboxMessage.status).where(OutboxMessage.key.in_(chunk))
        )
        found.update({key: OutboxStatus(status) for key, status in rows})
    return found


def sent_message(
    session: Session, *, channel: str, ts: str, key: str | None, kinds: Collection[str]
) -> OutboxMessage | None:
    """The message of one of ``kinds`` that Clerk sent and Slack shows at ``channel``/``ts``,
    or None when Clerk sent no such message there.

    Found by its outbox key when the caller has it (delivery puts the key in every message's
    metadata, and Slack hands it back with a button press): one read of the unique index,
    then checked against where the row says it was sent. Without a key, the rows of ``kinds``
    are searched by channel and ts.
    """
    if not (channel and ts):
        return None
    where = [
        OutboxMessage.status == OutboxStatus.SENT,
        OutboxMessage.slack_channel == channel,
        OutboxMessage.slack_ts == ts,
        OutboxMessage.kind.in_(list(kinds)),
    ]
    if key:
        where.append(OutboxMessage.key == key)
    return session.scalars(select(OutboxMessage).where(*where).limit(1)).first()
