"""The sample firm ``clerk demo`` starts with: a few lawyers, clients, matters, deadlines,
contacts and invoices, dated relative to the demo's clock so the morning posts have something
to say on any day the demo is run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.billing import ledger
from bot.dates.format import format_day
from bot.tools.demo_records import add_matter_records
from storage.db import Database
from storage.models import (
    Client,
    ClientKind,
    Contact,
    ContactKind,
    Deadline,
    Invoice,
    InvoiceStatus,
    Matter,
    Payment,
    Role,
    TrustKind,
    TrustTransaction,
    User,
)


@dataclass(frozen=True)
class Person:
    slack_id: str
    handle: str
    real_name: str
    role: Role
    tz: str


PEOPLE = [
    Person("U0ADA", "ada", "Ada Adams", Role.ADMIN, "America/New_York"),
    Person("U0PAUL", "paul", "Paul Park", Role.PARTNER, "America/New_York"),
    Person("U0LENA", "lena", "Lena Lopez", Role.LAWYER, "America/New_York"),
    Person("U0MARK", "mark", "Mark Miller", Role.LAWYER, "America/Los_Angeles"),
    Person("U0SAM", "sam", "Sam Scott", Role.STAFF, "America/Chicago"),
    Person("U0BILL", "bill", "Bill Brown", Role.BILLING, "America/New_York"),
]
CHANNELS = {"C0DEADLINES": "deadlines", "C0BILLING": "billing", "C0REPORTS": "reports"}


def seed(db: Database, today: date, zone: ZoneInfo, *, now: datetime) -> None:
    """Create the sample firm as the "system" actor (every row is audited)."""
    with db.unit_of_work("system") as s:
        users = {
            p.handle: User(
                slack_id=p.slack_id,
                name=p.handle,
                real_name=p.real_name,
                role=p.role,
                tz=p.tz,
                profile_checked_at=now,
            )
            for p in PEOPLE
        }
        s.add_all(users.values())
        s.flush()
        lena, mark, paul = users["lena"], users["mark"], users["paul"]

        acme = Client(
            code="ACME",
            name="Acme Corporation",
            kind=ClientKind.ORGANIZATION,
            lawyer_id=lena.id,
            is_key=True,
            industry="Manufacturing",
            email="legal@acme.example",
            phone="+1 212 555 0100",
            credit_limit_cents=5_000_000,
            terms_days=30,
            retainer_required_cents=1_000_000,
            cadence_days=30,
        )
        globex = Client(
            code="GLOBEX",
            name="Globex Holdings LLC",
            kind=ClientKind.ORGANIZATION,
            lawyer_id=mark.id,
            is_key=True,
            industry="Real estate",
            credit_limit_cents=2_500_000,
            terms_days=45,
            cadence_days=21,
        )
        smith = Client(
            code="SMITH",
            name="Jordan Smith",
            kind=ClientKind.PERSON,
            lawyer_id=lena.id,
            email="jordan.smith@example.com",
            terms_days=14,
        )
        initech = Client(
            code="INITECH",
            name="Initech Inc.",
            kind=ClientKind.ORGANIZATION,
            lawyer_id=paul.id,
            terms_days=30,
        )
        s.add_all([acme, globex, smith, initech])
        s.flush()

        def matter(client: Client, number: int, title: str, lawyer: User, area: str) -> Matter:
            m = Matter(
                code=f"{client.code}-{number}",
                client_id=client.id,
                number=number,
                title=title,
                lawyer_id=lawyer.id,
                practice_area=area,
                opened_on=today - timedelta(days=120 * number),
            )
            s.add(m)
            return m

        acme1 = matter(
            acme, 1, "Acme v. Roadrunner Supply (breach of contract)", lena, "Litigation"
        )
        acme2 = matter(acme, 2, "Distribution agreement renewal", lena, "Commercial")
        globex1 = matter(globex, 1, "Harbor Street lease dispute", mark, "Real estate")
        smith1 = matter(smith, 1, "Smith estate planning", lena, "Private client")
        initech1 = matter(initech, 1, "Initech employment class action", paul, "Employment")
        s.flush()

        def deadline(m: Matter, title: str, days: int, at: time | None = None) -> None:
            due_on = today + timedelta(days=days)
            due_at = datetime.combine(due_on, at, tzinfo=zone) if at else None
            s.add(
                Deadline(
                    matter_id=m.id,
                    title=title,
                    due_on=due_on,
                    due_at=due_at,
                    responsible_id=m.lawyer_id,
                    created_by_id=m.lawyer_id,
                    source_text=f"{title} (sample)",
                    explanation=format_day(due_on),
                )
            )

        deadline(acme1, "Opposition to motion to dismiss", 0)
        deadline(acme1, "Hearing on motion to compel", 2, time(10, 0))
        deadline(globex1, "Reply brief", 3)
        deadline(smith1, "Sign revised trust documents", 7)
        deadline(initech1, "Class certification motion", 14)
        deadline(acme2, "Renewal notice to distributor", 30)
        deadline(globex1, "Expert report", -2)  # missed: shows in the digest's first section

        def contact(
            client: Client,
            m: Matter | None,
            who: User,
            days_ago: int,
            text: str,
            follow_up_in: int | None = None,
            kind: ContactKind = ContactKind.CALL,
        ) -> None:
            s.add(
                Contact(
                    client_id=client.id,
                    matter_id=m.id if m else None,
                    kind=kind,
                    summary=text,
                    occurred_at=now - timedelta(days=days_ago),
                    follow_up_on=today + timedelta(days=follow_up_in)
                    if follow_up_in is not None
                    else None,
                    logged_by_id=who.id,
                )
            )

        contact(acme, acme1, lena, 3, "Discussed settlement range with the GC.", follow_up_in=0)
        contact(acme, acme2, lena, 12, "Sent renewal draft.", kind=ContactKind.EMAIL)
        contact(
            globex, globex1, mark, 40, "Quarterly review of the lease dispute.", follow_up_in=-1
        )
        contact(
            smith, smith1, lena, 8, "Went through the trust documents.", kind=ContactKind.MEETING
        )

        def invoice(
            client: Client, m: Matter, number: str, cents: int, issued_days_ago: int, terms: int
        ) -> Invoice:
            issued = today - timedelta(days=issued_days_ago)
            inv = Invoice(
                number=number,
                client_id=client.id,
                matter_id=m.id,
                amount_cents=cents,
                currency="USD",
                issued_on=issued,
                due_on=issued + timedelta(days=terms),
                created_by_id=users["bill"].id,
            )
            s.add(inv)
            return inv

        invoice(acme, acme1, "INV-1001", 1_250_000, 75, 30)  # 45 days overdue
        paid = invoice(acme, acme2, "INV-1002", 480_000, 20, 30)
        invoice(globex, globex1, "INV-1003", 2_200_000, 140, 45)  # 95 days overdue
        invoice(smith, smith1, "INV-1004", 150_000, 20, 14)  # 6 days overdue
        invoice(initech, initech1, "INV-1005", 900_000, 10, 30)
        # Given up after months of chasing: out of Smith's balance and aging, still on file
        # and in the month's report (``/invoice INV-0990`` shows why).
        gone = invoice(smith, smith1, "INV-0990", 60_000, 150, 14)
        gone.status = InvoiceStatus.WRITTEN_OFF
        gone.written_off_cents = 60_000
        gone.written_off_on = today - timedelta(days=3)
        gone.written_off_by_id = paul.id
        gone.write_off_reason = "Fee reduction agreed with the client; the rest is not pursued"
        s.flush()
        payment = Payment(
            client_id=acme.id,
            amount_cents=200_000,
            received_on=today - timedelta(days=5),
            created_by_id=users["bill"].id,
        )
        s.add(payment)
        s.flush()
        ledger.allocate(s, payment=payment, invoice=paid, cents=200_000)
        s.add(
            TrustTransaction(
                client_id=acme.id,
                kind=TrustKind.DEPOSIT,
                amount_cents=750_000,
                occurred_on=today - timedelta(days=60),
                memo="Initial retainer",
            )
        )
        s.flush()
        add_matter_records(s, users, now=now)
