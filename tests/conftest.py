"""Shared fixtures: a clean migrated database per test, on SQLite or PostgreSQL.

``CLERK_TEST_DATABASE_URL`` selects PostgreSQL (``.ci/run`` points it at a throwaway
database); without it every test gets its own SQLite file copied from a migrated template.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.base import Base
from storage.db import Database
from storage.migrate import upgrade

PG_URL = os.environ.get("CLERK_TEST_DATABASE_URL", "")


def pytest_report_header() -> str:
    return f"clerk database: {PG_URL.split('@')[-1] if PG_URL else 'SQLite (file per test)'}"


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
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.dispose()
        return PG_URL
    target = directory / "clerk.db"
    shutil.copyfile(migrated, target)
    return f"sqlite:///{target}"


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
