"""The money services against a real database: invoices, payments, credit, aging, totals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.billing import aged_accounts, invoice_changes, money_changes, receivables, totals
from bot.billing import invoices as billing
from bot.billing.payments import NewPayment, add_payment
from bot.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bot.money import Bucket, EscalationThresholds, Money, Stage
from storage.db import Database
from storage.models import Client, PaymentAllocation
from tests.billing.conftest import TODAY, actor, client, counts

USD = "USD"
T = EscalationThresholds()


def invoice(
    db: Database,
    number: str,
    cents: int,
    *,
    due: date,
    code: str = "ACME",
    issued: date | None = None,
    currency: str = USD,
    who: str = "U_BILL",
) -> money_changes.Outcome:
    with db.unit_of_work(who) as s:
        return billing.add_invoice(
            s,
            actor=actor(db, who),
            new=billing.NewInvoice(
                client_code=code,
                number=number,
                amount=Money(cents, currency),
                issued_on=issued or min(due, TODAY),
                due_on=due,
            ),
            today=TODAY,
            thresholds=T,
        )


def pay(
    db: Database,
    cents: int,
    *,
    code: str = "ACME",
    number: str | None = None,
    trust: bool = False,
    currency: str = USD,
    on: date = TODAY,
) -> object:
    with db.unit_of_work("U_BILL") as s:
        return add_payment(
            s,
            actor=actor(db, "U_BILL"),
            new=NewPayment(
                client_code=code,
                amount=Money(cents, currency),
                received_on=on,
                invoice_number=number,
                trust=trust,
            ),
            today=TODAY,
            thresholds=T,
        )


def account(db: Database, code: str = "ACME") -> aged_accounts.AccountAging:
    with db.reading() as s:
        (found,) = receivables.accounts(
            s, as_of=TODAY, client_ids=[client(db, code).id], thresholds=T
        )
        return found


def credit(db: Database, code: str = "ACME") -> int:
    c = client(db, code)
    with db.reading() as s:
        return totals.credits(s, [c.id]).get((c.id, c.currency), 0)


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [
        (-5, Bucket.CURRENT),
        (0, Bucket.CURRENT),
        (1, Bucket.DAYS_1_30),
        (30, Bucket.DAYS_1_30),
        (31, Bucket.DAYS_31_60),
        (60, Bucket.DAYS_31_60),
        (61, Bucket.DAYS_61_90),
        (90, Bucket.DAYS_61_90),
        (91, Bucket.DAYS_90_PLUS),
    ],
)
def test_aging_buckets_at_their_edges(firm_db: Database, days_late: int, bucket: Bucket) -> None:
    invoice(firm_db, "INV-1", 12_345, due=TODAY - timedelta(days=days_late))
    found = account(firm_db)
    assert found.buckets[bucket] == 12_345
    assert sum(found.buckets.values()) == 12_345
    assert found.overdue_cents == (12_345 if days_late > 0 else 0)
    assert found.oldest_days_overdue == (days_late if days_late > 0 else None)


def test_a_partial_payment_leaves_the_rest_in_its_bucket(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 100_000, due=TODAY - timedelta(days=40))
    result = pay(firm_db, 30_050)
    assert [(a.key, a.applied_cents, a.remaining_cents) for a in result.applications] == [
        ("INV-1", 30_050, 69_950)
    ]
    found = account(firm_db)
    assert found.buckets[Bucket.DAYS_31_60] == 69_950 and found.total_cents == 69_950


def test_a_payment_without_invoice_pays_oldest_first_then_credits(firm_db: Database) -> None:
    invoice(firm_db, "INV-NEW", 50_000, due=TODAY + timedelta(days=10))
    invoice(firm_db, "INV-OLD", 20_000, due=TODAY - timedelta(days=70))
    result = pay(firm_db, 80_000)
    assert [(a.key, a.applied_cents) for a in result.applications] == [
        ("INV-OLD", 20_000),
        ("INV-NEW", 50_000),
    ]
    assert result.unapplied_cents == 10_000 and credit(firm_db) == 10_000
    with firm_db.reading() as s:
        assert receivables.accounts(s, as_of=TODAY, client_ids=[client(firm_db, "ACME").id]) == []
    # The credit pays the next invoice as soon as it is recorded.
    later = invoice(firm_db, "INV-3", 25_000, due=TODAY + timedelta(days=30))
    assert later.credit_applied_cents == 10_000
    assert credit(firm_db) == 0 and account(firm_db).total_cents == 15_000


def test_a_payment_on_a_named_invoice_keeps_the_excess_as_credit(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 10_000, due=TODAY - timedelta(days=5))
    invoice(firm_db, "INV-2", 10_000, due=TODAY - timedelta(days=50))
    result = pay(firm_db, 15_000, number="inv-1")
    assert [(a.key, a.applied_cents) for a in result.applications] == [("INV-1", 10_000)]
    assert credit(firm_db) == 5_000
    # ...which a later payment's oldest-first run does not touch, but a new invoice does.
    assert account(firm_db).total_cents == 10_000


def test_a_payment_in_another_currency_is_refused_and_writes_nothing(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 10_000, due=TODAY)
    before = counts(firm_db)
    with pytest.raises(InvalidInput, match="ACME is billed in USD"):
        pay(firm_db, 10_000, currency="EUR")
    assert counts(firm_db) == before


def test_a_new_client_takes_the_currency_of_its_first_entry(firm_db: Database) -> None:
    result = invoice(firm_db, "EU-1", 90_000, due=TODAY, code="EUROCO", currency="EUR")
    assert result.currency_adopted and client(firm_db, "EUROCO").currency == "EUR"
    with pytest.raises(InvalidInput, match="billed in EUR"):
        invoice(firm_db, "EU-2", 1_000, due=TODAY, code="EUROCO")
    pay(firm_db, 90_000, code="EUROCO", currency="EUR")
    with firm_db.reading() as s:
        assert totals.collections_between(s, TODAY, TODAY) == {"EUR": 90_000}


def test_voiding_a_paid_invoice_turns_the_payment_into_credit(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 10_000, due=TODAY - timedelta(days=3))
    pay(firm_db, 4_000)
    with firm_db.unit_of_work("U_BILL") as s:
        out = invoice_changes.void_invoice(
            s,
            actor=actor(firm_db, "U_BILL"),
            invoice_number="INV-1",
            reason="wrong client",
            today=TODAY,
            thresholds=T,
        )
    assert out.detail["was_paid"] == 4_000 and out.outstanding_cents == 0
    assert credit(firm_db) == 4_000
    with firm_db.unit_of_work("U_BILL") as s, pytest.raises(Conflict, match="already void"):
        invoice_changes.void_invoice(
            s,
            actor=actor(firm_db, "U_BILL"),
            invoice_number="INV-1",
            reason="again",
            today=TODAY,
            thresholds=T,
        )


def test_a_disputed_invoice_stays_owed_but_does_not_escalate(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 10_000, due=TODAY - timedelta(days=45))
    assert account(firm_db).stage is Stage.FORMAL_NOTICE
    with firm_db.unit_of_work("U_BILL") as s:
        out = invoice_changes.mark_disputed(
            s,
            actor=actor(firm_db, "U_BILL"),
            invoice_number="INV-1",
            reason="hours disputed",
            today=TODAY,
            thresholds=T,
        )
    assert [(c.from_stage, c.to_stage) for c in out.changes] == [(2, 0)]
    assert "disputed" in out.changes[0].reason
    found = account(firm_db)
    assert (found.total_cents, found.disputed_cents, found.stage) == (10_000, 10_000, Stage.CURRENT)
    # A general payment does not settle the dispute against the client: it becomes credit.
    pay(firm_db, 5_000)
    assert credit(firm_db) == 5_000
    with firm_db.unit_of_work("U_BILL") as s:
        out = invoice_changes.resolve_dispute(
            s, actor=actor(firm_db, "U_BILL"), invoice_number="INV-1", today=TODAY, thresholds=T
        )
    assert out.credit_applied_cents == 5_000 and out.outstanding_cents == 5_000
    assert [(c.from_stage, c.to_stage) for c in out.changes] == [(0, 2)]


def test_only_billing_partners_and_admins_record_money(firm_db: Database) -> None:
    for who in ("U_LENA", "U_SAM"):
        with pytest.raises(PermissionDenied):
            invoice(firm_db, "INV-1", 100, due=TODAY, who=who)
    for who in ("U_PAUL", "U_ADMIN", "U_BILL"):
        invoice(firm_db, f"INV-{who}", 100, due=TODAY, who=who)


def test_duplicate_numbers_unknown_clients_and_bad_dates_are_refused(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 100, due=TODAY)
    before = counts(firm_db)
    with pytest.raises(Conflict, match="already recorded"):
        invoice(firm_db, "inv-1", 100, due=TODAY)
    with pytest.raises(NotFound, match="no client"):
        invoice(firm_db, "INV-2", 100, due=TODAY, code="NOPE")
    with pytest.raises(InvalidInput, match="before the issue date"):
        invoice(firm_db, "INV-2", 100, due=TODAY - timedelta(days=2), issued=TODAY)
    with pytest.raises(InvalidInput, match="in the future"):
        invoice(firm_db, "INV-2", 100, due=TODAY + timedelta(days=9), issued=TODAY + timedelta(1))
    with pytest.raises(InvalidInput, match="not an invoice number"):
        invoice(firm_db, "INV 2!", 100, due=TODAY)
    assert counts(firm_db) == before


def test_credit_limit_and_retainer_warnings(firm_db: Database) -> None:
    first = invoice(firm_db, "INV-1", 1_500_000, due=TODAY)
    assert [n.kind for n in first.notices] == ["retainer_warning"]
    assert first.notices[0].target == "U_LENA"
    pay(firm_db, 500_000, trust=True)
    second = invoice(firm_db, "INV-2", 600_000, due=TODAY)
    (warning,) = second.notices
    assert warning.kind == "credit_warning" and "pushes" in warning.text
    assert "$21,000.00 owed against a limit of $20,000.00 ($1,000.00 over)" in warning.text
    assert warning.key == f"credit-limit:{client(firm_db, 'ACME').id}:{second.invoice.id}"


def test_trust_deposits_are_kept_apart_from_fees(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 10_000, due=TODAY - timedelta(days=2))
    result = pay(firm_db, 70_000, trust=True)
    assert result.applications == () and result.trust_cents == 70_000
    assert account(firm_db).total_cents == 10_000 and credit(firm_db) == 0
    with firm_db.reading() as s:
        assert totals.collections_between(s, TODAY, TODAY) == {}
    with pytest.raises(InvalidInput, match="trust deposit"):
        pay(firm_db, 100, trust=True, number="INV-1")


def test_firm_totals(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 10_000, due=TODAY, issued=date(2026, 10, 1))
    invoice(firm_db, "INV-2", 20_000, due=TODAY, issued=date(2026, 11, 2))
    pay(firm_db, 5_000, on=date(2026, 11, 3))
    with firm_db.reading() as s:
        assert totals.billed_between(s, date(2026, 11, 1), TODAY) == {USD: 20_000}
        assert totals.receivables_as_of(s, date(2026, 10, 31)) == {USD: 10_000}
        assert totals.receivables_as_of(s, TODAY) == {USD: 25_000}
        assert totals.collections_between(s, date(2026, 11, 1), TODAY) == {USD: 5_000}
        allocations = s.scalars(select(PaymentAllocation)).all()
    assert [a.amount_cents for a in allocations] == [5_000]


def test_balance_line(firm_db: Database) -> None:
    acme = client(firm_db, "ACME")
    with firm_db.reading() as s:
        assert receivables.client_balance_line(s, acme, TODAY) is None
    invoice(firm_db, "INV-7", 1_250_000, due=TODAY + timedelta(days=3))
    invoice(firm_db, "INV-8", 400_000, due=TODAY - timedelta(days=35))
    with firm_db.reading() as s:
        line = receivables.client_balance_line(s, s.get(Client, acme.id), TODAY)
    assert line == ("Outstanding $16,500.00 · $4,000.00 overdue (31-60) · stage 2 formal notice")
