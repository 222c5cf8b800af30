"""Migration 0008 adds write-offs, dispute owners and review dates, and the relationship
partner; downgrading gives written-off invoices back as open ones (the older schema has no
word for them) and keeps the ledger's running totals true. On both databases."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, select, text

from bot.billing import ledger
from storage.db import Database
from storage.migrate import alembic_config, current_revision, head_revision
from storage.models import Client, Invoice, InvoiceStatus


def _to(db: Database, revision: str, *, down: bool) -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def _columns(db: Database, table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_0008_upgrades_and_downgrades(db: Database) -> None:
    with db.unit_of_work("test") as s:
        acme = Client(code="ACME", name="Acme Corp")
        s.add(acme)
        s.flush()
        s.add(
            Invoice(
                number="INV-1",
                client_id=acme.id,
                amount_cents=10_000,
                issued_on=date(2026, 9, 1),
                due_on=date(2026, 10, 1),
                status=InvoiceStatus.WRITTEN_OFF,
                written_off_cents=10_000,
                write_off_reason="insolvent",
            )
        )
    added = {"written_off_cents", "written_off_on", "written_off_by_id", "write_off_reason"}
    added |= {"dispute_owner_id", "dispute_review_on"}
    assert added <= _columns(db, "invoices") and "partner_id" in _columns(db, "clients")
    try:
        _to(db, "0007", down=True)
        assert current_revision(db) == "0007"
        assert not added & _columns(db, "invoices")
        assert "partner_id" not in _columns(db, "clients")
        with db.engine.connect() as conn:
            status = conn.execute(text("SELECT status FROM invoices")).scalar_one()
        assert status == "open"
    finally:
        _to(db, "head", down=False)
    assert current_revision(db) == head_revision(db)
    assert added <= _columns(db, "invoices")
    with db.reading() as s:
        assert s.scalars(select(Invoice.status)).one() is InvoiceStatus.OPEN
        assert ledger.drift(s) == []
