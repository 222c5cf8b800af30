"""Migration 0009 adds ``contacts.follow_up_closed_by_id`` and its partial index, and takes
them away again on downgrade, keeping the contacts. On both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import inspect, select

from storage.db import Database
from storage.migrate import alembic_config, current_revision, head_revision
from storage.models import Client, Contact, User


def _to(db: Database, revision: str, *, down: bool) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def _shape(db: Database) -> tuple[set[str], set[str]]:
    found = inspect(db.engine)
    columns = {c["name"] for c in found.get_columns("contacts")}
    indexes = {str(i["name"]) for i in found.get_indexes("contacts")}
    return columns, indexes


def test_0009_upgrades_and_downgrades(db: Database) -> None:
    with db.unit_of_work("test") as s:
        lena = User(slack_id="U_LENA", name="lena")
        acme = Client(code="ACME", name="Acme Corp")
        s.add_all([lena, acme])
        s.flush()
        s.add(
            Contact(
                client_id=acme.id,
                summary="call",
                occurred_at=datetime(2026, 11, 2, 15, 0, tzinfo=UTC),
                follow_up_on=date(2026, 11, 9),
                follow_up_done_at=datetime(2026, 11, 9, 15, 0, tzinfo=UTC),
                follow_up_closed_by_id=lena.id,
                logged_by_id=lena.id,
            )
        )
    columns, indexes = _shape(db)
    assert "follow_up_closed_by_id" in columns and "ix_contacts_closed_by_colleague" in indexes
    try:
        _to(db, "0012", down=True)
        assert current_revision(db) == "0012"
        columns, indexes = _shape(db)
        assert "follow_up_closed_by_id" not in columns
        assert "ix_contacts_closed_by_colleague" not in indexes
    finally:
        _to(db, "head", down=False)
    assert current_revision(db) == head_revision(db)
    with db.reading() as s:
        (kept,) = s.scalars(select(Contact))
        assert kept.summary == "call" and kept.follow_up_closed_by_id is None
