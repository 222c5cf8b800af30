"""The benchmark's databases: a seeded small and large firm per backend, reused when they can be.

SQLite firms are files in the work directory; PostgreSQL firms are schemas
(``clerk_bench_small``, ``clerk_bench_large``) inside the database given with ``--database``,
reached with ``search_path`` on the connection, so the database's own tables are never
touched. A firm already seeded by the same generator, size and seed is reused (seeding the
large firm takes a minute or two); anything else in a bench-owned file or schema is replaced,
and a file or schema that holds something the bench did not seed is refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

from bot.errors import ClerkError
from bot.tools.seeding import DEFAULT_SEED, FirmShape, seed_firm
from bot.tools.seeding.firm import GENERATOR_VERSION
from storage.db import Database
from storage.migrate import upgrade
from storage.models import AuditLog, Client

Log = Callable[[str], None]


@dataclass
class BenchFirm:
    backend: str  # "sqlite" or "postgresql"
    shape: FirmShape
    url: str
    seeded_now: bool = False
    seed_seconds: float | None = None
    rows: dict[str, int] = field(default_factory=dict)
    seeded_on: str = ""

    @property
    def label(self) -> str:
        return f"{self.backend}/{self.shape.name}"

    def sqlite_path(self) -> Path | None:
        if self.backend != "sqlite":
            return None
        return Path(make_url(self.url).database or "")


def schema_for(shape: FirmShape) -> str:
    return f"clerk_bench_{shape.name.replace('-', '_')}"


def postgres_url(base: str, schema: str) -> str:
    url = make_url(base)
    if url.get_backend_name() != "postgresql":
        raise ClerkError("--database must be a PostgreSQL URL (SQLite is always measured).")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _marker(db: Database) -> dict[str, Any] | None:
    """The seed's audit row, if this database was seeded by ``clerk seed``."""
    if not inspect(db.engine).has_table("audit_log"):
        return None
    with db.reading() as session:
        found = session.scalar(
            select(AuditLog.after)
            .where(AuditLog.action == "seed", AuditLog.entity == "firm")
            .order_by(AuditLog.id.desc())
            .limit(1)
        )
    return found if isinstance(found, dict) else None


def _holds_clients(db: Database) -> bool:
    if not inspect(db.engine).has_table("clients"):
        return False
    with db.reading() as session:
        return bool(session.scalar(select(func.count()).select_from(Client)))


def _matches(marker: dict[str, Any] | None, shape: FirmShape, seed: int) -> bool:
    return bool(
        marker
        and marker.get("size") == shape.name
        and marker.get("seed") == seed
        and marker.get("generator") == GENERATOR_VERSION
    )


def _reset_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            candidate.unlink()


def _reset_schema(base_url: str, schema: str) -> None:
    db = Database(base_url)
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        db.dispose()


def _ensure_schema(base_url: str, schema: str) -> None:
    db = Database(base_url)
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        db.dispose()


def prepare_firm(
    shape: FirmShape,
    *,
    workdir: Path,
    postgres: str | None,
    fresh: bool,
    log: Log,
    seed: int = DEFAULT_SEED,
) -> BenchFirm:
    """A migrated database holding ``shape``, seeded now or reused from an earlier run."""
    if postgres:
        schema = schema_for(shape)
        _ensure_schema(postgres, schema)
        firm = BenchFirm("postgresql", shape, postgres_url(postgres, schema))
    else:
        workdir.mkdir(parents=True, exist_ok=True)
        firm = BenchFirm("sqlite", shape, f"sqlite:///{workdir / f'{shape.name}.db'}")
    db = Database(firm.url)
    try:
        marker = _marker(db)
        if _matches(marker, shape, seed) and not fresh:
            upgrade(db)  # new migrations (indexes) apply to a reused firm too
            firm.rows = dict(marker.get("rows", {})) if marker else {}
            firm.seeded_on = str(marker.get("today", "")) if marker else ""
            log(f"{firm.label}: reusing the firm seeded on {firm.seeded_on}")
            return firm
        if marker is None and _holds_clients(db):
            raise ClerkError(
                f"{firm.label}: {db.engine.url.render_as_string(hide_password=True)} holds "
                "clients the benchmark did not seed; refusing to replace them."
            )
    finally:
        db.dispose()
    if postgres:
        _reset_schema(postgres, schema_for(shape))
    else:
        path = firm.sqlite_path()
        assert path is not None
        _reset_sqlite(path)
    db = Database(firm.url)
    try:
        upgrade(db)
        log(f"{firm.label}: seeding {shape.total_target:,} rows")
        report = seed_firm(db, shape, seed=seed)
    finally:
        db.dispose()
    firm.seeded_now = True
    firm.seed_seconds = report.seconds
    firm.rows = report.rows
    firm.seeded_on = report.today.isoformat()
    log(f"{firm.label}: {report.summary()} in {report.seconds:.1f} s")
    return firm


def default_workdir() -> Path:
    import tempfile

    return Path(os.environ.get("CLERK_BENCH_DIR") or Path(tempfile.gettempdir()) / "clerk-bench")
