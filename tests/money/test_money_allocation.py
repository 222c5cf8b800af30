"""Payment allocation: oldest first, partial payments, overpayment as credit, named invoices."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import InvalidInput, NotFound
from bot.money.allocation import Application, OpenInvoice, allocate_payment, allocate_to_invoice

INVOICES = [
    OpenInvoice("1003", date(2026, 9, 1), date(2026, 10, 1), 30_000),
    OpenInvoice("1001", date(2026, 7, 1), date(2026, 8, 1), 10_000),
    OpenInvoice("1002", date(2026, 8, 1), date(2026, 9, 1), 20_000),
]


def test_oldest_due_first_with_partial_last() -> None:
    result = allocate_payment(25_000, INVOICES)
    assert result.applications == (
        Application("1001", 10_000, 0),
        Application("1002", 15_000, 5_000),
    )
    assert result.unapplied_cents == 0
    assert result.applied_cents == 25_000
    assert not result.is_overpayment
    assert result.applications[0].pays_in_full and not result.applications[1].pays_in_full


def test_exact_payment_clears_everything() -> None:
    result = allocate_payment(60_000, INVOICES)
    assert [a.key for a in result.applications] == ["1001", "1002", "1003"]
    assert all(a.pays_in_full for a in result.applications)
    assert result.unapplied_cents == 0


def test_overpayment_becomes_credit() -> None:
    result = allocate_payment(75_000, INVOICES)
    assert result.applied_cents == 60_000
    assert result.unapplied_cents == 15_000
    assert result.is_overpayment


def test_no_open_invoices_is_all_credit() -> None:
    result = allocate_payment(5_000, [])
    assert result.applications == ()
    assert result.unapplied_cents == 5_000


def test_tie_breaks_on_issue_date_then_key() -> None:
    same_due = date(2026, 10, 1)
    invoices = [
        ("B", date(2026, 9, 1), same_due, 100),
        ("A", date(2026, 9, 1), same_due, 100),
        ("C", date(2026, 8, 1), same_due, 100),
    ]
    result = allocate_payment(300, invoices)  # plain tuples are accepted
    assert [a.key for a in result.applications] == ["C", "A", "B"]


def test_paid_invoices_are_skipped() -> None:
    invoices = [
        ("OLD", date(2026, 1, 1), date(2026, 2, 1), 0),
        ("NEW", date(2026, 3, 1), date(2026, 4, 1), 500),
    ]
    assert allocate_payment(200, invoices).applications == (Application("NEW", 200, 300),)


def test_refuses_non_positive_and_bad_input() -> None:
    for amount in (0, -100):
        with pytest.raises(InvalidInput, match="more than zero"):
            allocate_payment(amount, INVOICES)
    with pytest.raises(TypeError):
        allocate_payment(10.0, INVOICES)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="listed twice"):
        allocate_payment(100, [INVOICES[0], INVOICES[0]])
    with pytest.raises(ValueError, match="negative"):
        allocate_payment(100, [("X", date(2026, 1, 1), date(2026, 2, 1), -5)])


def test_named_invoice_partial() -> None:
    result = allocate_to_invoice(12_000, "1003", INVOICES)
    assert result.applications == (Application("1003", 12_000, 18_000),)
    assert result.unapplied_cents == 0


def test_named_invoice_overpayment_is_credit_not_spread() -> None:
    result = allocate_to_invoice(35_000, "1002", INVOICES)
    assert result.applications == (Application("1002", 20_000, 0),)
    assert result.unapplied_cents == 15_000
    assert result.is_overpayment


def test_named_invoice_already_paid_is_all_credit() -> None:
    result = allocate_to_invoice(500, "P", [("P", date(2026, 1, 1), date(2026, 2, 1), 0)])
    assert result.applications == ()
    assert result.unapplied_cents == 500


def test_named_invoice_unknown() -> None:
    with pytest.raises(NotFound, match="Invoice 9999 is not one of this client's open invoices"):
        allocate_to_invoice(500, "9999", INVOICES)
