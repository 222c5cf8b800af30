"""Migration 0007 fills the ledger's running totals from the allocations already stored.

A firm upgrading from 0006 has years of payments: after the upgrade every invoice's
``paid_cents`` and every payment's ``applied_cents`` must be what its allocations say, with
void payments and voided invoices handled, or every balance shown afterwards would be wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import select, text

from bot.billing import ledger
from bot.billing.aged_accounts import outstanding_items
from bot.billing.totals import credits
from storage.db import Database
from storage.migrate import alembic_config
from storage.models import Client, Invoice, Payment

ROWS = """
INSERT INTO invoices (id, number, client_id, amount_cents, currency, issued_on, due_on,
                      status, disputed, created_at)
VALUES (1, 'INV-1', :client, 100000, 'USD', '2026-10-01', '2026-10-31', 'open', false,
        '2026-10-01 12:00:00'),
       (2, 'INV-2', :client, 50000, 'USD', '2026-10-02', '2026-11-01', 'void', false,
        '2026-10-02 12:00:00'),
       (3, 'INV-3', :client, 20000, 'USD', '2026-10-03', '2026-11-02', 'open', false,
        '2026-10-03 12:00:00');
INSERT INTO payments (id, client_id, amount_cents, currency, received_on, is_trust, status,
                      created_at)
VALUES (1, :client, 60000, 'USD', '2026-11-01', false, 'received', '2026-11-01 12:00:00'),
       (2, :client, 50000, 'USD', '2026-10-05', false, 'received', '2026-10-05 12:00:00'),
       (3, :client, 10000, 'USD', '2026-11-02', false, 'void', '2026-11-02 12:00:00'),
       (4, :client, 20000, 'USD', '2026-11-03', false, 'received', '2026-11-03 12:00:00'),
       (5, :client, 90000, 'USD', '2026-11-04', true, 'received', '2026-11-04 12:00:00');
INSERT INTO payment_allocations (id, payment_id, invoice_id, amount_cents)
VALUES (1, 1, 1, 40000), (2, 3, 1, 10000), (3, 2, 2, 50000), (4, 4, 3, 20000)
"""


@contextmanager
def migrating(db: Database) -> Iterator[None]:
    """Down to 0006 for the block, then up to head again (also on the shared PG database)."""
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
    try:
        yield
    finally:
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def test_upgrade_fills_running_totals_from_existing_allocations(db: Database) -> None:
    with db.unit_of_work("test") as s:
        s.add(Client(code="ACME", name="Acme Corp"))
    with db.reading() as s:
        client = s.scalars(select(Client.id)).one()
    with migrating(db), db.engine.begin() as conn:
        for statement in ROWS.split(";"):
            conn.execute(text(statement), {"client": client})
    with db.reading() as s:
        paid = {n: cents for n, cents in s.execute(select(Invoice.number, Invoice.paid_cents))}
        applied = {i: cents for i, cents in s.execute(select(Payment.id, Payment.applied_cents))}
        owed = {row.number: row.outstanding for row in s.execute(outstanding_items([client]))}
        assert ledger.drift(s) == []
        credit = credits(s, [client])
    # INV-1: the void payment's 100.00 does not count; INV-2 was paid, then voided
    assert paid == {"INV-1": 40000, "INV-2": 50000, "INV-3": 20000}
    # payment 2's money sits on a voided invoice: it is credit again; trust is never applied
    assert applied == {1: 40000, 2: 0, 3: 10000, 4: 20000, 5: 0}
    assert owed == {"INV-1": 60000}
    assert credit == {(client, "USD"): 20000 + 50000}
