"""Row counts of every table, for "a refusal wrote nothing" and "every new row is audited"."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.base import Base
from storage.db import Database


def row_counts(db: Database) -> dict[str, int]:
    """How many rows each of Clerk's tables holds (the audit log included), by table name."""
    with db.reading() as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The tables that gained rows, and how many."""
    return {name: after[name] - before[name] for name in after if after[name] > before[name]}


def unaudited_tables() -> set[str]:
    """Clerk's own machinery (outbox, ledgers, pending confirmations, the audit log itself)."""
    return {
        mapper.class_.__tablename__
        for mapper in Base.registry.mappers
        if not getattr(mapper.class_, "__audited__", True)
    }


def unaudited_rows(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """New rows of audited tables beyond the new audit rows: empty when all are audited."""
    added = grown(before, after)
    machinery = unaudited_tables()
    audited = sum(count for name, count in added.items() if name not in machinery)
    new_audit_rows = added.get("audit_log", 0)
    return (
        {} if new_audit_rows >= audited else {k: v for k, v in added.items() if k not in machinery}
    )
