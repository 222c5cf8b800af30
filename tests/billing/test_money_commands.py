"""/invoice and /payment through signed HTTP requests (and refusal tables via the runner)."""

from __future__ import annotations

from datetime import date

from handlers.kernel.ids import Action
from storage.models import InvoiceStatus, PlanStatus
from tests.billing.conftest import counts
from tests.billing.helpers import invoices, outbox, payments, refused, said
from tests.deadlines.helpers import buttons, last, press, shown
from tests.harness import Harness


def test_an_invoice_is_recorded_with_terms_matter_and_a_warning(clerk_at: Harness) -> None:
    h = clerk_at
    text = said(h, "U_BILL", "/invoice", "add ACME ACME-1 inv-1042 $12,500 issued Oct 3")
    (inv,) = invoices(h)
    assert (inv.number, inv.amount_cents, inv.currency) == ("INV-1042", 1_250_000, "USD")
    assert (inv.issued_on, inv.due_on) == (date(2026, 10, 3), date(2026, 11, 2))  # 30 days
    assert "Invoice INV-1042 recorded for ACME" in text and "$12,500.00" in text
    assert "Matter ACME-1" in text and "16 days overdue" in text
    assert "stage 1 reminder" in text  # recorded already 16 days late
    # ACME must keep a $5,000 retainer in trust and holds none: Lena is warned, once.
    assert "does not hold its required retainer" in text and "<@U_LENA> has been told" in text
    kinds = sorted((m.kind, m.target) for m in outbox(h))
    assert kinds == [("retainer_warning", "U_LENA"), ("stage_change", "U_LENA")]


