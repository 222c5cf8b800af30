"""Migration 0010 adds ``calendar_feeds`` and takes it away again on downgrade."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage.db import Database
from storage.migrate import alembic_config


def tables(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def test_downgrade_drops_the_feeds_table_and_upgrade_brings_it_back(db: Database) -> None:
    config = alembic_config(db)
    below = ScriptDirectory.from_config(config).get_revision("0010").down_revision
    assert "calendar_feeds" in tables(db)
    try:
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, str(below))
        assert "calendar_feeds" not in tables(db)
    finally:
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    assert "calendar_feeds" in tables(db)
    with db.engine.connect() as conn:
        indexes = {ix["name"] for ix in inspect(conn).get_indexes("calendar_feeds")}
    assert "ix_calendar_feeds_user_matter" in indexes
