"""The demo firm's second-release records: parties, a filed document, credit checks, the
client profile and matter budgets.

They give the second release's features something to show on the first command: `/conflict
acme` finds Acme both as a client and as the adverse party in Initech's class action (the
conflict a firm must see before it takes a matter), `/matter docs ACME-1` lists the signed
engagement letter, and the client cards carry their credit checks (Initech has none on
record, which its card says).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clients.parties import store_party
from storage.models import (
    Client,
    ClientRelation,
    CreditCheck,
    CreditDecision,
    Matter,
    MatterDocument,
    MatterStatus,
    User,
)
from storage.models.matter_records import PartyRole

PARTIES = (
    ("ACME-1", "Roadrunner Supply Co.", PartyRole.ADVERSE),
    ("ACME-1", "Wile E. Coyote", PartyRole.WITNESS),
    ("GLOBEX-1", "Harbor Street Properties LLC", PartyRole.ADVERSE),
    ("GLOBEX-1", "Dewey, Cheatham & Howe LLP", PartyRole.OPPOSING_COUNSEL),
    # Initech is sued alongside its supplier, Acme: a client on the other side of a matter
    ("INITECH-1", "ACME Corp.", PartyRole.ADVERSE),
)


def add_matter_records(session: Session, users: dict[str, User], *, now: datetime) -> None:
    """Add the records to the sample firm already in ``session`` (its matters flushed)."""
    matters = {m.code: m for m in session.scalars(select(Matter))}
    clients = {c.code: c for c in session.scalars(select(Client))}
    for code, name, role in PARTIES:
        store_party(session, matter=matters[code], name=name, role=role, by=users["lena"].id)
    session.add(
        MatterDocument(
            matter_id=matters["ACME-1"].id,
            label="Signed engagement letter",
            permalink="https://demo.slack.example/archives/C0DEADLINES/p1700000000000100",
            channel_id="C0DEADLINES",
            message_ts="1700000000.000100",
            files=[{"id": "F0DEMOLETTER", "name": "acme-engagement-letter.pdf"}],
            filed_by_id=users["lena"].id,
            filed_at=now - timedelta(days=30),
        )
    )
    billing = users["bill"]
    checks = (
        ("ACME", CreditDecision.APPROVED, 5_000_000, 1_000_000, "Audited accounts; pays on time"),
        ("GLOBEX", CreditDecision.CONDITIONAL, 2_500_000, None, "Slow payer: watch the aging"),
        ("SMITH", CreditDecision.APPROVED, None, None, "Private client, known to the firm"),
    )
    for code, decision, limit, retainer, note in checks:
        session.add(
            CreditCheck(
                client_id=clients[code].id,
                decision=decision,
                limit_cents=limit,
                retainer_cents=retainer,
                currency=clients[code].currency,
                note=note,
                checked_by_id=billing.id,
                checked_by=billing.slack_id,
                checked_at=now - timedelta(days=90),
            )
        )
    session.flush()
    _profiles_and_budgets(session, users, clients, matters, now=now)


def _profiles_and_budgets(
    session: Session,
    users: dict[str, User],
    clients: dict[str, Client],
    matters: dict[str, Matter],
    *,
    now: datetime,
) -> None:
    """The client profile and the matters' budgets: ACME-1 has billed past 80% of its
    budget (the 08:30 job tells Lena), and a closed matter carries its satisfaction score."""
    acme, smith = clients["ACME"], clients["SMITH"]
    acme.size = "Large"
    acme.legal_rep = "Wile E. Coyote"
    acme.contact_person = "Road Runner"
    acme.employees = 1200
    acme.revenue_cents = 4_800_000_000
    acme.referral_source = "Conference"
    acme.billing_contact_id = users["bill"].id
    acme.partner_id = users["paul"].id
    smith.birth_date = date(1979, 4, 2)
    smith.employer = "Globex Holdings LLC"
    smith.position = "Chief financial officer"
    smith.referral_source = "Bar association"
    clients["GLOBEX"].size = "Mid-size"
    clients["GLOBEX"].referral_source = "Existing client"
    session.add(ClientRelation(client_id=smith.id, related_id=clients["GLOBEX"].id))
    acme1 = matters["ACME-1"]
    acme1.budget_cents, acme1.fee_arrangement = 1_500_000, "capped"  # 12,500 billed: 83%
    matters["GLOBEX-1"].budget_cents = 5_000_000
    matters["GLOBEX-1"].fee_arrangement = "hourly"
    closed = Matter(
        code="ACME-3",
        client_id=acme.id,
        number=3,
        title="Trademark renewal",
        lawyer_id=users["lena"].id,
        practice_area="Intellectual property",
        fee_arrangement="fixed",
        status=MatterStatus.CLOSED,
        opened_on=(now - timedelta(days=200)).date(),
        closed_on=(now - timedelta(days=40)).date(),
        close_reason="renewed",
        satisfaction=5,
    )
    session.add(closed)
    session.flush()
