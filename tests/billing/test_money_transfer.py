"""CSV import and export of invoices and payments (the columns listed in the README, kept
exactly)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from bot.billing import receivables, totals
from bot.transfer import ImportFailed, export_csv, get_kind, import_csv
from storage.db import Database
from storage.models import Invoice, Payment, PaymentAllocation, TrustTransaction
from tests.billing.conftest import TODAY, client, counts

INVOICES = (
    "number,client,matter,amount,currency,issued_on,due_on,status\n"
    "INV-1,ACME,ACME-1,1000.00,USD,2026-08-01,2026-08-31,open\n"
    "INV-2,ACME,,2500.50,USD,2026-09-01,2026-10-01,disputed\n"
    "INV-3,ACME,,300.00,USD,2026-10-01,2026-10-31,open\n"
    "INV-4,GLOBEX,GLOBEX-1,99.99,USD,2026-10-15,2026-11-14,void\n"
    "EU-1,EUROCO,,900.00,EUR,2026-11-01,2026-12-01,open\n"
)
PAYMENTS = (
    "client,invoice,amount,received_on,trust\n"
    "ACME,,1200.00,2026-10-05,false\n"
    "ACME,INV-3,50.00,2026-10-20,false\n"
    "ACME,,5000.00,2026-11-02,true\n"
    "EUROCO,EU-1,1000.00,2026-11-10,false\n"
)


def load(db: Database) -> None:
    assert import_csv(db, "invoices", io.StringIO(INVOICES), actor="U_BILL") == 5
    assert import_csv(db, "payments", io.StringIO(PAYMENTS), actor="U_BILL") == 4


def exported(db: Database, kind: str) -> str:
    out = io.StringIO()
    export_csv(db, kind, out)
    return out.getvalue()


def test_the_pinned_columns() -> None:
    assert get_kind("invoices").columns == (
        "number",
        "client",
        "matter",
        "amount",
        "currency",
        "issued_on",
        "due_on",
        "status",
    )
    assert get_kind("payments").columns == ("client", "invoice", "amount", "received_on", "trust")


def test_import_then_export_gives_back_the_same_files(firm_db: Database) -> None:
    load(firm_db)
    assert exported(firm_db, "invoices") == INVOICES  # the file is in issue order already
    assert exported(firm_db, "payments") == PAYMENTS


def test_imported_payments_are_applied_like_payment_add(firm_db: Database) -> None:
    load(firm_db)
    with firm_db.reading() as s:
        paid = sorted(
            s.execute(
                select(Invoice.number, PaymentAllocation.amount_cents).join(
                    PaymentAllocation, PaymentAllocation.invoice_id == Invoice.id
                )
            ).all()
        )
        # $1,200 oldest first over undisputed invoices: INV-1 in full, $200 to INV-3;
        # then $50 named for INV-3. INV-2 is disputed: untouched. EU-1 gets EUR 900.
        assert paid == [
            ("EU-1", 90_000),
            ("INV-1", 100_000),
            ("INV-3", 5_000),
            ("INV-3", 20_000),
        ]
        acme = client(firm_db, "ACME")
        (account,) = receivables.accounts(s, as_of=TODAY, client_ids=[acme.id])
        assert account.total_cents == 250_050 + 30_000 - 25_000
        assert account.disputed_cents == 250_050
        assert totals.trust_balances(s, [acme.id]) == {(acme.id, "USD"): 500_000}
        euro = client(firm_db, "EUROCO")
        assert euro.currency == "EUR"
        # EUR 1,000 on a EUR 900 invoice: EUR 100 is credit
        assert totals.credits(s, [euro.id]) == {(euro.id, "EUR"): 10_000}
        assert s.scalar(select(TrustTransaction.amount_cents)) == 500_000


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("INV-9,NOPE,,1.00,USD,2026-10-01,,open", "no client `NOPE`"),
        ("INV-9,ACME,GLOBEX-1,1.00,USD,2026-10-01,,open", "not a matter of ACME"),
        ("INV-9,ACME,,1.005,USD,2026-10-01,,open", "plain decimal"),
        ("INV-9,ACME,,$1.00,USD,2026-10-01,,open", "plain decimal"),
        ("INV-9,ACME,,0.00,USD,2026-10-01,,open", "more than zero"),
        ("INV-9,ACME,,1.00,XYZ,2026-10-01,,open", "not a currency"),
        ("INV-9,ACME,,1.00,USD,10/01/2026,,open", "not a date"),
        ("INV-9,ACME,,1.00,USD,2099-10-01,,open", "in the future"),
        ("INV-9,ACME,NOPE-1,1.00,USD,2026-10-01,,open", "no matter"),
        ("INV-9,ACME,,1.00,USD,2026-10-01,2026-09-01,open", "before the issue date"),
        ("INV-9,ACME,,1.00,USD,2026-10-01,,paid", "status"),
        ("INV 9,ACME,,1.00,USD,2026-10-01,,open", "not an invoice number"),
        ("inv-1,ACME,,1.00,USD,2026-10-01,,open", "already recorded"),
        ("EU-2,ACME,,1.00,EUR,2026-10-01,,open", "billed in USD"),
    ],
)
def test_a_bad_invoice_row_is_reported_with_its_line_and_nothing_is_written(
    firm_db: Database, line: str, reason: str
) -> None:
    first = "INV-1,ACME,,1000.00,USD,2026-08-01,2026-08-31,open"
    header = INVOICES.splitlines()[0]
    before = counts(firm_db)
    with pytest.raises(ImportFailed) as failed:
        import_csv(firm_db, "invoices", io.StringIO(f"{header}\n{first}\n{line}\n"), actor="U_BILL")
    assert failed.value.problems and failed.value.problems[0].startswith("line 3:")
    assert reason in failed.value.problems[0]
    assert counts(firm_db) == before


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("NOPE,,1.00,2026-10-01,false", "no client"),
        ("ACME,INV-404,1.00,2026-10-01,false", "no invoice `INV-404`"),
        ("GLOBEX,INV-1,1.00,2026-10-01,false", "not one of GLOBEX's"),
        ("GLOBEX,INV-4,1.00,2026-10-01,false", "void"),
        ("ACME,INV-1,1.00,2026-10-01,true", "trust deposit"),
        ("ACME,,1.00,2026-10-01,maybe", "true or false"),
        ("ACME,,-1.00,2026-10-01,false", "more than zero"),
        ("ACME,,1.00,2099-01-01,false", "in the future"),
    ],
)
def test_a_bad_payment_row_writes_nothing(firm_db: Database, line: str, reason: str) -> None:
    assert import_csv(firm_db, "invoices", io.StringIO(INVOICES), actor="U_BILL") == 5
    before = counts(firm_db)
    header = PAYMENTS.splitlines()[0]
    good = "ACME,,10.00,2026-10-05,false"
    with pytest.raises(ImportFailed) as failed:
        import_csv(firm_db, "payments", io.StringIO(f"{header}\n{good}\n{line}\n"), actor="U_BILL")
    assert failed.value.problems[0].startswith("line 3:")
    assert reason in failed.value.problems[0]
    assert counts(firm_db) == before
    with firm_db.reading() as s:
        assert s.scalars(select(Payment)).first() is None


def test_importing_the_invoices_twice_is_refused(firm_db: Database) -> None:
    load(firm_db)
    before = counts(firm_db)
    with pytest.raises(ImportFailed) as failed:
        import_csv(firm_db, "invoices", io.StringIO(exported(firm_db, "invoices")), actor="U_BILL")
    assert len(failed.value.problems) == 5
    assert counts(firm_db) == before
