"""A small firm for billing tests, and helpers to read what was stored.

The clock is Wed 18 Nov 2026 10:00 in New York (the firm time zone). ACME is Lena's client
(credit limit $20,000, retainer required $5,000, terms 30 days), GLOBEX is Mark's, NOLAW has
no lawyer, and EUROCO has no money yet (its first entry sets its currency).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.billing import ledger
from bot.firm.users import to_actor
from bot.permissions import Actor
from storage.db import Database
from storage.models import (
    AuditLog,
    Client,
    EscalationEvent,
    Invoice,
    Matter,
    OutboxMessage,
    Payment,
    PaymentAllocation,
    PaymentPlan,
    Role,
    TrustTransaction,
    User,
)
from tests.harness import add_people

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=NY)
TODAY = date(2026, 11, 18)
PEOPLE = [
    ("U_ADMIN", "Ada Admin", Role.ADMIN, "America/New_York"),
    ("U_PAUL", "Paul Partner", Role.PARTNER, "America/New_York"),
    ("U_LENA", "Lena Lawyer", Role.LAWYER, "America/New_York"),
    ("U_MARK", "Mark Lawyer", Role.LAWYER, "America/Los_Angeles"),
    ("U_SAM", "Sam Staff", Role.STAFF, "America/Chicago"),
    ("U_BILL", "Bill Billing", Role.BILLING, "America/New_York"),
]
MONEY_TABLES = (
    Invoice,
    Payment,
    PaymentAllocation,
    TrustTransaction,
    PaymentPlan,
    EscalationEvent,
    OutboxMessage,
    AuditLog,
)


def seed_firm(db: Database, *, with_people: bool) -> None:
    with db.unit_of_work("test-setup") as s:
        if with_people:
            add_people(s, NOW)
        users = {u.slack_id: u for u in s.scalars(select(User))}
        acme = Client(
            code="ACME",
            name="Acme Corporation",
            lawyer_id=users["U_LENA"].id,
            credit_limit_cents=2_000_000,
            retainer_required_cents=500_000,
            terms_days=30,
        )
        globex = Client(code="GLOBEX", name="Globex Holdings", lawyer_id=users["U_MARK"].id)
        nolaw = Client(code="NOLAW", name="Nobody's Client", terms_days=14)
        euro = Client(code="EUROCO", name="Euro Company SA", lawyer_id=users["U_LENA"].id)
        s.add_all([acme, globex, nolaw, euro])
        s.flush()
        s.add_all(
            [
                Matter(
                    code="ACME-1",
                    client_id=acme.id,
                    number=1,
                    title="Acme v. Widget",
                    opened_on=date(2026, 1, 5),
                ),
                Matter(
                    code="ACME-2",
                    client_id=acme.id,
                    number=2,
                    title="Acme lease",
                    lawyer_id=users["U_MARK"].id,
                    opened_on=date(2026, 1, 5),
                ),
                Matter(
                    code="GLOBEX-1",
                    client_id=globex.id,
                    number=1,
                    title="Harbor lease",
                    opened_on=date(2026, 1, 5),
                ),
            ]
        )


def actor(db: Database, slack_id: str) -> Actor:
    with db.reading() as s:
        return to_actor(s.scalars(select(User).where(User.slack_id == slack_id)).one())


def client(db: Database, code: str) -> Client:
    with db.reading() as s:
        return s.scalars(select(Client).where(Client.code == code)).one()


def counts(db: Database) -> tuple[int, ...]:
    """Row counts of every money table and the audit log: "nothing was written"."""
    with db.reading() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(model)) or 0) for model in MONEY_TABLES
        )


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


@pytest.fixture(autouse=True)
def ledger_totals_agree(database_url: str) -> Iterator[None]:
    """After every billing test, each invoice's and payment's running total is what its
    allocations say: payments, credit, voids and plans all keep them (bot.billing.ledger)."""
    yield
    db = Database(database_url)
    try:
        with db.reading() as s:
            assert ledger.drift(s) == []
    finally:
        db.dispose()
