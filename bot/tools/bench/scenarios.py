"""What the benchmark types: slash commands a firm's people really send, read from the seed.

Each scenario rotates through requests on a random sample of active clients (with an open
matter and a lawyer), typed by the people who would type them: the client's lawyer for the
card, contacts and deadlines, a partner for balances. The *heaviest* scenarios aim at the
client with the most invoices, to show that one institutional account with thousands of
invoices costs about what an ordinary client does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from sqlalchemy import func, select

from bot.tools.bench.floor import FLOOR_ACK, FLOOR_REPLY
from storage.db import Database
from storage.models import (
    Client,
    ClientStatus,
    Invoice,
    Matter,
    MatterStatus,
    Role,
    User,
)

SAMPLE_CLIENTS = 40


@dataclass(frozen=True)
class Request:
    user: str
    command: str
    text: str


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    requests: tuple[Request, ...]
    target: str = "clerk"  # or "floor"
    waits_for_reply: bool = True

    def request(self, n: int) -> Request:
        return self.requests[n % len(self.requests)]


@dataclass(frozen=True)
class Sampled:
    code: str
    lawyer: str
    matter: str


def _sample_clients(db: Database, rng: random.Random) -> list[Sampled]:
    with db.reading() as session:
        first_open = (
            select(Matter.client_id, func.min(Matter.code).label("matter"))
            .where(Matter.status == MatterStatus.OPEN)
            .group_by(Matter.client_id)
            .subquery()
        )
        rows = session.execute(
            select(Client.code, User.slack_id, first_open.c.matter)
            .join(User, User.id == Client.lawyer_id)
            .join(first_open, first_open.c.client_id == Client.id)
            .where(
                Client.status == ClientStatus.ACTIVE,
                User.role.in_((Role.LAWYER, Role.PARTNER)),
            )
            .order_by(Client.id)
        ).all()
    picked = rng.sample(rows, min(SAMPLE_CLIENTS, len(rows)))
    return [Sampled(code, lawyer, matter) for code, lawyer, matter in picked]


def heaviest_client(db: Database) -> Sampled | None:
    """The client with the most invoices (among those with an open matter), its lawyer and
    first open matter."""
    with db.reading() as session:
        with_open_matter = select(Matter.client_id).where(Matter.status == MatterStatus.OPEN)
        top = session.execute(
            select(Invoice.client_id, func.count().label("n"))
            .where(Invoice.client_id.in_(with_open_matter))
            .group_by(Invoice.client_id)
            .order_by(func.count().desc(), Invoice.client_id)
            .limit(1)
        ).first()
        if top is None:
            return None
        client = session.get(Client, top.client_id)
        assert client is not None
        lawyer = session.scalar(select(User.slack_id).where(User.id == client.lawyer_id))
        matter = session.scalar(
            select(func.min(Matter.code)).where(
                Matter.client_id == client.id, Matter.status == MatterStatus.OPEN
            )
        )
        return Sampled(client.code, lawyer or "", matter or "")


def partner(db: Database) -> str:
    with db.reading() as session:
        found = session.scalar(
            select(User.slack_id).where(User.role == Role.PARTNER).order_by(User.id).limit(1)
        )
    return found or ""


def future_days(today: date, rng: random.Random, count: int) -> list[date]:
    """Working days 2 to 12 weeks ahead that are not US holidays (no question to confirm)."""
    closed = holidays.country_holidays("US", years=range(today.year, today.year + 2))
    found: list[date] = []
    while len(found) < count:
        day = today + timedelta(days=rng.randint(14, 84))
        if day.weekday() < 5 and day not in closed:
            found.append(day)
    return found


def build_scenarios(
    db: Database, today: date, *, seed: int = 7, with_floor: bool = True
) -> list[Scenario]:
    """The commands to time on this firm (plus the two floor commands, unless told not to)."""
    rng = random.Random(seed)
    clients = _sample_clients(db, rng)
    heavy = heaviest_client(db)
    asker = partner(db)
    if not clients or not asker:
        return []
    days = future_days(today, rng, len(clients))
    notes = ("discussed settlement range", "reviewed the draft", "call about the invoice")
    scenarios = [
        Scenario(
            "balance",
            "/balance CLIENT",
            tuple(Request(asker, "/balance", c.code) for c in clients),
        ),
        Scenario(
            "client",
            "/client CLIENT",
            tuple(Request(c.lawyer, "/client", c.code) for c in clients),
        ),
        Scenario(
            "contact",
            "/contact CLIENT call ...",
            tuple(
                Request(
                    c.lawyer,
                    "/contact",
                    f"{c.code} call {notes[i % 3]}" + ("; follow up in 2 weeks" if i % 3 else ""),
                )
                for i, c in enumerate(clients)
            ),
        ),
        Scenario(
            "contact_list",
            "/contact list CLIENT",
            tuple(Request(c.lawyer, "/contact", f"list {c.code}") for c in clients),
        ),
        Scenario(
            "deadline_add",
            "/deadline MATTER ... due DATE",
            tuple(
                Request(c.lawyer, "/deadline", f"{c.matter} Reply brief due {day:%b %-d %Y}")
                for c, day in zip(clients, days, strict=True)
            ),
        ),
        Scenario(
            "deadline_list",
            "/deadline list mine",
            tuple(Request(c.lawyer, "/deadline", "list mine") for c in clients),
        ),
    ]
    if heavy is not None:
        scenarios.insert(
            1,
            Scenario(
                "balance_heaviest",
                "/balance HEAVIEST",
                (Request(asker, "/balance", heavy.code),),
            ),
        )
        if heavy.lawyer:
            scenarios.insert(
                3,
                Scenario(
                    "client_heaviest",
                    "/client HEAVIEST",
                    (Request(heavy.lawyer, "/client", heavy.code),),
                ),
            )
    if not with_floor:
        return scenarios
    scenarios += [
        Scenario(
            "floor_ack",
            "bare bolt: ack only",
            (Request(asker, FLOOR_ACK, ""),),
            target="floor",
            waits_for_reply=False,
        ),
        Scenario(
            "floor_reply",
            "bare bolt: ack + reply",
            (Request(asker, FLOOR_REPLY, ""),),
            target="floor",
        ),
    ]
    return scenarios


def probe_requests(db: Database, today: date) -> list[tuple[str, Request]]:
    """One request per command path, all about the heaviest client, for statement counts.

    The heaviest client has every kind of record (matters, contacts, deadlines, invoices,
    payments), so each command takes its full path; in a firm three times bigger it has
    three times the records, and the statements must stay the same.
    """
    heavy = heaviest_client(db)
    asker = partner(db)
    with db.reading() as session:
        billing = session.scalar(
            select(User.slack_id).where(User.role == Role.BILLING).order_by(User.id).limit(1)
        )
    if heavy is None or not asker or not heavy.lawyer or not billing:
        return []
    (day,) = future_days(today, random.Random(3), 1)
    code, lawyer = heavy.code, heavy.lawyer
    return [
        ("/balance CLIENT", Request(asker, "/balance", code)),
        ("/balance overdue", Request(asker, "/balance", "overdue")),
        ("/client CLIENT", Request(lawyer, "/client", code)),
        ("/client find", Request(lawyer, "/client", f"find {code[:4]}")),
        ("/matter MATTER", Request(lawyer, "/matter", heavy.matter)),
        (
            "/contact CLIENT call",
            Request(lawyer, "/contact", f"{code} call agreed to mediation; follow up in 2 weeks"),
        ),
        ("/contact list CLIENT", Request(lawyer, "/contact", f"list {code}")),
        (
            "/deadline MATTER ... due DATE",
            Request(lawyer, "/deadline", f"{heavy.matter} Reply brief due {day:%b %-d %Y}"),
        ),
        ("/deadline list mine", Request(lawyer, "/deadline", "list mine")),
        ("/deadline list CLIENT", Request(lawyer, "/deadline", f"list {code}")),
        ("/invoice add", Request(billing, "/invoice", f"add {code} BENCH-{code}-1 $1,200")),
        ("/payment add", Request(billing, "/payment", f"add {code} $500")),
    ]


# Which floor each Clerk figure is compared with.
FLOOR_OF = {"ack": "floor_ack", "reply": "floor_reply"}
