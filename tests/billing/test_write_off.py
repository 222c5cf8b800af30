"""``/invoice write-off NUMBER REASON`` through the real command path: the unpaid rest leaves
aging, balances, escalation, the overdue post and the credit limit; the invoice keeps its row;
the write-off is audited and counted in the reports; every bad input writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.billing.totals import receivables_as_of
from bot.reports.kpis import Period, compute
from handlers import scheduled
from schedules import jobs
from storage.models import AuditLog, InvoiceStatus, User
from tests.billing.conftest import NY, TODAY
from tests.billing.helpers import invoices, outbox, refused, said
from tests.harness import Harness

EVIL = "<!channel> see <http://x|y>"
TYPED = EVIL.replace("<", "&lt;").replace(">", "&gt;")  # as Slack sends typed text


def _paid_in_part(h: Harness) -> None:
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1")  # due Oct 1: stage 2
    said(h, "U_BILL", "/payment", "add ACME $400 invoice INV-1")


def test_the_unpaid_rest_leaves_the_account_and_the_invoice_keeps_its_row(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    _paid_in_part(h)
    text = said(h, "U_PAUL", "/invoice", "write-off INV-1 client insolvent")
    assert "Invoice INV-1 (ACME) written off: client insolvent" in text
    assert "$600.00 is written off" in text and "$400.00 paid on it stays paid" in text
    assert "ACME now owes $0.00" in text
    assert "stage 2 formal notice → *stage 0 current*" in text
    (inv,) = invoices(h)
    with h.db.reading() as s:
        paul = s.scalars(select(User.id).where(User.slack_id == "U_PAUL")).one()
        audited = s.scalars(
            select(AuditLog).where(AuditLog.actor == "U_PAUL", AuditLog.entity == "invoices")
        ).all()
    assert inv.status is InvoiceStatus.WRITTEN_OFF
    assert (inv.written_off_cents, inv.written_off_on, inv.written_off_by_id) == (
        60_000,
        TODAY,
        paul,
    )
    assert (inv.amount_cents, inv.paid_cents, inv.write_off_reason) == (
        100_000,
        40_000,
        "client insolvent",
    )
    assert audited, "the write-off is in the audit log, with who did it"
    balance = said(h, "U_BILL", "/balance", "ACME")
    assert "Nothing outstanding" in balance and "Open invoices" not in balance
    assert "none as of" in said(h, "U_BILL", "/balance", "overdue")
    shown = said(h, "U_BILL", "/invoice", "INV-1")
    assert "written off" in shown and "client insolvent" in shown and "$600.00" in shown


def test_written_off_money_is_out_of_escalation_the_post_and_the_credit_limit(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $19,000 issued Sep 1")
    said(h, "U_BILL", "/invoice", "write-off INV-1 settled out of court")
    jobs.run_job(h.clerk, scheduled.job_named("overdue_accounts"), TODAY + timedelta(days=60))
    assert [m for m in outbox(h) if m.kind == "overdue_accounts"] == []
    assert not [m for m in outbox(h) if m.kind == "collections"]
    # $19,000 written off no longer counts against ACME's $20,000 limit
    text = said(h, "U_BILL", "/invoice", "add ACME INV-2 $5,000")
    assert "credit limit" not in text


def test_reports_count_the_write_off_and_age_it_as_owed_before_it(clerk_at: Harness) -> None:
    h = clerk_at
    _paid_in_part(h)
    said(h, "U_BILL", "/invoice", "add GLOBEX GX-1 $250 issued Sep 1")
    said(h, "U_BILL", "/invoice", "write-off INV-1 client insolvent")
    said(h, "U_BILL", "/invoice", "write-off GX-1 not worth pursuing")
    week = Period("week", date(2026, 11, 16), date(2026, 11, 22))
    with h.db.reading() as s:
        kpis = compute(s, week, zone=NY, currency="USD")
        before = receivables_as_of(s, TODAY - timedelta(days=1))
        after = receivables_as_of(s, TODAY)
    assert (kpis.written_off_cents, kpis.written_off_count) == (60_000 + 25_000, 2)
    # the day before, both were owed in full (the $400 was received today); now neither is
    assert before == {"USD": 100_000 + 25_000} and after == {}
    with h.db.reading() as s:
        earlier = compute(s, week.previous(), zone=NY, currency="USD")
    assert earlier.written_off_count == 0
    from handlers.reports.reports import report_message

    assert "$850.00 (2 invoices)" in report_message(kpis).text + str(report_message(kpis).blocks)


def test_a_payment_cannot_name_a_written_off_invoice(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1")
    said(h, "U_BILL", "/invoice", "write-off INV-1 client insolvent")
    refused(h, "U_BILL", "/payment", "add ACME $100 invoice INV-1", "was written off")


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        ("U_BILL", "write-off NOSUCH-9 gone", "There is no invoice `NOSUCH-9`"),
        ("U_BILL", "write-off PAID-1 gone", "is paid in full"),
        ("U_BILL", "write-off VOID-1 gone", "is void"),
        ("U_BILL", "write-off GONE-1 again", "was already written off on"),
        ("U_BILL", "write-off OPEN-1", "Give a reason for writing it off"),
        ("U_BILL", "write-off", "Which invoice?"),
        ("U_SAM", "write-off OPEN-1 gone", "does not allow"),
        ("U_LENA", "write-off OPEN-1 gone", "does not allow"),
        ("U_MARK", "write-off OPEN-1 gone", "does not allow"),
    ],
    ids=[
        "unknown",
        "paid",
        "void",
        "written-off",
        "no-reason",
        "no-number",
        "staff",
        "lawyer",
        "other-lawyer",
    ],
)
def test_bad_write_offs_are_refused_and_write_nothing(
    clerk_at: Harness, user: str, text: str, expected: str
) -> None:
    h = clerk_at
    for number in ("PAID-1", "VOID-1", "GONE-1", "OPEN-1"):
        said(h, "U_BILL", "/invoice", f"add ACME {number} $100 issued Nov 2")
    said(h, "U_BILL", "/payment", "add ACME $100 invoice PAID-1")
    said(h, "U_BILL", "/invoice", "void VOID-1 wrong client")
    said(h, "U_BILL", "/invoice", "write-off GONE-1 insolvent")
    refused(h, user, "/invoice", text, expected)


def test_a_write_off_through_signed_http_refuses_a_lawyer(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $100")
    refused(h, "U_LENA", "/invoice", "write-off INV-1 gone", "does not allow", http=True)


def test_slack_markup_in_the_reason_is_shown_escaped(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $100")
    said(h, "U_BILL", "/invoice", "add ACME INV-2 $100")
    for number, reason in (("INV-1", EVIL), ("INV-2", TYPED)):
        receipt = said(h, "U_BILL", "/invoice", f"write-off {number} {reason}")
        assert "<!channel>" not in receipt and "<http://x" not in receipt, receipt
        assert "&lt;!channel&gt;" in receipt
        shown = said(h, "U_BILL", "/invoice", number)
        assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown, shown
