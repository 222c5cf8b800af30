"""A small hand-built firm for the report tests: the week Mon 16 - Sun 22 Nov 2026 (New York).

Real time and Clerk's clock are both Monday 23 Nov 2026 09:00 New York (time-machine), so
rows stamped "now" by default fall after the week. The figures each test expects are worked
out by hand in ``EXPECTED_WEEK`` from the rows added here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select, update

from bot.billing import ledger
from storage.models import (
    Client,
    Contact,
    DeadlineStatus,
    Invoice,
    InvoiceStatus,
    Matter,
    Payment,
)
from tests.harness import Harness, running_clerk
from tests.schedules.conftest import add_deadline, add_matter

NY = ZoneInfo("America/New_York")
MONDAY = date(2026, 11, 23)
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=NY)


@contextmanager
def report_firm(
    database_url: str, at: datetime = MONDAY_9AM, **overrides: Any
) -> Iterator[Harness]:
    with (
        time_machine.travel(at, tick=True),
        running_clerk(database_url, **overrides) as harness,
    ):
        harness.add_people()
        add_matter(harness)
        with harness.db.unit_of_work("test") as s:  # ACME is an old client, not a new one
            s.execute(update(Client).values(created_at=datetime(2025, 1, 1, tzinfo=UTC)))
        yield harness


def ny(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=NY)  # type: ignore[misc]


def add_contact(harness: Harness, who: str, at: datetime) -> None:
    with harness.db.unit_of_work("test") as s:
        acme = s.scalars(select(Client.id).where(Client.code == "ACME")).one()
        s.add(
            Contact(
                client_id=acme,
                summary="call",
                occurred_at=at.astimezone(UTC),
                logged_by_id=harness.user(who).id,
            )
        )


def add_invoice(
    harness: Harness,
    number: str,
    cents: int,
    issued: date,
    due: date,
    *,
    currency: str = "USD",
    status: InvoiceStatus = InvoiceStatus.OPEN,
) -> int:
    with harness.db.unit_of_work("test") as s:
        acme = s.scalars(select(Client.id).where(Client.code == "ACME")).one()
        invoice = Invoice(
            number=number,
            client_id=acme,
            amount_cents=cents,
            currency=currency,
            issued_on=issued,
            due_on=due,
            status=status,
        )
        s.add(invoice)
        s.flush()
        return invoice.id


def add_payment(
    harness: Harness, cents: int, received: date, invoice_id: int | None, *, trust: bool = False
) -> None:
    with harness.db.unit_of_work("test") as s:
        acme = s.scalars(select(Client.id).where(Client.code == "ACME")).one()
        payment = Payment(client_id=acme, amount_cents=cents, received_on=received, is_trust=trust)
        s.add(payment)
        s.flush()
        if invoice_id is not None:
            invoice = s.get(Invoice, invoice_id)
            assert invoice is not None
            ledger.allocate(s, payment=payment, invoice=invoice, cents=cents)


def add_week(harness: Harness) -> None:
    """Rows in, just before and just after the week of 16-22 Nov 2026 (see EXPECTED_WEEK)."""
    # contacts: Lena 2 at the week's very edges (local time), Mark 1; two just outside
    add_contact(harness, "U_LENA", ny(2026, 11, 16, 0, 30))
    add_contact(harness, "U_LENA", ny(2026, 11, 22, 23, 30))  # Monday 04:30 UTC: still Sunday
    add_contact(harness, "U_MARK", ny(2026, 11, 18, 12, 0))
    add_contact(harness, "U_MARK", ny(2026, 11, 15, 23, 59))
    add_contact(harness, "U_LENA", ny(2026, 11, 23, 0, 0))
    # deadlines due in the week: 1 on time, 3 missed; cancelled, trigger and later ones don't count
    done = DeadlineStatus.DONE
    add_deadline(harness, "on time (late evening, next day in UTC)", date(2026, 11, 17),
                 status=done, completed_at=ny(2026, 11, 17, 22, 0).astimezone(UTC))  # fmt: skip
    add_deadline(harness, "done a day late", date(2026, 11, 18),
                 status=done, completed_at=ny(2026, 11, 19, 10, 0).astimezone(UTC))  # fmt: skip
    add_deadline(harness, "still open", date(2026, 11, 20))
    add_deadline(harness, "past its hour", date(2026, 11, 19),
                 due_at=ny(2026, 11, 19, 10, 0).astimezone(UTC),
                 status=done, completed_at=ny(2026, 11, 19, 11, 0).astimezone(UTC))  # fmt: skip
    add_deadline(harness, "cancelled", date(2026, 11, 21), status=DeadlineStatus.CANCELLED)
    add_deadline(harness, "a trigger", date(2026, 11, 19), is_trigger=True)
    add_deadline(harness, "next week", date(2026, 11, 24))
    # clients: two new in the week (one at Sunday 23:00 local), one just before
    with harness.db.unit_of_work("test") as s:
        for code, created in (
            ("NEW1", datetime(2026, 11, 20, 15, 0, tzinfo=UTC)),
            ("NEW2", ny(2026, 11, 22, 23, 0).astimezone(UTC)),
            ("OLD", ny(2026, 11, 15, 23, 0).astimezone(UTC)),
        ):
            client = Client(code=code, name=code.title(), created_at=created)
            s.add(client)
            s.flush()
            for number, opened in enumerate((date(2026, 11, 16), date(2026, 11, 23)), start=1):
                if code == "NEW1" or number == 2:
                    s.add(Matter(code=f"{code}-{number}", client_id=client.id, number=number,
                                 title="Matter", opened_on=opened))  # fmt: skip
    # money (USD unless said): see EXPECTED_WEEK for the arithmetic
    i1 = add_invoice(harness, "I1", 100_000, date(2026, 9, 1), date(2026, 10, 1))
    add_payment(harness, 40_000, date(2026, 11, 18), i1)
    add_invoice(harness, "I2", 50_000, date(2026, 11, 1), date(2026, 11, 20))
    add_invoice(harness, "I3", 30_000, date(2026, 11, 20), date(2026, 12, 20))
    add_invoice(harness, "I4", 99_999, date(2026, 11, 17), date(2026, 12, 17),
                status=InvoiceStatus.VOID)  # fmt: skip
    i5 = add_invoice(harness, "I5", 20_000, date(2026, 6, 1), date(2026, 7, 1))
    add_payment(harness, 20_000, date(2026, 11, 25), i5)  # after the week: I5 still owed then
    add_invoice(harness, "E1", 70_000, date(2026, 11, 18), date(2026, 12, 18), currency="EUR")
    add_payment(harness, 500_000, date(2026, 11, 19), None, trust=True)  # a retainer


# Worked out by hand from add_week:
#  contacts 16-22 Nov local: Lena 2 (00:30 Mon, 23:30 Sun), Mark 1; the Sun 23:59 before and
#    the Mon 00:00 after are out.
#  deadlines due 16-22: 17th done 22:00 local (03:00 UTC next day) on time; 18th done on the
#    19th, 19th 10:00 done at 11:00, 20th still open: 3 missed.
#  new clients NEW1, NEW2 (23:00 Sunday local); matters opened 16-22: NEW1-1 (the -2s open 23rd).
#  collected: 40,000 (Nov 18; the Nov 25 payment and the trust deposit are not).
#  aging at Nov 22 (payments received by then): I3 30,000 current; I2 50,000 2 days (1-30);
#    I1 60,000 52 days (31-60); I5 20,000 144 days (90+); I4 void.  overdue 130,000.
#  at Nov 15: I1 100,000 (45 days) + I5 20,000 (137 days) = 120,000; I2 not yet due.
#  DSO: receivables at Nov 22 160,000 * 7 days / billed 16-22 30,000 = 37.33 -> 37.3.
EXPECTED_WEEK = {
    "contacts": [("U_LENA", 2), ("U_MARK", 1)],
    "on_time": 1,
    "missed": 3,
    "new_clients": 2,
    "new_matters": 1,
    "collected": 40_000,
    "aging": (
        ("current", 30_000),
        ("1-30", 50_000),
        ("31-60", 60_000),
        ("61-90", 0),
        ("90+", 20_000),
    ),
    "overdue": 130_000,
    "overdue_before": 120_000,
    "dso": "37.3",
}
