"""Clients and matters: adding, finding, editing, opening and closing.

Codes are short, case-insensitive handles (stored upper-case) that never end in ``-N``, so a
matter code (``ACME-2``) can never be mistaken for a client code. Fields that change who is
responsible or what the firm extends on credit are for admins and partners only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.errors import Conflict, InvalidInput, PermissionDenied
from bot.permissions import Actor, Capability
from bot.services.lookup import get_client, get_matter, normalise_code, suggest_clients
from storage.models import (
    Client,
    ClientKind,
    ClientStatus,
    Contact,
    Deadline,
    DeadlineStatus,
    Matter,
    MatterStatus,
    Role,
)

CODE = re.compile(r"^[A-Z0-9](?:[A-Z0-9-]{0,14}[A-Z0-9])?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ().-]{5,30}$")
SENIOR_FIELDS = {"lawyer", "credit-limit", "terms", "retainer", "status"}
SENIOR_ROLES = {Role.ADMIN, Role.PARTNER}


@dataclass
class ClientInput:
    code: str
    name: str
    kind: ClientKind = ClientKind.ORGANIZATION
    lawyer_id: int | None = None
    is_key: bool = False
    email: str | None = None
    phone: str | None = None
    credit_limit_cents: int | None = None
    terms_days: int | None = None
    retainer_required_cents: int | None = None
    cadence_days: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def check_code(code: str) -> str:
    normal = normalise_code(code)
    if not CODE.match(normal) or len(normal) < 2:
        raise InvalidInput(
            f"`{code}` can't be a client code: use 2-16 letters, digits or dashes, e.g. ACME."
        )
    if re.search(r"-\d+$", normal):
        raise InvalidInput(
            f"`{normal}` ends like a matter code (ACME-1); pick a code without a trailing -number."
        )
    return normal


def check_email(email: str) -> str:
    if not EMAIL.match(email):
        raise InvalidInput(f"`{email}` doesn't look like an email address.")
    return email


def check_phone(phone: str) -> str:
    if not PHONE.match(phone):
        raise InvalidInput(f"`{phone}` doesn't look like a phone number.")
    return phone


def similar_names(session: Session, name: str, *, exclude: str | None = None) -> list[str]:
    """Codes of clients whose name is close to ``name`` (a likely duplicate)."""
    rows = {c: n for c, n in session.execute(select(Client.code, Client.name)) if c != exclude}
    found = process.extract(name, rows, scorer=fuzz.token_sort_ratio, limit=3, score_cutoff=85)
    return [code for _n, _s, code in found]


def code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(Client.id).where(Client.code == normalise_code(code))) is not None


def add_client(session: Session, *, actor: Actor, data: ClientInput) -> Client:
    actor.require(Capability.WRITE_CLIENTS)
    code = check_code(data.code)
    if code_taken(session, code):
        raise Conflict(f"There is already a client `{code}`. Try `/client {code}`.")
    if not data.name.strip():
        raise InvalidInput('Give the client\'s full name in quotes, e.g. "Acme Corporation".')
    client = Client(
        code=code,
        name=data.name.strip()[:300],
        kind=data.kind,
        lawyer_id=data.lawyer_id,
        is_key=data.is_key,
        email=data.email,
        phone=data.phone,
        credit_limit_cents=data.credit_limit_cents,
        terms_days=data.terms_days if data.terms_days is not None else 30,
        retainer_required_cents=data.retainer_required_cents,
        cadence_days=data.cadence_days,
        details=data.details,
    )
    session.add(client)
    session.flush()
    return client


def find_clients(session: Session, text: str, *, limit: int = 10) -> list[Client]:
    """Clients by code, name, email or phone: exact substring hits first, then fuzzy ones."""
    needle = text.strip()
    like = f"%{needle.lower()}%"
    direct = list(
        session.scalars(
            select(Client)
            .where(
                or_(
                    func.lower(Client.code).like(like),
                    func.lower(Client.name).like(like),
                    func.lower(Client.email).like(like),
                    Client.phone.like(f"%{needle}%"),
                )
            )
            .order_by(Client.code)
            .limit(limit)
        )
    )
    if len(direct) >= limit:
        return direct
    codes = [
        c
        for c in suggest_clients(session, needle, limit=limit)
        if c not in {d.code for d in direct}
    ]
    fuzzy = list(session.scalars(select(Client).where(Client.code.in_(codes)))) if codes else []
    fuzzy.sort(key=lambda c: codes.index(c.code))
    return (direct + fuzzy)[:limit]


def edit_client(
    session: Session, *, actor: Actor, code: str, field_name: str, value: Any
) -> Client:
    """Change one field; ``value`` is already parsed by the caller."""
    actor.require(Capability.WRITE_CLIENTS)
    name = field_name.lower()
    if name in SENIOR_FIELDS and actor.role not in SENIOR_ROLES:
        raise PermissionDenied(
            f"Only a partner or an admin may change a client's {name}; "
            f"your role is {actor.role.value}."
        )
    client = get_client(session, code)
    if name == "name":
        client.name = str(value)[:300]
    elif name in ("person", "org", "kind"):
        client.kind = value
    elif name == "lawyer":
        client.lawyer_id = value
    elif name in ("key", "not-key"):
        client.is_key = name == "key"
    elif name == "email":
        client.email = value
    elif name == "phone":
        client.phone = value
    elif name == "address":
        client.address = value
    elif name == "industry":
        client.industry = value
    elif name == "size":
        client.size = value
    elif name == "credit-limit":
        client.credit_limit_cents = value
    elif name == "terms":
        client.terms_days = value
    elif name == "retainer":
        client.retainer_required_cents = value
    elif name == "cadence":
        client.cadence_days = value
    elif name == "status":
        status, reason = value
        client.status = status
        client.status_reason = reason
    elif name.startswith("details."):
        client.details = {**(client.details or {}), name.removeprefix("details."): value}
    else:
        raise InvalidInput(f"`{field_name}` is not a client field.")
    session.flush()
    return client


def add_matter(
    session: Session,
    *,
    actor: Actor,
    client_code: str,
    title: str,
    lawyer_id: int | None,
    today: date,
) -> Matter:
    actor.require(Capability.WRITE_MATTERS)
    client = get_client(session, client_code)
    if client.status is ClientStatus.FORMER:
        raise Conflict(
            f"{client.code} is a former client; make them active before opening a matter."
        )
    if not title.strip():
        raise InvalidInput('Give the matter a title in quotes, e.g. "Lease dispute".')
    number = (
        session.scalar(select(func.max(Matter.number)).where(Matter.client_id == client.id)) or 0
    ) + 1
    matter = Matter(
        code=f"{client.code}-{number}",
        client_id=client.id,
        number=number,
        title=title.strip()[:300],
        lawyer_id=lawyer_id or client.lawyer_id,
        opened_on=today,
    )
    session.add(matter)
    session.flush()
    return matter


def close_matter(
    session: Session, *, actor: Actor, code: str, reason: str | None, today: date
) -> Matter:
    actor.require(Capability.WRITE_MATTERS)
    matter = get_matter(session, code)
    if matter.status is MatterStatus.CLOSED:
        raise Conflict(f"{matter.code} was already closed on {matter.closed_on:%a %-d %b %Y}.")
    matter.status = MatterStatus.CLOSED
    matter.closed_on = today
    matter.close_reason = reason
    session.flush()
    return matter


@dataclass
class ClientCard:
    client: Client
    matters: list[Matter]
    contacts: list[Contact]
    deadlines: list[tuple[Deadline, str]]


def client_card(session: Session, *, code: str, today: date) -> ClientCard:
    client = get_client(session, code)
    matters = list(
        session.scalars(
            select(Matter)
            .where(Matter.client_id == client.id, Matter.status == MatterStatus.OPEN)
            .order_by(Matter.number)
        )
    )
    contacts = list(
        session.scalars(
            select(Contact)
            .where(Contact.client_id == client.id)
            .order_by(Contact.occurred_at.desc())
            .limit(3)
        )
    )
    deadlines = [
        (d, code_)
        for d, code_ in session.execute(
            select(Deadline, Matter.code)
            .join(Matter, Matter.id == Deadline.matter_id)
            .where(
                Matter.client_id == client.id,
                Deadline.status == DeadlineStatus.OPEN,
                Deadline.is_trigger.is_(False),
                Deadline.due_on >= today,
            )
            .order_by(Deadline.due_on)
            .limit(3)
        )
    ]
    return ClientCard(client=client, matters=matters, contacts=contacts, deadlines=deadlines)
