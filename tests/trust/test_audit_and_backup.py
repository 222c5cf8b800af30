"""/clerk audit for admins, and a SQLite backup that restores to the same data."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.commands.backup import backup, restore
from bot.errors import ClerkError
from storage.db import Database
from storage.migrate import head_revision, upgrade
from storage.models import AuditLog, Client, Matter
from tests.conftest import PG_URL
from tests.harness import Harness


def _client_with_matter(harness: Harness) -> None:
    with harness.db.unit_of_work("U_LENA") as session:
        client = Client(code="ACME", name="Acme Corp")
        session.add(client)
        session.flush()
        session.add(
            Matter(
                code="ACME-1",
                client_id=client.id,
                number=1,
                title="Dispute",
                opened_on=date(2026, 1, 5),
            )
        )
    with harness.db.unit_of_work("U_PAUL") as session:
        found = session.scalars(select(Client)).one()
        found.name = "Acme Corporation"


def test_admins_see_the_audit_trail_of_a_client_and_its_matters(harness: Harness) -> None:
    _client_with_matter(harness)
    exchange = harness.slack.command("U_ADMIN", "/clerk", "audit acme")
    text = str(exchange.replies[0]["blocks"])
    assert exchange.replies[0]["response_type"] == "ephemeral"
    assert "Audit trail: ACME Acme Corporation" in exchange.replies[0]["text"]
    assert "name: Acme Corp → Acme Corporation" in text
    assert "create matters" in text
    assert "<@U_PAUL>" in text and "<@U_LENA>" in text


def test_a_matter_code_shows_the_matters_trail(harness: Harness) -> None:
    _client_with_matter(harness)
    exchange = harness.slack.command("U_ADMIN", "/clerk", "audit ACME-1")
    assert "Audit trail: ACME-1 Dispute" in exchange.replies[0]["text"]
    assert "update clients" not in str(exchange.replies[0]["blocks"])


@pytest.mark.parametrize("who", ["U_PAUL", "U_LENA", "U_SAM", "U_BILL"])
def test_only_admins_read_the_audit_trail(harness: Harness, who: str) -> None:
    _client_with_matter(harness)
    before = harness.count(AuditLog)
    exchange = harness.slack.command(who, "/clerk", "audit ACME")
    assert "does not allow you to read the audit log" in exchange.replies[0]["text"]
    assert harness.count(AuditLog) == before


def test_refusal_does_not_reveal_whether_the_client_exists(harness: Harness) -> None:
    known = harness.slack.command("U_SAM", "/clerk", "audit ACME").replies[0]["text"]
    unknown = harness.slack.command("U_SAM", "/clerk", "audit NOPE").replies[0]["text"]
    assert known == unknown


@pytest.mark.skipif(bool(PG_URL), reason="SQLite backup; PostgreSQL uses pg_dump")
def test_backup_restores_the_same_rows(tmp_path: Path, database_url: str) -> None:
    db = Database(database_url)
    with db.unit_of_work("U_LENA") as session:
        session.add(Client(code="ACME", name="Acme Corp", credit_limit_cents=123_456_78))
    source = Path(database_url.removeprefix("sqlite:///"))
    copy = tmp_path / "backup.db"
    backup(source, copy)
    with db.unit_of_work("U_LENA") as session:
        session.scalars(select(Client)).one().name = "Changed after the backup"
    db.dispose()
    assert restore(copy, source) == head_revision(db)
    db = Database(database_url)
    with db.reading() as session:
        client = session.scalars(select(Client)).one()
        audit = session.scalars(select(AuditLog)).all()
    assert (client.name, client.credit_limit_cents) == ("Acme Corp", 123_456_78)
    assert [a.action for a in audit] == ["create"]
    db.dispose()


def test_backup_refuses_to_overwrite_and_restore_refuses_non_clerk_files(tmp_path: Path) -> None:
    db_file = tmp_path / "clerk.db"
    db = Database(f"sqlite:///{db_file}")
    upgrade(db)
    db.dispose()
    existing = tmp_path / "exists.db"
    existing.write_bytes(b"")
    with pytest.raises(ClerkError, match="already exists"):
        backup(db_file, existing)
    stranger = tmp_path / "stranger.db"
    with sqlite3.connect(stranger) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(ClerkError, match="not a Clerk database"):
        restore(stranger, db_file)
