"""The audited write path, no hard deletes, aware UTC, and migrations on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select

from storage.audit import HardDeleteRefused, MissingActor
from storage.base import Base
from storage.db import Database
from storage.migrate import current_revision, head_revision, is_up_to_date
from storage.models import AuditLog, Client, Deadline, Matter, User


def test_migrations_create_every_table_from_empty(db: Database) -> None:
    assert is_up_to_date(db)
    assert current_revision(db) == head_revision(db)
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_a_write_records_actor_and_before_after(db: Database) -> None:
    with db.unit_of_work("U_LENA") as session:
        session.add(Client(code="ACME", name="Acme Corp"))
    with db.unit_of_work("U_PAUL") as session:
        client = session.scalars(select(Client)).one()
        client.name = "Acme Corporation"
        client_id = client.id
    with db.reading() as session:
        rows = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(r.actor, r.action, r.entity, r.entity_id) for r in rows] == [
        ("U_LENA", "create", "clients", str(client_id)),
        ("U_PAUL", "update", "clients", str(client_id)),
    ]
    assert rows[0].before is None
    assert rows[0].after is not None and rows[0].after["name"] == "Acme Corp"
    assert rows[1].before == {"name": "Acme Corp"}
    assert rows[1].after == {"name": "Acme Corporation"}


def test_a_failed_unit_of_work_writes_nothing_not_even_audit(db: Database) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work("U_LENA") as session:
        session.add(Client(code="ACME", name="Acme Corp"))
        session.flush()
        raise RuntimeError("boom")
    with db.reading() as session:
        assert session.scalars(select(Client)).all() == []
        assert session.scalars(select(AuditLog)).all() == []


def test_writes_without_an_actor_are_refused(db: Database) -> None:
    with pytest.raises(MissingActor), db.reading() as session:
        session.add(Client(code="ACME", name="Acme Corp"))
        session.flush()


def test_hard_deletes_are_refused(db: Database) -> None:
    with db.unit_of_work("U_LENA") as session:
        session.add(Client(code="ACME", name="Acme Corp"))
    with pytest.raises(HardDeleteRefused), db.unit_of_work("U_LENA") as session:
        session.delete(session.scalars(select(Client)).one())
    with db.reading() as session:
        assert session.scalars(select(Client)).one().code == "ACME"


def test_timestamps_are_stored_and_returned_as_aware_utc(db: Database) -> None:
    tokyo = timezone(timedelta(hours=9))
    with db.unit_of_work("U_LENA") as session:
        lawyer = User(slack_id="U_LENA")
        client = Client(code="ACME", name="Acme")
        session.add_all([lawyer, client])
        session.flush()
        matter = Matter(
            code="ACME-1", client_id=client.id, number=1, title="x", opened_on=date(2026, 1, 1)
        )
        session.add(matter)
        session.flush()
        session.add(
            Deadline(
                matter_id=matter.id,
                title="Hearing",
                due_on=date(2026, 12, 3),
                due_at=datetime(2026, 12, 4, 0, 30, tzinfo=tokyo),
            )
        )
    with db.reading() as session:
        deadline = session.scalars(select(Deadline)).one()
    assert deadline.due_at == datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    assert deadline.due_at.tzinfo is not None and deadline.due_at.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"), db.unit_of_work("U_LENA") as session:
        session.add(User(slack_id="U1", profile_checked_at=datetime(2026, 1, 1)))
        session.flush()


def test_money_is_exact_integer_cents_at_large_values(db: Database) -> None:
    big = 1_234_567_890_123_45  # $1.2 trillion in cents: beyond float's exact range for sums
    with db.unit_of_work("U_BILL") as session:
        session.add(Client(code="BIG", name="Big", credit_limit_cents=big))
    with db.reading() as session:
        assert session.scalars(select(Client.credit_limit_cents)).one() == big
