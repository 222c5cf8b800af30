"""The synthetic firm: its size, its money adding up, its realism, and its refusals."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.billing.receivables import accounts
from bot.cli import main
from bot.tools.seeding import TINY, FirmNotEmpty, seed_firm
from bot.tools.seeding.history import MISSED_WINDOW_DAYS
from storage.db import Database
from storage.models import (
    AuditLog,
    Client,
    Contact,
    Deadline,
    DeadlineStatus,
    Invoice,
    InvoiceStatus,
    Matter,
    Payment,
    PaymentAllocation,
    TrustTransaction,
    User,
)
from tests.bench.conftest import SeededFirm

TODAY = date(2026, 11, 23)


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_tiny_firm_has_the_planned_rows(seeded_firm: SeededFirm) -> None:
    db = Database(seeded_firm(TINY))
    try:
        with db.reading() as session:
            assert count(session, User) == TINY.users
            assert count(session, Client) == TINY.clients
            assert count(session, Matter) == TINY.matters
            assert count(session, Contact) == TINY.contacts
            assert count(session, Deadline) == TINY.deadlines
            assert count(session, Invoice) == TINY.invoices
            assert abs(count(session, Payment) - TINY.payments) <= TINY.payments * 0.05
            roles = Counter(session.scalars(select(User.role)))
            assert set(roles) == {"admin", "partner", "lawyer", "staff", "billing"}
    finally:
        db.dispose()


def test_one_audit_row_says_what_was_seeded(seeded_firm: SeededFirm) -> None:
    db = Database(seeded_firm(TINY))
    try:
        with db.reading() as session:
            rows = list(session.scalars(select(AuditLog)))
            assert len(rows) == 1
            (row,) = rows
            assert (row.actor, row.action, row.entity) == ("system", "seed", "firm")
            assert row.after is not None
            assert row.after["rows"]["invoices"] == count(session, Invoice)
            assert row.after["summary"] == f"seeded {sum(row.after['rows'].values()):,} rows"
    finally:
        db.dispose()


def test_a_firm_with_records_is_refused_and_left_alone(seeded_firm: SeededFirm) -> None:
    db = Database(seeded_firm(TINY))
    try:
        with db.reading() as session:
            before = (count(session, Client), count(session, AuditLog))
        with pytest.raises(FirmNotEmpty):
            seed_firm(db, TINY)
        with db.reading() as session:
            assert (count(session, Client), count(session, AuditLog)) == before
    finally:
        db.dispose()


def test_money_adds_up_as_clerk_would_have_recorded_it(seeded_firm: SeededFirm) -> None:
    db = Database(seeded_firm(TINY))
    try:
        with db.reading() as session:
            applied_to = dict(
                session.execute(
                    select(
                        PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount_cents)
                    ).group_by(PaymentAllocation.invoice_id)
                ).all()
            )
            for invoice in session.scalars(select(Invoice)):
                paid = applied_to.get(invoice.id, 0)
                assert 0 <= paid <= invoice.amount_cents, invoice.number
                if invoice.status is InvoiceStatus.VOID:
                    assert paid == 0
            applied_from = dict(
                session.execute(
                    select(
                        PaymentAllocation.payment_id, func.sum(PaymentAllocation.amount_cents)
                    ).group_by(PaymentAllocation.payment_id)
                ).all()
            )
            deposits = set(session.scalars(select(TrustTransaction.payment_id)))
            for payment in session.scalars(select(Payment)):
                if payment.is_trust:
                    assert payment.id not in applied_from and payment.id in deposits
                else:
                    assert applied_from.get(payment.id) == payment.amount_cents
            # Clerk's own receivables read the seed without complaint, and some owe money.
            assert any(a.overdue_cents > 0 for a in accounts(session, as_of=TODAY))
    finally:
        db.dispose()


def test_deadlines_look_like_a_docket(seeded_firm: SeededFirm) -> None:
    db = Database(seeded_firm(TINY.scaled(4)))
    try:
        with db.reading() as session:
            deadlines = list(session.scalars(select(Deadline)))
            marker = session.scalar(select(AuditLog.after).where(AuditLog.action == "seed"))
            assert marker is not None
            today = date.fromisoformat(marker["today"])
            stale = [
                d
                for d in deadlines
                if d.status is DeadlineStatus.OPEN
                and not d.is_trigger
                and d.due_on < today - timedelta(days=MISSED_WINDOW_DAYS + 2)
            ]
            assert not stale, "old deadlines are done or cancelled, only recent ones missed"
            month_end = [
                d for d in deadlines if (d.due_on + timedelta(days=7)).month != d.due_on.month
            ]
            assert len(month_end) / len(deadlines) > 0.3  # filings cluster at month ends
            triggers = {d.id for d in deadlines if d.is_trigger}
            dependents = [d for d in deadlines if d.trigger_id is not None]
            assert triggers and dependents
            assert {d.trigger_id for d in dependents} <= triggers
            assert all(d.rule and d.computed_on == d.due_on for d in dependents)
            assert any(d.due_at is not None for d in deadlines)
    finally:
        db.dispose()


def test_same_seed_same_firm(seeded_firm: SeededFirm) -> None:
    def fingerprint(url: str) -> list[tuple[object, ...]]:
        db = Database(url)
        try:
            with db.reading() as session:
                return [
                    tuple(row)
                    for row in session.execute(
                        select(Invoice.number, Invoice.amount_cents, Client.code)
                        .join(Client, Client.id == Invoice.client_id)
                        .order_by(Invoice.id)
                    )
                ]
        finally:
            db.dispose()

    first = fingerprint(seeded_firm(TINY))
    assert first == fingerprint(seeded_firm(TINY))


def test_clerk_keeps_numbering_after_the_seed(seeded_firm: SeededFirm) -> None:
    """Ids continue after the seeded ones (PostgreSQL sequences are moved past them)."""
    db = Database(seeded_firm(TINY))
    try:
        with db.unit_of_work("U_TEST") as session:
            client = Client(code="NEWCO", name="New Co")
            session.add(client)
            session.flush()
            assert client.id == TINY.clients + 1
    finally:
        db.dispose()


def test_clerk_seed_command(clean_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", "--size", "tiny", "--database", clean_database]) == 0
    out = capsys.readouterr().out
    assert f"{TINY.clients:>10,}" in out and "Done: seeded" in out
    assert main(["seed", "--size", "tiny", "--database", clean_database]) == 2
    assert "not seeding" in capsys.readouterr().err
    db = Database(clean_database)
    try:
        with db.reading() as session:
            assert count(session, Client) == TINY.clients  # the refusal added nothing
    finally:
        db.dispose()
