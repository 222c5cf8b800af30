"""The money forms: /invoice, /payment and /balance typed alone open a modal."""

from __future__ import annotations

from typing import Any

from handlers.billing.forms import MoneyField, MoneyView
from tests.billing.conftest import counts
from tests.billing.helpers import invoices, payments, said
from tests.deadlines.helpers import last, shown
from tests.harness import Harness


def modal(h: Harness, command: str, user: str = "U_BILL") -> dict[str, Any]:
    ex = h.slack.command(user, command, "", channel_id="C_BILLING")
    (opened,) = ex.calls_to("views.open")
    return opened.params["view"]


def test_the_invoice_form_records_an_invoice(clerk_at: Harness) -> None:
    h = clerk_at
    view = modal(h, "/invoice")
    assert view["callback_id"] == MoneyView.INVOICE_ADD
    done = h.slack.view_submission(
        "U_BILL",
        view,
        {
            MoneyField.CLIENT: "acme",
            MoneyField.MATTER: "ACME-2",
            MoneyField.NUMBER: "INV-77",
            MoneyField.AMOUNT: "$2,500.25",
            MoneyField.ISSUED: "2026-11-02",
            MoneyField.DUE: None,
            MoneyField.TERMS: "14",
        },
    )
    (inv,) = invoices(h)
    assert (inv.number, inv.amount_cents, inv.due_on.isoformat()) == (
        "INV-77",
        250_025,
        "2026-11-16",
    )
    (receipt,) = done.calls_to("chat.postEphemeral")
    assert receipt.params["channel"] == "C_BILLING" and "INV-77 recorded" in receipt.params["text"]


def test_the_invoice_form_puts_each_problem_under_its_field(clerk_at: Harness) -> None:
    h = clerk_at
    view = modal(h, "/invoice")
    before = counts(h.db)
    answer = h.slack.view_submission(
        "U_BILL",
        view,
        {
            MoneyField.CLIENT: "NOPE",
            MoneyField.MATTER: "NOPE-3",
            MoneyField.NUMBER: "bad number!",
            MoneyField.AMOUNT: "12.500",
            MoneyField.TERMS: "thirty",
        },
    ).json()
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) == {
        MoneyField.CLIENT,
        MoneyField.MATTER,
        MoneyField.NUMBER,
        MoneyField.AMOUNT,
        MoneyField.TERMS,
    }
    assert "could be 12,500" in errors[MoneyField.AMOUNT]
    assert counts(h.db) == before


def test_the_payment_form_records_a_trust_deposit(clerk_at: Harness) -> None:
    h = clerk_at
    view = modal(h, "/payment")
    h.slack.view_submission(
        "U_BILL",
        view,
        {
            MoneyField.CLIENT: "ACME",
            MoneyField.AMOUNT: "5000",
            MoneyField.KIND: "trust",
            MoneyField.INVOICE: "",
            MoneyField.RECEIVED: "2026-11-17",
        },
    )
    (payment,) = payments(h)
    assert payment.is_trust and payment.amount_cents == 500_000
    assert "Trust (retainer held)*\n$5,000.00" in said(h, "U_BILL", "/balance", "ACME")


def test_the_payment_form_refuses_a_future_date_and_keeps_the_form(clerk_at: Harness) -> None:
    h = clerk_at
    view = modal(h, "/payment")
    before = counts(h.db)
    answer = h.slack.view_submission(
        "U_BILL",
        view,
        {MoneyField.CLIENT: "ACME", MoneyField.AMOUNT: "5", MoneyField.RECEIVED: "2026-12-30"},
    ).json()
    assert answer["response_action"] == "errors" and "in the future" in str(answer["errors"])
    assert counts(h.db) == before


def test_the_balance_form_shows_the_balance_inside_the_modal(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1")
    view = modal(h, "/balance", user="U_LENA")
    answer = h.slack.view_submission("U_LENA", view, {MoneyField.CLIENT: "acme"}).json()
    assert answer["response_action"] == "update"
    assert "ACME · Acme Corporation" in shown({"blocks": answer["view"]["blocks"]})
    assert "submit" not in answer["view"]
    hidden = h.slack.view_submission("U_MARK", view, {MoneyField.CLIENT: "ACME"}).json()
    assert hidden["response_action"] == "errors" and "confidential" in str(hidden["errors"])


def test_forms_are_not_opened_for_roles_that_cannot_use_them(clerk_at: Harness) -> None:
    h = clerk_at
    for user, command in [("U_LENA", "/invoice"), ("U_SAM", "/payment"), ("U_SAM", "/balance")]:
        ex = h.slack.command(user, command, "")
        assert ex.calls_to("views.open") == []
        assert last(ex)["response_type"] == "ephemeral"
