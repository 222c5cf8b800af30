"""The planner gets row counts: at start-up, hourly, and after a bulk seed."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.db import Database


def test_sqlite_gets_statistics_once_and_then_only_optimizes(database_url: str) -> None:
    db = Database(database_url)
    if not db.is_sqlite:
        pytest.skip("SQLite's statistics table; PostgreSQL's autovacuum keeps its own")
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
            conn.commit()
        db.refresh_planner_statistics()
        with db.engine.connect() as conn:
            tables = set(conn.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
        assert "alembic_version" in tables  # ANALYZE ran (empty tables get no row)
        db.refresh_planner_statistics()  # now PRAGMA optimize: no error, statistics kept
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar_one() >= 1
    finally:
        db.dispose()


def test_a_full_refresh_runs_on_either_database(database_url: str) -> None:
    db = Database(database_url)
    try:
        db.refresh_planner_statistics(full=True)
        db.refresh_planner_statistics()
    finally:
        db.dispose()
