"""Rows are stamped by Clerk's clock, never by the machine's.

Each test runs Clerk 400 days away from the real date, so a timestamp taken from the wall
clock is told apart from one taken from Clerk's clock on whatever day the suite runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import Clock
from schedules.delivery import deliver_due
from schedules.outbox import enqueue
from storage.db import Database
from storage.models import AuditLog, Client, EscalationEvent, OutboxMessage, OutboxStatus
from storage.stamps import wall_clock
from tests.harness import Harness, running_clerk

AWAY = timedelta(days=400)
CLOSE = timedelta(minutes=5)  # a slow machine's test, not a second clock


@pytest.fixture(params=[-1, 1], ids=["behind", "ahead"])
def shifted(request: pytest.FixtureRequest, database_url: str) -> Iterator[Harness]:
    start = (wall_clock() + request.param * AWAY).replace(microsecond=0)
    with running_clerk(database_url, at=start) as harness:
        harness.add_people()
        yield harness


def _near_clerk(harness: Harness, stamp: datetime | None) -> bool:
    assert stamp is not None
    return abs(stamp - harness.clerk.now()) < CLOSE


def test_a_client_and_its_audit_entry_carry_clerks_time(shifted: Harness) -> None:
    reply = shifted.slack.command("U_LENA", "/client", 'add ACME "Acme Corp" org')
    assert "ACME" in " ".join(reply.texts)
    with shifted.db.reading() as s:
        client = s.scalars(select(Client).where(Client.code == "ACME")).one()
        entry = s.scalars(
            select(AuditLog).where(AuditLog.entity == "clients", AuditLog.action == "create")
        ).one()
    assert _near_clerk(shifted, client.created_at)
    assert _near_clerk(shifted, client.updated_at)
    assert _near_clerk(shifted, entry.at)


def test_an_update_restamps_updated_at_by_clerks_time(shifted: Harness) -> None:
    lena = shifted.user("U_LENA").id
    with shifted.db.unit_of_work("test") as s:
        s.add(Client(code="ACME", name="Acme Corp", lawyer_id=lena))
    with shifted.db.unit_of_work("test") as s:
        client = s.scalars(select(Client)).one()
        client.updated_at = datetime(2000, 1, 1, tzinfo=UTC)  # an explicit value is kept...
    with shifted.db.reading() as s:
        assert s.scalars(select(Client)).one().updated_at.year == 2000
    with shifted.db.unit_of_work("test") as s:
        s.scalars(select(Client)).one().name = "Acme Corporation"  # ...a change restamps
    with shifted.db.reading() as s:
        assert _near_clerk(shifted, s.scalars(select(Client)).one().updated_at)


def test_a_queued_row_is_stamped_and_due_by_clerks_clock(shifted: Harness) -> None:
    with shifted.db.unit_of_work("system") as s:
        enqueue(s, key="digest:t", target="C_DEADLINES", kind="deadline_digest", payload={})
    with shifted.db.unit_of_work("test") as s:
        row = s.scalars(select(OutboxMessage)).one()
        assert _near_clerk(shifted, row.created_at) and _near_clerk(shifted, row.next_attempt_at)
        row.attempts = 1  # a retried row is due only once its next_attempt_at has come
        row.payload = {"text": "Deadlines"}
    assert deliver_due(shifted.clerk, owner="a") == 1
    with shifted.db.reading() as s:
        assert s.scalars(select(OutboxMessage)).one().status is OutboxStatus.SENT


def test_two_clerks_on_one_database_keep_their_own_clocks(database_url: str) -> None:
    db = Database(database_url)
    try:
        early = db.with_clock(Clock(datetime(2026, 1, 5, 9, tzinfo=UTC)).now)
        late = db.with_clock(Clock(datetime(2030, 6, 5, 9, tzinfo=UTC)).now)
        assert early.engine is db.engine is late.engine  # one pool, three clocks
        with early.unit_of_work("system") as s:
            enqueue(s, key="a", target="C", kind="k", payload={})
        with late.unit_of_work("system") as s:
            enqueue(s, key="b", target="C", kind="k", payload={})
        with db.reading() as s:
            years = dict(s.execute(select(OutboxMessage.key, OutboxMessage.created_at)).all())
        assert years["a"].year == 2026 and years["b"].year == 2030
    finally:
        db.dispose()


def test_a_session_opened_without_clerks_clock_uses_the_machines(db: Database) -> None:
    before = wall_clock()
    with db.unit_of_work("system") as s:
        enqueue(s, key="k", target="C", kind="k", payload={})
    with db.reading() as s:
        stamped = s.scalars(select(OutboxMessage.created_at)).one()
    assert before - timedelta(seconds=1) <= stamped <= wall_clock() + timedelta(seconds=1)


def test_collections_history_is_stamped_by_clerks_clock(shifted: Harness) -> None:
    """A stage change recorded under --at carries the rehearsed instant, so /balance never
    shows history dated after the balance it explains."""
    lena = shifted.user("U_LENA").id
    with shifted.db.unit_of_work("test") as s:
        s.add(Client(code="ACME", name="Acme Corp", lawyer_id=lena))
    issued = (shifted.clerk.today() - timedelta(days=75)).isoformat()
    reply = shifted.slack.command(
        "U_BILL", "/invoice", f"add ACME INV-1 $1,000 issued {issued} terms 30 days"
    )
    assert "INV-1" in " ".join(reply.texts)
    with shifted.db.reading() as s:
        events = s.scalars(select(EscalationEvent)).all()
    assert events, "a 45-days-overdue account is escalated when the invoice is recorded"
    assert all(_near_clerk(shifted, event.at) for event in events)
