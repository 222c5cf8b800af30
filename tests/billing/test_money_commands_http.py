"""``/invoice``, ``/payment`` and ``/balance`` end to end, through signed HTTP requests.

The clock is Wed 18 Nov 2026 (tests/billing/conftest.py). ACME is Lena's client with a
$20,000 credit limit and a $5,000 retainer requirement; billing (U_BILL) types everything.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.billing import aged_accounts, receivables, totals
from bot.money import Bucket, Stage
from storage.models import (
    EscalationEvent,
    Installment,
    Invoice,
    InvoiceStatus,
    OutboxMessage,
    Payment,
)
from tests.billing.conftest import TODAY, client, counts


def say(h: Any, command: str, text: str, user: str = "U_BILL") -> dict[str, Any]:
    ex = h.slack.command(user, command, text)
    assert ex.status == 200
    assert len(ex.replies) == 1, ex.replies
    reply = ex.replies[0]
    assert reply["response_type"] == "ephemeral"  # money is never shown to the channel
    return reply


def overdue_by(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def account(h: Any, code: str = "ACME") -> aged_accounts.AccountAging:
    acme = client(h.db, code)
    with h.db.reading() as s:
        (found,) = receivables.accounts(s, as_of=TODAY, client_ids=[acme.id])
        return found


def test_aging_buckets_at_their_edges(clerk_at: Any) -> None:
    # days overdue -> cents, each a power of two so every bucket's sum is unambiguous
    edges = {0: 100, 1: 200, 30: 400, 31: 800, 60: 1_600, 61: 3_200, 90: 6_400, 91: 12_800}
    for n, (days, cents) in enumerate(edges.items()):
        due = overdue_by(days)
        say(clerk_at, "/invoice", f"add ACME E-{n} {cents / 100:.2f} issued {due} due {due}")
    found = account(clerk_at)
    assert dict(found.buckets) == {
        Bucket.CURRENT: 100,
        Bucket.DAYS_1_30: 600,
        Bucket.DAYS_31_60: 2_400,
        Bucket.DAYS_61_90: 9_600,
        Bucket.DAYS_90_PLUS: 12_800,
    }
    assert found.oldest_days_overdue == 91
    assert found.stage is Stage.COLLECTIONS
    card = str(say(clerk_at, "/balance", "ACME")["blocks"])
    for shown in ("$1.00", "$6.00", "$24.00", "$96.00", "$128.00", "$254.00"):
        assert shown in card, shown


def test_partial_payment_then_overpayment_leaves_credit(clerk_at: Any) -> None:
    due = overdue_by(10)
    say(clerk_at, "/invoice", f"add ACME INV-1 $1,000 issued {due} due {due}")
    partial = say(clerk_at, "/payment", "add ACME $400 invoice INV-1")
    assert "$600.00" in partial["text"]
    assert account(clerk_at).total_cents == 60_000
    over = say(clerk_at, "/payment", "add ACME $1,000.25")
    assert "$400.25" in over["text"]  # kept as credit
    acme = client(clerk_at.db, "ACME")
    with clerk_at.db.reading() as s:
        assert receivables.accounts(s, as_of=TODAY, client_ids=[acme.id]) == []
        assert totals.credits(s, [acme.id]) == {(acme.id, "USD"): 40_025}
    card = say(clerk_at, "/balance", "ACME")
    assert "$400.25" in str(card["blocks"])


def test_payment_in_another_currency_is_refused_and_nothing_is_written(clerk_at: Any) -> None:
    say(clerk_at, "/invoice", "add ACME INV-1 $1,000")
    before = counts(clerk_at.db)
    reply = say(clerk_at, "/payment", "add ACME EUR 100")
    assert "USD" in reply["text"] and "never converts" in reply["text"]
    assert counts(clerk_at.db) == before


def test_a_trust_deposit_is_held_apart_and_meets_the_retainer(clerk_at: Any) -> None:
    say(clerk_at, "/invoice", "add ACME INV-1 $1,000")
    say(clerk_at, "/payment", "add ACME $5,000 trust")
    assert account(clerk_at).total_cents == 100_000  # not applied to the invoice
    acme = client(clerk_at.db, "ACME")
    with clerk_at.db.reading() as s:
        assert totals.trust_balances(s, [acme.id]) == {(acme.id, "USD"): 500_000}
    # the retainer is now held: a new invoice warns about nothing
    reply = say(clerk_at, "/invoice", "add ACME INV-2 $100")
    assert ":warning:" not in str(reply["blocks"])


def test_void_needs_a_reason_and_money_paid_on_it_becomes_credit(clerk_at: Any) -> None:
    say(clerk_at, "/invoice", "add ACME INV-1 $1,000")
    say(clerk_at, "/payment", "add ACME $300 invoice INV-1")
    before = counts(clerk_at.db)
    assert "reason" in say(clerk_at, "/invoice", "void INV-1")["text"]
    assert counts(clerk_at.db) == before
    reply = say(clerk_at, "/invoice", "void INV-1 billed to the wrong client")
    assert "$300.00" in reply["text"]
    with clerk_at.db.reading() as s:
        invoice = s.scalars(select(Invoice).where(Invoice.number == "INV-1")).one()
        assert invoice.status is InvoiceStatus.VOID
        assert invoice.void_reason == "billed to the wrong client"
    acme = client(clerk_at.db, "ACME")
    with clerk_at.db.reading() as s:
        assert receivables.accounts(s, as_of=TODAY, client_ids=[acme.id]) == []
        assert totals.credits(s, [acme.id]) == {(acme.id, "USD"): 30_000}
    assert "already void" in say(clerk_at, "/invoice", "void INV-1 again")["text"]


def test_a_dispute_pauses_escalation_and_each_change_is_recorded(clerk_at: Any) -> None:
    due = overdue_by(45)
    say(clerk_at, "/invoice", f"add ACME INV-1 $1,000 issued {due} due {due}")
    assert account(clerk_at).stage is Stage.FORMAL_NOTICE
    assert "reason" in say(clerk_at, "/invoice", "dispute INV-1")["text"]
    say(clerk_at, "/invoice", "dispute INV-1 hours on the October bill contested")
    found = account(clerk_at)
    assert found.stage is Stage.CURRENT
    assert found.disputed_cents == 100_000 and found.total_cents == 100_000
    say(clerk_at, "/invoice", "resolve INV-1")
    assert account(clerk_at).stage is Stage.FORMAL_NOTICE
    with clerk_at.db.reading() as s:
        events = list(s.scalars(select(EscalationEvent).order_by(EscalationEvent.id)))
    assert [(e.from_stage, e.to_stage) for e in events] == [(0, 2), (2, 0), (0, 2)]
    assert all(e.actor == "U_BILL" and e.reason for e in events)
    assert "disputed" in events[1].reason
    history = str(say(clerk_at, "/balance", "ACME")["blocks"])
    assert "contested" in history
    # Lena, ACME's lawyer, is told about each stage change through the outbox
    with clerk_at.db.reading() as s:
        told = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "stage_change")))
    assert len(told) == 3 and {m.target for m in told} == {"U_LENA"}


def test_a_plan_across_month_ends(clerk_at: Any) -> None:
    due = overdue_by(20)
    say(clerk_at, "/invoice", f"add ACME INV-1 $3,000 issued {due} due {due}")
    reply = say(clerk_at, "/payment", "plan ACME $1,000 every month from Jan 31, 2027 x 3")
    assert ":white_check_mark:" in str(reply["blocks"]), reply
    with clerk_at.db.reading() as s:
        rows = list(s.scalars(select(Installment).order_by(Installment.number)))
    assert [(r.due_on, r.amount_cents) for r in rows] == [
        (date(2027, 1, 31), 100_000),
        (date(2027, 2, 28), 100_000),
        (date(2027, 3, 31), 100_000),
    ]
    assert account(clerk_at).stage is Stage.CURRENT  # on a plan not yet due: not chased
    card = str(say(clerk_at, "/balance", "ACME")["blocks"])
    assert "31 Jan 2027" in card  # the next installment
    assert (
        "already has an active"
        in say(clerk_at, "/payment", "plan ACME $500 every week from Dec 1 x 2")["text"]
    )


def test_going_over_the_credit_limit_warns_the_asker_and_the_lawyer(clerk_at: Any) -> None:
    say(clerk_at, "/payment", "add ACME $5,000 trust")  # retainer held: only the limit warns
    say(clerk_at, "/invoice", "add ACME INV-1 $15,000")
    reply = say(clerk_at, "/invoice", "add ACME INV-2 $6,000")
    assert "credit limit" in reply["text"] and "$1,000.00" in reply["text"]
    acme = client(clerk_at.db, "ACME")
    with clerk_at.db.reading() as s:
        invoice_id = s.scalar(select(Invoice.id).where(Invoice.number == "INV-2"))
        (row,) = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "credit_warning"))
    assert row.key == f"credit-limit:{acme.id}:{invoice_id}"
    assert row.target == "U_LENA"
    assert "credit limit" in row.payload["text"] and row.payload["blocks"]


@pytest.mark.parametrize(
    ("command", "text", "says"),
    [
        ("/invoice", "add ACME INV-9 abc", "amount"),
        ("/invoice", "add ACME INV-9 $0", ""),
        ("/invoice", "add NOSUCH INV-9 $5", "no client"),
        ("/invoice", "add ACME INV-1 $5", "already recorded"),
        ("/invoice", "add ACME", "invoice number"),
        ("/invoice", "add ACME INV-9 $5 terms many days", ""),
        ("/invoice", "add ACME INV 9 $5", ""),
        ("/invoice", "dispute INV-404 contested", "no invoice"),
        ("/invoice", "resolve INV-1", "not disputed"),
        ("/invoice", "frobnicate", ""),
        ("/payment", "add ACME abc", "amount"),
        ("/payment", "add ACME -$5", ""),
        ("/payment", "add ACME $5 invoice INV-404", "no invoice"),
        ("/payment", "add GLOBEX $5 invoice INV-1", "not one of GLOBEX"),
        ("/payment", "add ACME $5 invoice INV-1 trust", "trust"),
        ("/payment", "plan ACME $100 every fortnight from Dec 1", ""),
        ("/payment", "plan NOLAW $100 every month from Dec 1", "owes nothing"),
        ("/payment", "frobnicate", ""),
    ],
)
def test_bad_input_gets_a_clear_reply_and_writes_nothing(
    clerk_at: Any, command: str, text: str, says: str
) -> None:
    say(clerk_at, "/invoice", "add ACME INV-1 $1,000")
    before = counts(clerk_at.db)
    payments = clerk_at.count(Payment)
    reply = say(clerk_at, command, text)
    assert ":warning:" in str(reply["blocks"]), reply
    assert says.lower() in reply["text"].lower()
    assert counts(clerk_at.db) == before and clerk_at.count(Payment) == payments
