"""A small firm for deadline tests: clients, matters (one closed) and a frozen-ish clock.

The clock starts at Wed 18 Nov 2026 10:00 in New York (the firm time zone) and runs forward in
real time, so every relative date in these tests ("Dec 3", "next Friday") has one reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.firm.users import to_actor
from bot.permissions import Actor
from storage.db import Database
from storage.models import (
    AuditLog,
    Client,
    Deadline,
    Matter,
    MatterStatus,
    PendingConfirmation,
    Role,
    User,
)
from tests.harness import add_people

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=NY)
PEOPLE = [
    ("U_ADMIN", "Ada Admin", Role.ADMIN, "America/New_York"),
    ("U_PAUL", "Paul Partner", Role.PARTNER, "America/New_York"),
    ("U_LENA", "Lena Lawyer", Role.LAWYER, "America/New_York"),
    ("U_MARK", "Mark Lawyer", Role.LAWYER, "America/Los_Angeles"),
    ("U_SAM", "Sam Staff", Role.STAFF, "America/Chicago"),
    ("U_BILL", "Bill Billing", Role.BILLING, "America/New_York"),
]


def seed_firm(db: Database, *, with_people: bool) -> None:
    """ACME (Lena's client): ACME-1 (no matter lawyer), ACME-2 (Mark's), ACME-3 (closed).
    NOLAW: a client with no lawyer and a matter with none either."""
    with db.unit_of_work("test-setup") as s:
        if with_people:
            add_people(s, NOW)
        users = {u.slack_id: u for u in s.scalars(select(User))}
        acme = Client(code="ACME", name="Acme Corporation", lawyer_id=users["U_LENA"].id)
        nolaw = Client(code="NOLAW", name="Nobody's Client")
        s.add_all([acme, nolaw])
        s.flush()
        opened = date(2026, 1, 5)
        s.add_all(
            [
                Matter(
                    code="ACME-1",
                    client_id=acme.id,
                    number=1,
                    title="Acme v. Widget",
                    opened_on=opened,
                ),
                Matter(
                    code="ACME-2",
                    client_id=acme.id,
                    number=2,
                    title="Acme lease",
                    lawyer_id=users["U_MARK"].id,
                    opened_on=opened,
                ),
                Matter(
                    code="ACME-3",
                    client_id=acme.id,
                    number=3,
                    title="Old dispute",
                    status=MatterStatus.CLOSED,
                    opened_on=opened,
                    closed_on=date(2026, 6, 1),
                ),
                Matter(
                    code="NOLAW-1", client_id=nolaw.id, number=1, title="Estate", opened_on=opened
                ),
            ]
        )


def actor(db: Database, slack_id: str) -> Actor:
    with db.reading() as s:
        return to_actor(s.scalars(select(User).where(User.slack_id == slack_id)).one())


def counts(db: Database) -> tuple[int, int]:
    """(deadlines, audit rows): what "nothing was written" is checked against."""
    with db.reading() as s:
        return (
            int(s.scalar(select(func.count()).select_from(Deadline)) or 0),
            int(s.scalar(select(func.count()).select_from(AuditLog)) or 0),
        )


def deadlines(db: Database) -> list[Deadline]:
    with db.reading() as s:
        return list(s.scalars(select(Deadline).order_by(Deadline.id)))


def pending_count(db: Database) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(PendingConfirmation)) or 0)


@pytest.fixture
def firm_db(db: Database) -> Database:
    seed_firm(db, with_people=True)
    return db


@pytest.fixture
def clerk_at(database_url: str) -> Iterator[object]:
    from tests.harness import running_clerk

    with running_clerk(database_url, at=NOW) as running:
        running.add_people()
        seed_firm(running.db, with_people=False)
        yield running
