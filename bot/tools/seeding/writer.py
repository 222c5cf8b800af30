"""Bulk writes for the synthetic firm: core ``insert()`` executemany in chunks.

Rows are buffered per table and flushed in foreign-key order (parents before children), so
a generator can emit a client's invoices, payments and allocations together and the buffers
stay bounded however large the firm. Ids are assigned by the generator (from the table's
current maximum), which lets children refer to parents without a round trip per row; on
PostgreSQL the id sequences are moved past them afterwards so Clerk's own inserts continue.

These rows bypass the ORM on purpose: the per-row audit hook would double the database and
the seeding time. ``bot.tools.seeding.firm`` writes one audit row for the whole seed instead.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from storage.base import Base

CHUNK_ROWS = 5_000


class BulkWriter:
    """Buffered, chunked inserts on one connection (inside the caller's transaction)."""

    def __init__(self, conn: Connection, *, chunk: int = CHUNK_ROWS) -> None:
        self.conn = conn
        self.chunk = chunk
        self._order = {table.name: i for i, table in enumerate(Base.metadata.sorted_tables)}
        self._tables: dict[str, Table] = {t.name: t for t in Base.metadata.sorted_tables}
        self._buffers: dict[str, list[dict[str, Any]]] = {}
        self._next_id: dict[str, int] = {}
        self.counts: Counter[str] = Counter()

    def new_id(self, table: str) -> int:
        """The next id of ``table``, continuing after whatever the table already holds."""
        if table not in self._next_id:
            column = self._tables[table].c.id
            current = self.conn.execute(select(func.max(column))).scalar()
            self._next_id[table] = int(current or 0)
        self._next_id[table] += 1
        return self._next_id[table]

    def add(self, table: str, row: dict[str, Any]) -> None:
        buffer = self._buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Write every buffer, parents first, so each chunk's foreign keys already exist."""
        for name in sorted(self._buffers, key=self._order.__getitem__):
            rows = self._buffers[name]
            if rows:
                self.conn.execute(insert(self._tables[name]), rows)
                self.counts[name] += len(rows)
                rows.clear()

    def finish(self) -> None:
        self.flush()
        if self.conn.dialect.name == "postgresql":
            self._advance_sequences()

    def _advance_sequences(self) -> None:
        for name in self._next_id:
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                )
            )
