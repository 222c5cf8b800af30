"""``seed_firm``: a whole synthetic firm in one transaction, for benchmarks and rehearsals.

Refuses a database that already holds clients, matters or money: synthetic records must
never be mixed into a firm's real ones (nothing could tell them apart afterwards, and Clerk
never deletes). The seed is all or nothing: one transaction, so a failure leaves nothing.

**The audit log gets one row**, actor ``system``, saying what was seeded and how much, rather
than a row per record: the trail records what people did, and a generated firm has no author
for each row; a million audit rows would also double the database and the seeding time and
skew every benchmark that reads the log. The row still tells an auditor that the data is
synthetic, when it was made, and by which generator and random seed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, insert, select

from bot.tools.seeding.billing import seed_billing
from bot.tools.seeding.context import SeedContext
from bot.tools.seeding.history import seed_contacts, seed_deadlines
from bot.tools.seeding.people import seed_clients, seed_matters, seed_people
from bot.tools.seeding.shape import FirmShape
from bot.tools.seeding.writer import BulkWriter
from storage.db import Database
from storage.models import AuditLog, Client, Invoice, Matter

GENERATOR_VERSION = 1
DEFAULT_SEED = 20_261_201


class FirmNotEmpty(RuntimeError):
    """The database already holds a firm's records; seeding would mix fake and real."""


@dataclass
class SeedReport:
    shape: FirmShape
    seed: int
    today: date
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        return f"seeded {self.total:,} rows"


def _refuse_if_not_empty(conn: Connection) -> None:
    for model in (Client, Matter, Invoice):
        if conn.execute(select(func.count()).select_from(model)).scalar():
            raise FirmNotEmpty(
                f"the database already holds {model.__tablename__}; seed only an empty "
                "database (a benchmark or rehearsal copy), never a firm's real records"
            )


@contextmanager
def _bulk_session(db: Database) -> Iterator[Connection]:
    """A connection in one transaction; on SQLite without fsyncs while it lasts.

    A seed is rebuilt from scratch if it fails, so losing it to a power cut costs nothing;
    the pragmas are put back before the connection returns to the pool, so Clerk's own
    connections keep ``synchronous=NORMAL``. (SQLite refuses them inside a transaction.)
    """
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection if db.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA synchronous=OFF")
            raw.execute("PRAGMA cache_size=-262144")  # 256 MB of page cache while indexing
        try:
            with conn.begin():
                yield conn
        finally:
            if raw is not None:
                raw.execute("PRAGMA synchronous=NORMAL")
                raw.execute("PRAGMA cache_size=-2000")


def seed_firm(
    db: Database,
    shape: FirmShape,
    *,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    zone: ZoneInfo | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> SeedReport:
    """Generate ``shape`` into ``db`` (already migrated and empty). Deterministic per seed."""
    zone = zone or ZoneInfo("America/New_York")
    today = today or datetime.now(zone).date()
    started = time.perf_counter()
    with _bulk_session(db) as conn:
        _refuse_if_not_empty(conn)
        writer = BulkWriter(conn)
        ctx = SeedContext(
            rng=random.Random(seed), today=today, zone=zone, shape=shape, writer=writer
        )
        steps = (
            ("people", seed_people),
            ("clients", seed_clients),
            ("matters", seed_matters),
            ("contacts", seed_contacts),
            ("deadlines", seed_deadlines),
            ("billing", seed_billing),
        )
        for label, step in steps:
            step(ctx)
            writer.flush()
            if progress is not None:
                progress(label, time.perf_counter() - started)
        writer.finish()
        report = SeedReport(
            shape=shape,
            seed=seed,
            today=today,
            seconds=0.0,
            rows=dict(sorted(writer.counts.items())),
        )
        conn.execute(
            insert(AuditLog),
            [
                {
                    "at": ctx.now,
                    "actor": "system",
                    "action": "seed",
                    "entity": "firm",
                    "entity_id": f"{shape.name}:{seed}",
                    "before": None,
                    "after": {
                        "summary": report.summary(),
                        "size": shape.name,
                        "seed": seed,
                        "generator": GENERATOR_VERSION,
                        "today": today.isoformat(),
                        "rows": report.rows,
                    },
                }
            ],
        )
    # Planner statistics for the bulk-loaded rows, as a firm's database has them after its
    # first `clerk run` (a full ANALYZE when there are none) and autovacuum (PostgreSQL):
    # left to the first start, they added ~1 s to a large firm's first start-up.
    db.refresh_planner_statistics(full=True)
    if db.is_sqlite:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    report.seconds = time.perf_counter() - started
    return report
