"""Row counts of every table, for "a refusal wrote nothing" and "every new row is audited"."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.base import Base
from storage.db import Database

# The ids of the requests Clerk has acted on (event retries, replayed commands and clicks):
# every request adds one before any listener runs, refused or not. Not the firm's data.
REQUEST_LEDGER = "processed_events"


def row_counts(db: Database) -> dict[str, int]:
    """How many rows each of Clerk's tables holds (the audit log included), by table name;
    all but the request ledger, which a refused request adds to as well."""
    with db.reading() as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
            if table.name != REQUEST_LEDGER
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
