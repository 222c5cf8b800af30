"""The audit trail, attached to every Clerk session so no write can skip it.

Clerk's rule is one write path: every change to a client, matter, deadline or money row is
recorded with who made it and the values before and after. Rather than trusting each
service to remember a helper call, the record is taken at flush time from SQLAlchemy's own
change tracking: whatever a service adds or modifies is audited, and a session without an
actor cannot write at all. Hard deletes are refused outright.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from storage.base import Base
from storage.models.system import AuditLog
from storage.stamps import session_now

ACTOR_KEY = "clerk_actor"
SYSTEM_ACTOR = "system"


class MissingActor(RuntimeError):
    """A write was attempted through a session that does not say who is writing."""


class HardDeleteRefused(RuntimeError):
    """Clerk never deletes records: void, cancel, close or mark former instead."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _is_audited(obj: object) -> bool:
    return isinstance(obj, Base) and getattr(type(obj), "__audited__", True)


def _entity_id(obj: Base) -> str:
    # The identity key is only assigned after the flush; the primary key attributes are
    # already populated here (after INSERT), so read them from the instance.
    key = inspect(type(obj)).primary_key_from_instance(obj)
    return ":".join(str(part) for part in key)


def _snapshot(obj: Base) -> dict[str, Any]:
    mapper = inspect(type(obj))
    return {col.key: _jsonable(getattr(obj, col.key)) for col in mapper.column_attrs}


def _changes(obj: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[attr.key] = _jsonable(old)
        after[attr.key] = _jsonable(new)
    return before, after


def _before_flush(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    deleted = [obj for obj in session.deleted if _is_audited(obj)]
    if deleted:
        raise HardDeleteRefused(
            f"refusing to delete {type(deleted[0]).__name__}: Clerk voids, cancels or closes"
        )
    touched = any(_is_audited(obj) for obj in (*session.new, *session.dirty))
    if touched and not session.info.get(ACTOR_KEY):
        raise MissingActor("every write must name its actor (a Slack user id or 'system')")


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    actor = session.info.get(ACTOR_KEY, SYSTEM_ACTOR)
    at = session_now(session)
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if _is_audited(obj):
            rows.append(
                {
                    "at": at,
                    "actor": actor,
                    "action": "create",
                    "entity": obj.__tablename__,
                    "entity_id": _entity_id(obj),
                    "before": None,
                    "after": _snapshot(obj),
                }
            )
    for obj in session.dirty:
        if not _is_audited(obj) or not session.is_modified(obj, include_collections=False):
            continue
        before, after = _changes(obj)
        if after:
            rows.append(
                {
                    "at": at,
                    "actor": actor,
                    "action": "update",
                    "entity": obj.__tablename__,
                    "entity_id": _entity_id(obj),
                    "before": before,
                    "after": after,
                }
            )
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def record(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Audit a change the flush cannot see: a set of link rows replaced as a whole (a
    client's related clients), where the old links go by a statement, not one by one. The
    same row the flush writes, with the session's actor."""
    session.connection().execute(
        insert(AuditLog),
        [
            {
                "at": session_now(session),
                "actor": session.info.get(ACTOR_KEY, SYSTEM_ACTOR),
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "before": before,
                "after": after,
            }
        ],
    )


_installed = False


def install() -> None:
    """Attach the audit hooks to every ORM session in the process (idempotent).

    Registering on the ``Session`` class rather than on each sessionmaker means no session
    can be created that skips the audit, whichever factory made it.
    """
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        _installed = True
