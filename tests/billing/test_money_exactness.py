"""Exactness at scale: 100,000 invoices, to the cent, against an independent computation.

The rows are bulk-inserted with Core ``insert()`` (the ORM would take minutes), then the
set-based receivables queries must agree with a plain Python fold over the same rows using
the pure aging rules of ``bot.money``: every client's outstanding, its aging buckets, its
overdue total and escalation age (disputed and voided invoices handled), and the firm's
totals. Amounts include odd cents so that any float on the way would show.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import insert, select

from bot.billing import ledger, receivables
from bot.money import Bucket, bucket_for, stage_for
from storage.db import Database
from storage.models import (
    Client,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentStatus,
    User,
)
from tests.billing.conftest import TODAY

INVOICES = 100_000
CLIENTS = 2_000
PAYMENTS = 30_000


def build(db: Database) -> dict[str, list[tuple]]:
    """Insert the firm; return the rows as plain tuples for the independent computation."""
    rng = random.Random(20261118)
    with db.unit_of_work("test-setup") as s:
        lawyer = s.scalar(select(User.id).where(User.slack_id == "U_LENA"))
        base = int(s.scalar(select(Client.id).order_by(Client.id.desc()).limit(1)) or 0)
        clients = [
            {
                "id": base + 1 + i,
                "code": f"C{i:05d}",
                "name": f"Client {i}",
                "lawyer_id": lawyer if i % 3 == 0 else None,
            }
            for i in range(CLIENTS)
        ]
        s.execute(insert(Client), clients)
        invoices = []
        for n in range(INVOICES):
            client_id = base + 1 + rng.randrange(CLIENTS)
            issued = TODAY - timedelta(days=rng.randrange(0, 220))
            due = issued + timedelta(days=rng.choice((0, 14, 30, 45)))
            status = InvoiceStatus.VOID if rng.random() < 0.03 else InvoiceStatus.OPEN
            invoices.append(
                {
                    "id": n + 1,
                    "number": f"X-{n:06d}",
                    "client_id": client_id,
                    "amount_cents": rng.randrange(1, 5_000_000),
                    "currency": "USD",
                    "issued_on": issued,
                    "due_on": due,
                    "status": status,
                    "disputed": rng.random() < 0.05,
                }
            )
        payments, allocations = [], []
        for p in range(PAYMENTS):
            inv = invoices[rng.randrange(INVOICES)]
            applied = rng.randrange(1, inv["amount_cents"] + 1)
            voided = rng.random() < 0.02
            payments.append(
                {
                    "id": p + 1,
                    "client_id": inv["client_id"],
                    "amount_cents": applied,
                    "currency": "USD",
                    "received_on": TODAY - timedelta(days=rng.randrange(0, 30)),
                    "status": PaymentStatus.VOID if voided else PaymentStatus.RECEIVED,
                }
            )
            allocations.append(
                {"payment_id": p + 1, "invoice_id": inv["id"], "amount_cents": applied}
            )
        # The running totals a bulk load must carry (bot.billing.ledger keeps them for
        # Clerk's own writes); the test checks them against the allocations with drift().
        by_id = {inv["id"]: inv for inv in invoices}
        for inv in invoices:
            inv["paid_cents"] = 0
        for payment, allocation in zip(payments, allocations, strict=True):
            invoice = by_id[allocation["invoice_id"]]
            if payment["status"] is PaymentStatus.RECEIVED:
                invoice["paid_cents"] += allocation["amount_cents"]
            open_invoice = invoice["status"] is InvoiceStatus.OPEN
            payment["applied_cents"] = allocation["amount_cents"] if open_invoice else 0
        s.execute(insert(Invoice), invoices)
        s.execute(insert(Payment), payments)
        s.execute(insert(PaymentAllocation), allocations)
    return {"invoices": invoices, "payments": payments, "allocations": allocations}


def expected(data: dict[str, list]) -> dict[int, dict[str, object]]:
    """The same figures, folded in Python from the inserted rows."""
    received = {p["id"] for p in data["payments"] if p["status"] is PaymentStatus.RECEIVED}
    paid: dict[int, int] = defaultdict(int)
    for a in data["allocations"]:
        if a["payment_id"] in received:
            paid[a["invoice_id"]] += a["amount_cents"]
    found: dict[int, dict[str, object]] = {}
    for inv in data["invoices"]:
        if inv["status"] is InvoiceStatus.VOID:
            continue
        left = inv["amount_cents"] - paid[inv["id"]]
        if left <= 0:
            continue
        days = (TODAY - inv["due_on"]).days
        acc = found.setdefault(
            inv["client_id"],
            {"total": 0, "buckets": dict.fromkeys(Bucket, 0), "oldest": None, "disputed": 0},
        )
        acc["total"] += left  # type: ignore[operator]
        acc["buckets"][bucket_for(days)] += left  # type: ignore[index]
        if inv["disputed"]:
            acc["disputed"] += left  # type: ignore[operator]
        elif days > 0 and (acc["oldest"] is None or days > acc["oldest"]):  # type: ignore[operator]
            acc["oldest"] = days
    return found


def test_receivables_are_exact_over_100000_invoices(firm_db: Database) -> None:
    data = build(firm_db)
    want = expected(data)
    with firm_db.reading() as s:
        assert ledger.drift(s) == []
        thresholds = receivables.thresholds_in(s)
        got = {
            a.client_id: a
            for a in receivables.accounts(s, as_of=TODAY, thresholds=thresholds)
            if a.client_code.startswith("C")
        }
        overdue = receivables.overdue_accounts(s, as_of=TODAY, thresholds=thresholds)
        firm = receivables.firm_aging(s, as_of=TODAY)
    assert set(got) == set(want)
    for client_id, acc in want.items():
        account = got[client_id]
        assert account.total_cents == acc["total"], client_id
        assert dict(account.buckets) == acc["buckets"], client_id
        assert account.disputed_cents == acc["disputed"], client_id
        assert account.oldest_days_overdue == acc["oldest"], client_id
        assert account.stage == stage_for(acc["oldest"], thresholds), client_id  # type: ignore[arg-type]
        buckets = acc["buckets"]
        assert account.overdue_cents == acc["total"] - buckets[Bucket.CURRENT]  # type: ignore[index]
    # the overdue list: exactly the accounts with money past due, worst first
    ours = [a for a in overdue if a.client_code.startswith("C")]
    assert {a.client_id for a in ours} == {
        c
        for c, acc in want.items()
        if acc["total"] != acc["buckets"][Bucket.CURRENT]  # type: ignore[index]
    }
    assert [a.worst_first_key for a in ours] == sorted(a.worst_first_key for a in ours)
    # firm totals, bucket by bucket
    for bucket in Bucket:
        assert firm["USD"][bucket] == sum(acc["buckets"][bucket] for acc in want.values())  # type: ignore[index]
