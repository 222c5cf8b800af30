"""Clients: adding, finding, and the card a lawyer reads before a call (what a code, name,
email or phone must look like is ``bot.clients.checks``; editing is ``bot.clients.edit``).

A new client whose name is close to an existing one is asked about first: a duplicate
client splits the contact log and the ledger in two, and nobody notices until money goes
missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, utils
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clients import profile
from bot.clients.checks import check_code, name_problem
from bot.clients.lookup import get_client, normalise_code, suggest_clients
from bot.errors import Conflict, InvalidInput, PermissionDenied
from bot.permissions import Actor, Capability
from storage.models import (
    Client,
    ClientKind,
    Contact,
    Deadline,
    DeadlineStatus,
    Matter,
    MatterStatus,
    Role,
    User,
)

SIMILAR_NAME_CUTOFF = 88
CARD_CONTACTS = 3
CARD_DEADLINES = 3
# Open matters listed on the card (by number); a client with more is told how many more. Ten
# lines of at most ~230 characters stay inside one section's 3,000.
CARD_MATTERS = 10


@dataclass
class ClientInput:
    """A new client as read from a command, a form or a file, before it is stored."""

    code: str
    name: str
    kind: ClientKind = ClientKind.ORGANIZATION
    lawyer_id: int | None = None
    partner_id: int | None = None  # the relationship partner (a partner's or an admin's call)
    is_key: bool = False
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    industry: str | None = None
    size: str | None = None
    currency: str = "USD"
    credit_limit_cents: int | None = None
    terms_days: int | None = None
    retainer_required_cents: int | None = None
    cadence_days: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    # the profile fields given (``bot.clients.profile``), typed, by field name
    profile: dict[str, Any] = field(default_factory=dict)


def code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(Client.id).where(Client.code == normalise_code(code))) is not None


def require_code_free(session: Session, code: str) -> None:
    if code_taken(session, code):
        normal = normalise_code(code)
        raise Conflict(f"There is already a client `{normal}`. See it with `/client {normal}`.")


LEGAL_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "plc",
        "pc",
        "pllc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "srl",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "kk",
        "pty",
        "group",
        "holdings",
    ]
)


def core_name(name: str) -> str:
    """A name without punctuation and legal-form words: "Acme, Inc." -> "acme"."""
    words = re.findall(r"[a-z0-9]+", utils.default_process(name))
    kept = [w for w in words if w not in LEGAL_WORDS]
    return " ".join(kept or words)


def similar_clients(
    session: Session, name: str, *, exclude: str | None = None
) -> list[tuple[str, str]]:
    """(code, name) of clients whose name is close to ``name``: a likely duplicate.

    Legal forms ("Inc", "LLC", "Corporation") are what differs between two records of one
    client, so they are dropped before comparing; a name contained in the other counts.
    """
    wanted = core_name(name)
    if not wanted:
        return []
    scored: list[tuple[float, str, str]] = []
    for code, stored in session.execute(select(Client.code, Client.name)):
        if code == exclude:
            continue
        other = core_name(stored)
        score = max(fuzz.ratio(wanted, other), fuzz.token_set_ratio(wanted, other))
        if score >= SIMILAR_NAME_CUTOFF:
            scored.append((score, code, stored))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(code, stored) for _score, code, stored in scored[:3]]


# --- who may set what ------------------------------------------------------------------------

# What the firm extends on credit and on what terms is a partner's or an admin's decision,
# whether it is set when the client is added or changed afterwards with ``/client edit``
# (``bot.clients.edit`` reserves these and a few more fields with the same rule).
CREDIT_TERMS = ("credit-limit", "terms", "retainer")
SENIOR_ROLES = frozenset({Role.ADMIN, Role.PARTNER})


def require_senior(actor: Actor, fields: Sequence[str], *, verb: str = "change") -> None:
    """Refuse anyone but a partner or an admin who sets any of ``fields``.

    The one rule for both paths into a client's credit terms: intake (``/client add`` and the
    add-client form, through ``add_client``) and ``/client edit``; a clients file is imported
    only by the same two roles. It is asked before the client is looked up, so the refusal
    never says whether a client exists.
    """
    if not fields or actor.role in SENIOR_ROLES:
        return
    named = " and ".join([", ".join(fields[:-1]), fields[-1]] if len(fields) > 1 else fields)
    advice = "Ask a partner to make the change." if verb == "change" else "Leave them out."
    raise PermissionDenied(
        f"Only a partner or an admin may {verb} a client's {named}; your role is "
        f"{actor.role.value}. {advice}"
    )


def credit_terms_given(data: ClientInput) -> list[str]:
    """The credit terms a new client comes with (``CREDIT_TERMS`` names), in that order."""
    given = {
        "credit-limit": data.credit_limit_cents,
        "terms": data.terms_days,
        "retainer": data.retainer_required_cents,
    }
    return [name for name in CREDIT_TERMS if given[name] is not None]


def require_may_add(actor: Actor, data: ClientInput) -> None:
    """Whether ``actor`` may add this client as given: a member who adds clients, and a
    partner or an admin if it comes with credit terms or a billing contact. Asked before
    anything is read."""
    actor.require(Capability.WRITE_CLIENTS)
    senior = [name for name in data.profile if name in profile.SENIOR]
    if data.partner_id is not None:
        senior.append("relationship-partner")
    require_senior(actor, [*credit_terms_given(data), *senior], verb="set")


# --- writes -------------------------------------------------------------------------------


def add_client(session: Session, *, actor: Actor, data: ClientInput) -> Client:
    require_may_add(actor, data)
    code = check_code(data.code)
    problem = name_problem(data.name)
    if problem:
        raise InvalidInput(problem)
    require_code_free(session, code)
    client = Client(
        code=code,
        name=data.name.strip(),
        kind=data.kind,
        lawyer_id=data.lawyer_id,
        partner_id=profile.check_relationship_partner(session, data.partner_id),
        is_key=data.is_key,
        email=data.email,
        phone=data.phone,
        address=data.address,
        industry=data.industry,
        size=data.size,
        currency=data.currency,
        credit_limit_cents=data.credit_limit_cents,
        terms_days=data.terms_days if data.terms_days is not None else 30,
        retainer_required_cents=data.retainer_required_cents,
        cadence_days=data.cadence_days,
        details=dict(data.details),
    )
    try:
        with session.begin_nested():
            session.add(client)
            session.flush()
    except IntegrityError:
        # Another request added the same code a moment ago (two processes, one database).
        raise Conflict(
            f"There is already a client `{code}`. See it with `/client {code}`."
        ) from None
    profile.apply_new(session, client, data.profile)
    return client


def find_clients(session: Session, text: str, *, limit: int = 10) -> list[Client]:
    """Clients by code, name, email or phone: direct hits first, then fuzzy ones.

    Phone numbers are compared on their digits, so ``555-0100`` finds ``+1 212 555 0100``.
    """
    needle = text.strip()
    like = f"%{needle.lower()}%"
    conditions = [
        func.lower(Client.code).like(like),
        func.lower(Client.name).like(like),
        func.lower(Client.email).like(like),
        Client.phone.like(f"%{needle}%"),
    ]
    direct = list(
        session.scalars(select(Client).where(or_(*conditions)).order_by(Client.code).limit(limit))
    )
    digits = re.sub(r"\D", "", needle)
    if len(digits) >= 4 and len(direct) < limit:
        seen = {c.id for c in direct}
        for client_id, phone in session.execute(
            select(Client.id, Client.phone).where(Client.phone.is_not(None))
        ):
            if client_id not in seen and digits in re.sub(r"\D", "", phone or ""):
                found = session.get(Client, client_id)
                if found is not None:
                    direct.append(found)
    if len(direct) >= limit:
        return direct[:limit]
    known = {d.code for d in direct}
    codes = [c for c in suggest_clients(session, needle, limit=limit) if c not in known]
    fuzzy = list(session.scalars(select(Client).where(Client.code.in_(codes)))) if codes else []
    fuzzy.sort(key=lambda c: codes.index(c.code))
    return (direct + fuzzy)[:limit]


# --- the card -------------------------------------------------------------------------------


@dataclass
class ClientCard:
    """What ``/client CODE`` shows; the balance line is added by the caller if permitted."""

    client: Client
    lawyer_slack_id: str | None
    matters: list[Matter]  # the first CARD_MATTERS open matters, by number
    open_matters: int  # how many are open in all
    # (contact, matter code or None, Slack id of who logged it)
    contacts: list[tuple[Contact, str | None, str]]
    deadlines: list[tuple[Deadline, str]]  # (deadline, matter code)


def client_card(session: Session, *, actor: Actor, code: str, today: date) -> ClientCard:
    actor.require(Capability.READ_CLIENTS)
    client = get_client(session, code)
    lawyer = session.get(User, client.lawyer_id) if client.lawyer_id else None
    is_open = (Matter.client_id == client.id, Matter.status == MatterStatus.OPEN)
    matters = list(
        session.scalars(select(Matter).where(*is_open).order_by(Matter.number).limit(CARD_MATTERS))
    )
    open_matters = len(matters)
    if open_matters == CARD_MATTERS:  # maybe more: count them rather than load them
        open_matters = session.scalar(select(func.count()).select_from(Matter).where(*is_open)) or 0
    contacts: list[tuple[Contact, str | None, str]] = [
        (contact, matter_code, slack_id)
        for contact, matter_code, slack_id in session.execute(
            select(Contact, Matter.code, User.slack_id)
            .outerjoin(Matter, Matter.id == Contact.matter_id)
            .join(User, User.id == Contact.logged_by_id)
            .where(Contact.client_id == client.id)
            .order_by(Contact.occurred_at.desc(), Contact.id.desc())
            .limit(CARD_CONTACTS)
        )
    ]
    deadlines = [
        (deadline, matter_code)
        for deadline, matter_code in session.execute(
            select(Deadline, Matter.code)
            .join(Matter, Matter.id == Deadline.matter_id)
            .where(
                Matter.client_id == client.id,
                Deadline.status == DeadlineStatus.OPEN,
                Deadline.is_trigger.is_(False),
                Deadline.due_on >= today,
            )
            .order_by(Deadline.due_on, Deadline.due_at, Deadline.id)
            .limit(CARD_DEADLINES)
        )
    ]
    return ClientCard(
        client=client,
        lawyer_slack_id=lawyer.slack_id if lawyer else None,
        matters=matters,
        open_matters=open_matters,
        contacts=contacts,
        deadlines=deadlines,
    )
