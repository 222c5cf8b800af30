"""Migration 0011 adds parties, conflict searches and matter documents, and takes them away
again on downgrade (the tables only: nothing else in the firm changes)."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage.db import Database
from storage.migrate import alembic_config

TABLES = {"parties", "conflict_searches", "matter_documents"}


def test_downgrade_drops_the_tables_and_upgrade_brings_them_back(db: Database) -> None:
    config = alembic_config(db)
    below = ScriptDirectory.from_config(config).get_revision("0011").down_revision
    assert isinstance(below, str)
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    try:
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, below)
        db.engine.dispose()
        assert not TABLES & set(inspect(db.engine).get_table_names())
        assert "matters" in inspect(db.engine).get_table_names()
    finally:
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        db.engine.dispose()
    found = inspect(db.engine)
    assert set(found.get_table_names()) >= TABLES
    assert {"ix_parties_normalised", "ix_parties_matter_id"} <= {
        ix["name"] for ix in found.get_indexes("parties")
    }
