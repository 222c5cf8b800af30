"""Seeded firms for the benchmark's tests: a clean migrated database per firm.

On SQLite each firm is its own copy of the session's migrated template; on PostgreSQL
(``CLERK_TEST_DATABASE_URL``) there is one test database, so a firm is seeded into it after
the tables are emptied, and a test measures one firm at a time.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.tools.seeding import FirmShape, seed_firm
from storage.base import Base
from storage.db import Database
from tests.conftest import PG_URL

SeededFirm = Callable[[FirmShape], str]

# Every benchmark test's firm is seeded as of this day and Clerk runs on its clock, so what
# a morning holds (and how many statements it costs) never depends on the real date.
SEEDED_ON = date(2026, 12, 4)  # a Friday
MONDAY = date(2026, 12, 7)  # the morning the tests measure
CLERK_AT = datetime(2026, 12, 4, 18, 0, tzinfo=ZoneInfo("America/New_York"))


def _clean(template: str, target: Path) -> str:
    if PG_URL:
        db = Database(PG_URL)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.dispose()
        return PG_URL
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def clean_database(_migrated: str, tmp_path: Path) -> str:
    """A migrated database with nothing in it."""
    return _clean(_migrated, tmp_path / "clean.db")


@pytest.fixture
def seeded_firm(_migrated: str, tmp_path: Path) -> SeededFirm:
    """``seeded_firm(shape)`` -> the URL of a clean database holding that firm."""

    def make(shape: FirmShape) -> str:
        url = _clean(_migrated, tmp_path / f"{shape.name}.db")
        db = Database(url)
        try:
            seed_firm(db, shape, today=SEEDED_ON)
        finally:
            db.dispose()
        return url

    return make