def test_due_dates_read_from_the_issue_date_and_terms(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 12,500.50 issued Sep 1 due Oct 1")
    said(h, "U_BILL", "/invoice", "add ACME INV-2 USD 100 terms 45 days")
    said(h, "U_BILL", "/invoice", "add NOLAW INV-3 100")  # NOLAW's own terms: 14 days
    one, two, three = invoices(h)
    assert (one.amount_cents, one.issued_on, one.due_on) == (
        1_250_050,
        date(2026, 9, 1),
        date(2026, 10, 1),
    )
    assert two.due_on == date(2027, 1, 2) and three.due_on == date(2026, 12, 2)


def test_a_euro_client_is_billed_and_paid_in_euros(clerk_at: Harness) -> None:
    h = clerk_at
    text = said(h, "U_BILL", "/invoice", "add EUROCO EU-1 EUR 900")
    assert "EUR 900.00" in text and "kept in EUR" in text
    refused(h, "U_BILL", "/payment", "add EUROCO $900", "billed in EUR")
    paid = said(h, "U_BILL", "/payment", "add EUROCO 900")  # a bare figure is EUR now
    assert "EU-1: EUR 900.00 (paid in full)" in paid and "EUROCO now owes EUR 0.00" in paid


def test_an_ambiguous_issue_date_asks_and_stores_only_the_chosen_reading(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    before = counts(h.db)
    question = last(h.slack.command("U_BILL", "/invoice", "add ACME INV-7 $500 issued 3/4"))
    assert counts(h.db) == before
    choices = [b for b in buttons(question) if b["action_id"] == Action.CONFIRM_READING]
    assert len(choices) == 2
    done = last(press(h, "U_BILL", question, Action.CONFIRM_READING, index=1))
    (inv,) = invoices(h)
    assert inv.issued_on.isoformat() in choices[1]["value"]
    assert "Invoice INV-7 recorded" in shown(done)


def test_dispute_resolve_void_and_show(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1")
    disputed = said(h, "U_BILL", "/invoice", "dispute inv-1 hours on the October bill contested")
    assert "is disputed: hours on the October bill contested" in disputed
    assert "stage 2 formal notice → *stage 0 current*" in disputed
    shown_inv = said(h, "U_PAUL", "/invoice", "INV-1")
    assert "disputed" in shown_inv and "hours on the October bill" in shown_inv
    resolved = said(h, "U_BILL", "/invoice", "resolve INV-1")
    assert "resolved" in resolved and "*stage 2 formal notice*" in resolved
    said(h, "U_BILL", "/payment", "add ACME $400 invoice INV-1")
    voided = said(h, "U_BILL", "/invoice", "void INV-1 billed to the wrong client")
    assert "$400.00 paid on it is now credit" in voided
    (inv,) = invoices(h)
    assert inv.status is InvoiceStatus.VOID and inv.void_reason == "billed to the wrong client"
    assert "*Credit*\n$400.00" in said(h, "U_BILL", "/balance", "ACME")


def test_payments_oldest_first_named_invoice_trust_and_past_dates(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1")
    said(h, "U_BILL", "/invoice", "add ACME INV-2 $2,000 issued Oct 1")
    text = said(h, "U_BILL", "/payment", "add ACME $1,500 on Oct 3")  # last October
    assert "INV-1: $1,000.00 (paid in full)" in text and "INV-2: $500.00 ($1,500.00 left)" in text
    assert "received Sat 3 Oct 2026" in text
    over = said(h, "U_BILL", "/payment", "add ACME 2,000 invoice INV-2")
    assert "$500.00 was not needed" in over and "credit now $500.00" in over
    trust = said(h, "U_BILL", "/payment", "add ACME USD 5000 trust")
    assert "Held in trust for ACME: $5,000.00" in trust
    first, second, third = payments(h)
    assert first.received_on == date(2026, 10, 3)
    assert (second.invoice_id is not None, third.is_trust) == (True, True)


def test_a_payment_plan_is_set_up_and_cancelled(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $3,000 issued Sep 1")
    text = said(h, "U_BILL", "/payment", "plan ACME $1,000 every month from Jan 31 x 3")
    assert "3 installments of $1,000.00, every month from Sun 31 Jan 2027" in text
    assert "2. Sun 28 Feb 2027 · $1,000.00" in text and "3. Wed 31 Mar 2027" in text
    assert "*stage 0 current*" in text  # rescheduled: escalation paused
    cancelled = said(h, "U_BILL", "/payment", "plan cancel ACME client stopped paying")
    assert "cancelled: client stopped paying" in cancelled and "formal notice" in cancelled
    with h.db.reading() as s:
        from sqlalchemy import select

        from storage.models import PaymentPlan

        (plan,) = s.scalars(select(PaymentPlan)).all()
    assert plan.status is PlanStatus.CANCELLED


def test_a_plan_starting_in_the_past_asks_first(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $3,000 issued Sep 1")
    before = counts(h.db)
    plan = "plan ACME $1,000 every week from 2026-11-02"
    question = last(h.slack.command("U_BILL", "/payment", plan))
    assert "in the past" in question["text"] and counts(h.db) == before
    done = last(press(h, "U_BILL", question, Action.CONFIRM_READING))
    assert "every week from Mon 2 Nov 2026" in shown(done)


def test_a_plan_starting_far_ahead_asks_first(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $3,000 issued Sep 1")
    before = counts(h.db)
    question = last(h.slack.command("U_BILL", "/payment", "plan ACME $1,000 every week from Nov 2"))
    assert "Tue 2 Nov 2027" in shown(question) and counts(h.db) == before
    done = last(press(h, "U_BILL", question, Action.CONFIRM_READING))
    assert "every week from Tue 2 Nov 2027" in shown(done)


def test_bad_invoice_commands_are_refused_and_write_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $100")
    refused(h, "U_BILL", "/invoice", "add ACME INV-1 $100", "already recorded", http=True)
    refused(h, "U_LENA", "/invoice", "add ACME INV-2 $100", "role (lawyer)", http=True)
    cases = [
        ("add ACME INV-2 12.500", "could be 12,500"),
        ("add ACME INV-2 12,50", "decimal comma"),
        ("add ACME INV-2 $-5", "negative"),
        ("add ACME INV-2 0", "more than zero"),
        ("add ACME INV-2 JPY 500", "no smaller unit"),
        ("add ACME INV-2 $1.5m", "multiplier"),
        ("add ACME INV-2", "the invoice number and the amount"),
        ("add ACME", "client, the invoice number and the amount"),
        ("add NOPE INV-2 $5", "There is no client `NOPE`"),
        ("add ACME INV-2 $5 issued tomorrow", "in the future"),
        ("add ACME INV-2 $5 issued Oct 3 due 2026-09-01", "before the issue date"),
        ("add ACME INV-2 $5 issued Oct 3 due Sep 1", "reads as *Wed 1 Sep 2027*"),
        ("add ACME INV-2 $5 due Dec 1 terms 30 days", "not both"),
        ("add ACME INV-2 $5 terms soon", "not a number of days"),
        ("add ACME INV-2 $5 issued", "needs a value"),
        ("add ACME INV-2 $5 issued whenever", "couldn't read"),
        ("add ACME INV_2! $5", "not an invoice number"),
        ("add ACME INV-2 $5 due Dec 1 due Dec 2", "given twice"),
        ("dispute INV-1", "reason"),
        ("dispute NOPE-9 reason", "no invoice `NOPE-9`"),
        ("resolve INV-1", "not disputed"),
        ("resolve INV-1 now", "one invoice number"),
        ("void INV-1", "reason"),
        ("frobnicate", "There is no invoice `FROBNICATE`"),
        ("frobnicate now", "I don't know `/invoice frobnicate`"),
    ]
    for text, expected in cases:
        refused(h, "U_BILL", "/invoice", text, expected)


def test_bad_payment_commands_are_refused_and_write_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $100")
    said(h, "U_BILL", "/invoice", "add GLOBEX GX-1 $100")
    said(h, "U_BILL", "/invoice", "void GX-1 wrong")
    refused(h, "U_SAM", "/payment", "add ACME $100", "role (staff)", http=True)
    cases = [
        ("add ACME EUR 100", "billed in USD"),
        ("add ACME $100 invoice GX-1", "not one of ACME's invoices"),
        ("add GLOBEX $100 invoice GX-1", "void"),
        ("add ACME $100 invoice INV-1 trust", "trust deposit is held"),
        ("add ACME $100 on tomorrow", "in the future"),
        ("add ACME $100 invoice INV-1 INV-2", "one invoice number"),
        ("add ACME", "client and the amount"),
        ("add ACME twelve dollars", "could not read"),
        ("plan ACME $100 every fortnight from Dec 1", "every week or every month"),
        ("plan ACME $100 from Dec 1", "how often"),
        ("plan ACME $30 every month from Dec 1 x 2", "does not cover"),
        ("plan NOLAW $30 every month from Dec 1", "owes nothing"),
        ("plan cancel ACME no plan", "no active payment plan"),
        ("plan cancel", "Whose plan"),
        ("refund ACME $5", "I don't know `/payment refund`"),
    ]
    for text, expected in cases:
        refused(h, "U_BILL", "/payment", text, expected)


def test_every_command_answers_help_and_opens_its_form(clerk_at: Harness) -> None:
    h = clerk_at
    for command in ("/invoice", "/payment", "/balance"):
        usage = last(h.slack.command("U_BILL", command, "help"))
        assert command in shown(usage)
        opened = h.slack.command("U_BILL", command, "")
        (view_call,) = opened.calls_to("views.open")
        assert view_call.params["view"]["type"] == "modal"
