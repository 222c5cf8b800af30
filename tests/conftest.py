"""Shared fixtures: a clean migrated database per test, on SQLite or PostgreSQL.

``CLERK_TEST_DATABASE_URL`` selects PostgreSQL (``.ci/run`` points it at a throwaway
database); without it every test gets its own SQLite file copied from a migrated template.

``CLERK_TEST_SHIFT_DAYS=N`` runs the whole session with the wall clock N days ahead (the
clock keeps ticking; monotonic time is untouched, so timeouts and sleeps behave). CI runs
the suite once so: a test or a stamp that reads the real date where Clerk's clock should
decide fails the day it is written, not the day the calendar passes a date in a test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Connection, text

from storage.base import Base
from storage.db import Database
from storage.migrate import upgrade

PG_URL = os.environ.get("CLERK_TEST_DATABASE_URL", "")
# ``CLERK_TEST_WALL_CLOCK="2027-03-14T06:30:00+00:00"`` starts the session's wall clock at that
# instant instead (the morning of a daylight-saving change, 29 Feb, New Year's Eve...).
WALL_CLOCK = os.environ.get("CLERK_TEST_WALL_CLOCK", "")
SHIFT_DAYS = int(os.environ.get("CLERK_TEST_SHIFT_DAYS") or 0) or (1 if WALL_CLOCK else 0)
_shifted: list[time_machine.travel] = []


def pytest_configure(config: pytest.Config) -> None:
    if SHIFT_DAYS:
        start = (
            datetime.fromisoformat(WALL_CLOCK)
            if WALL_CLOCK
            else datetime.now(UTC) + timedelta(days=SHIFT_DAYS)
        )
        traveller = time_machine.travel(start, tick=True)
        traveller.start()
        _shifted.append(traveller)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _shifted:
        _shifted.pop().stop()


def pytest_report_header() -> str:
    where = PG_URL.split("@")[-1] if PG_URL else "SQLite (file per test)"
    shift = f"; wall clock from {WALL_CLOCK}" if WALL_CLOCK else ""
    shift = shift or (f"; wall clock shifted {SHIFT_DAYS} days ahead" if SHIFT_DAYS else "")
    return f"clerk database: {where}{shift}"


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate once per session; the per-test fixture copies or truncates."""
    if PG_URL:
        db = Database(PG_URL)
        upgrade(db)
        db.dispose()
        return PG_URL
    template = tmp_path_factory.mktemp("template") / "clerk.db"
    db = Database(f"sqlite:///{template}")
    upgrade(db)
    db.dispose()
    return str(template)


@pytest.fixture
def database_url(_migrated: str, tmp_path: Path) -> str:
    return fresh_database_url(_migrated, tmp_path)


def fresh_database_url(migrated: str, directory: Path) -> str:
    """A clean migrated database: a copy of the SQLite template in ``directory``, or the
    PostgreSQL test database truncated. Module-scoped firms use it directly."""
    if PG_URL:
        db = Database(PG_URL)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with db.engine.begin() as conn:
            _free_the_scheduler_lock(conn)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.dispose()
        return PG_URL
    target = directory / "clerk.db"
    shutil.copyfile(migrated, target)
    return f"sqlite:///{target}"


def _free_the_scheduler_lock(conn: Connection) -> None:
    """End any session still holding an advisory lock on the test database.

    The scheduler's leader lock lives as long as its connection: a scheduler an earlier test
    left open in this process would make the next test's scheduler a follower that runs
    nothing. Each test starts, like a fresh office, with nobody leading.
    """
    conn.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
    )


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def harness(database_url: str) -> Iterator[object]:
    from tests.harness import running_clerk

    with running_clerk(database_url) as running:
        running.add_people()
        yield running
