"""Parties on a matter: who the firm acts for and against, and who else stands in it.

The conflict search (``bot.clients.conflicts``) reads them, so a name is stored as typed and
in its normalised form; one party is on a matter once, however its name is spelled. Parties
are added to open matters only: a closed file is a record, and what it held is what the
firm knew when it closed (imports of old files may still bring their parties).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clients import names
from bot.clients.lookup import get_matter
from bot.errors import Conflict, InvalidInput
from bot.permissions import Actor, Capability
from bot.text import split_words
from storage.models import Matter, MatterStatus, Party, PartyRole

MAX_NAME = 300
ROLES = ", ".join(r.value for r in PartyRole)
ADD_USAGE = f"/matter party add MATTER NAME [as {'|'.join(r.value for r in PartyRole)}]"
LIST_USAGE = "/matter party list MATTER"
DEFAULT_ROLE = PartyRole.ADVERSE


@dataclass(frozen=True)
class PartyInput:
    matter_code: str
    name: str
    role: PartyRole
    role_given: bool


def read_role(word: str) -> PartyRole:
    try:
        return PartyRole(word.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"`{word}` is not a party role. Roles: {ROLES}.", usage=ADD_USAGE
        ) from None


def parse_add(text: str) -> PartyInput:
    """``MATTER NAME [as ROLE]`` (the words after ``party add``); the name may be quoted."""
    words = split_words(text)
    if len(words) < 2:
        raise InvalidInput(
            'Say which matter and who, e.g. `/matter party add ACME-1 "Globex Inc" as adverse`.',
            usage=ADD_USAGE,
        )
    role, role_given = DEFAULT_ROLE, False
    rest = words[1:]
    if len(rest) >= 3 and rest[-2].lower() == "as":
        role, role_given = read_role(rest[-1]), True
        rest = rest[:-2]
    name = " ".join(rest).strip()
    problem = name_problem(name)
    if problem:
        raise InvalidInput(problem, usage=ADD_USAGE)
    return PartyInput(words[0], name, role, role_given)


def name_problem(name: str) -> str | None:
    if names.too_short(name):
        return "Give the party's name, at least two letters or digits, e.g. `Globex Inc`."
    if len(name) > MAX_NAME:
        return f"The name is {len(name):,} characters; the most is {MAX_NAME}."
    return None


def add_party(session: Session, *, actor: Actor, data: PartyInput) -> tuple[Party, Matter]:
    """Add a party to an open matter; the same normalised name twice is refused."""
    actor.require(Capability.WRITE_MATTERS)
    matter = get_matter(session, data.matter_code)
    if matter.status is MatterStatus.CLOSED:
        raise Conflict(
            f"{matter.code} is closed, so no parties are added to it. Open a new matter "
            f"for new work, or ask a partner if the file needs correcting."
        )
    party = store_party(session, matter=matter, name=data.name, role=data.role, by=actor.user_id)
    return party, matter


def store_party(
    session: Session, *, matter: Matter, name: str, role: PartyRole, by: int | None
) -> Party:
    """The row itself, shared by ``/matter party add`` and the parties import."""
    normalised = names.normalise(name)
    same = session.scalars(
        select(Party).where(Party.matter_id == matter.id, Party.normalised == normalised)
    ).first()
    if same is not None:
        raise Conflict(
            f"{same.name} is already a party to {matter.code} (as {same.role.value}); "
            "Clerk keeps each party once per matter."
        )
    party = Party(
        matter_id=matter.id, name=name.strip(), normalised=normalised, role=role, added_by_id=by
    )
    try:
        with session.begin_nested():
            session.add(party)
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"That party was added to {matter.code} a moment ago by someone else."
        ) from None
    return party


def list_parties(session: Session, *, actor: Actor, code: str) -> tuple[Matter, list[Party]]:
    actor.require(Capability.READ_CLIENTS)
    matter = get_matter(session, code)
    parties = list(
        session.scalars(
            select(Party).where(Party.matter_id == matter.id).order_by(Party.role, Party.name)
        )
    )
    return matter, parties
