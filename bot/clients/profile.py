"""The client profile: the named facts a firm keeps about a person or an organisation.

People: gender, birth date, family, income, employer, position, interests. Organisations:
legal representative, contact person, registered capital, revenue, employees, customers,
business partners. Both: referral source, potential needs, related clients, and the client
team (the relationship partner, set with the older ``partner`` field, and the billing
contact). Each field is one typed column (``storage.models.Client``), so a birth date is a
date, an amount is integer cents in the client's currency and a head count a whole number,
checked on the way in by ``/client edit`` and the clients import alike. ``details.KEY`` keeps
whatever else a firm wants to note.

A field of the other kind of client (a legal representative on a person) is refused with
what the client is: mixing them would leave facts nobody is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.clients.lookup import normalise_code
from bot.dates.format import format_day
from bot.errors import InvalidInput
from bot.money import Money, parse_amount
from storage import audit
from storage.models import Client, ClientKind, ClientRelation, Role, User

PERSON, ORG = ClientKind.PERSON, ClientKind.ORGANIZATION
OLDEST_YEARS = 130  # a birth date further back is a typing slip
MAX_COUNT = 10_000_000
MAX_RELATED = 20
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


@dataclass(frozen=True)
class ProfileField:
    """One named field: the word ``/client edit`` takes, its column, type and kind."""

    name: str
    column: str
    type: str  # text | date | amount | count | user | clients
    label: str
    kinds: frozenset[ClientKind] = frozenset({PERSON, ORG})
    most: int = 2000  # characters, for text

    @property
    def export(self) -> str:
        """The CSV column (snake case, like the other client columns)."""
        return self.name.replace("-", "_")


def _person(name: str, column: str, type_: str, label: str, most: int = 2000) -> ProfileField:
    return ProfileField(name, column, type_, label, frozenset({PERSON}), most)


def _org(name: str, column: str, type_: str, label: str, most: int = 2000) -> ProfileField:
    return ProfileField(name, column, type_, label, frozenset({ORG}), most)


FIELDS: tuple[ProfileField, ...] = (
    _person("gender", "gender", "text", "Gender", 40),
    _person("birth-date", "birth_date", "date", "Born"),
    _person("family", "family", "text", "Family"),
    _person("income", "income_cents", "amount", "Income (a year)"),
    _person("employer", "employer", "text", "Employer", 300),
    _person("position", "position", "text", "Position", 200),
    _person("interests", "interests", "text", "Interests"),
    _org("legal-rep", "legal_rep", "text", "Legal representative", 300),
    _org("contact-person", "contact_person", "text", "Contact person", 300),
    _org("registered-capital", "registered_capital_cents", "amount", "Registered capital"),
    _org("revenue", "revenue_cents", "amount", "Revenue (a year)"),
    _org("employees", "employees", "count", "Employees"),
    _org("customers", "customers", "text", "Customers"),
    _org("partners", "business_partners", "text", "Business partners"),
    ProfileField("referral-source", "referral_source", "text", "Referral source", most=200),
    ProfileField("potential-needs", "potential_needs", "text", "Potential needs"),
    ProfileField("related-clients", "", "clients", "Related clients"),
    ProfileField("billing-contact", "billing_contact_id", "user", "Billing contact"),
)
BY_NAME = {f.name: f for f in FIELDS}
# who may be a billing contact: someone who may see and chase the client's money
BILLING_CONTACT_ROLES = (Role.BILLING, Role.PARTNER, Role.ADMIN)
# the billing contact is one of the client team: set by partners and admins, like the
# relationship partner and the responsible lawyer
SENIOR = frozenset({"billing-contact"})


def field_named(name: str) -> ProfileField | None:
    return BY_NAME.get(name)


def require_kind(client: Client, field: ProfileField) -> None:
    if client.kind not in field.kinds:
        kind = "a person" if client.kind is PERSON else "an organisation"
        other = "people" if PERSON in field.kinds else "organisations"
        raise InvalidInput(
            f"{client.code} is {kind}: `{field.name}` is kept for {other}. "
            f"Fields for {kind}: {', '.join(f.name for f in FIELDS if client.kind in f.kinds)}."
        )


# --- reading values -----------------------------------------------------------------------


def read_text(field: ProfileField, raw: str) -> str:
    text = " ".join(raw.split()) if field.most <= 300 else raw.strip()
    if len(text) > field.most:
        raise InvalidInput(
            f"The {field.name} is {len(text):,} characters; the most is {field.most}."
        )
    return text


def read_birth_date(raw: str, *, today: date) -> date:
    """A birth date written out in full: 1970-03-02, 2 March 1970 or March 2, 1970.

    Never a guess between day and month orders, and never a date that has not come yet or
    lies more than 130 years back.
    """
    text = raw.strip().lower()
    found: date | None = None
    try:
        found = date.fromisoformat(text)
    except ValueError:
        for pattern, order in ((_DAY_MONTH_YEAR, (0, 1, 2)), (_MONTH_DAY_YEAR, (1, 0, 2))):
            match = pattern.fullmatch(text)
            if match:
                parts = match.groups()
                day, month, year = (parts[i] for i in order)
                if month in MONTHS:
                    try:
                        found = date(int(year), MONTHS[month], int(day))
                    except ValueError:
                        found = None
                break
    if found is None:
        raise InvalidInput(
            f"`{raw[:40]}` is not a date Clerk can read as a birth date: write it in full, "
            "e.g. `1970-03-02` or `2 March 1970`."
        )
    if found > today:
        raise InvalidInput(f"A birth date can't be in the future ({found.isoformat()}).")
    if found.year < today.year - OLDEST_YEARS:
        raise InvalidInput(f"{found.isoformat()} is more than {OLDEST_YEARS} years ago.")
    return found


def read_amount(field: ProfileField, raw: str, currency: str) -> int:
    """An amount in the client's currency (a plain number means that currency), not negative."""
    value = parse_amount(raw, default_currency=currency)
    if value.currency != currency:
        raise InvalidInput(
            f"The client's account is kept in {currency}; give the {field.name} in {currency} "
            f"(you wrote {value.format(currency)})."
        )
    if value.cents < 0:
        raise InvalidInput(f"The {field.name} can't be negative.")
    return value.cents


def read_count(field: ProfileField, raw: str) -> int:
    text = raw.strip().replace(",", "")
    if not text.isdigit() or int(text) > MAX_COUNT:
        raise InvalidInput(
            f"The number of {field.name} is a whole number from 0 to {MAX_COUNT:,}, "
            f"not `{raw[:30]}`."
        )
    return int(text)


def read_codes(raw: str) -> list[str]:
    """Client codes separated by commas or spaces, each once, in the order given."""
    codes: list[str] = []
    for word in re.split(r"[\s,;]+", raw.strip()):
        if word and normalise_code(word) not in codes:
            codes.append(normalise_code(word))
    if len(codes) > MAX_RELATED:
        raise InvalidInput(f"At most {MAX_RELATED} related clients.")
    return codes


def read_value(field: ProfileField, raw: str, *, currency: str, today: date) -> Any:
    """The typed value of what was typed for ``field`` (users are resolved by the caller)."""
    if field.type == "date":
        return read_birth_date(raw, today=today)
    if field.type == "amount":
        return read_amount(field, raw, currency)
    if field.type == "count":
        return read_count(field, raw)
    if field.type == "clients":
        return read_codes(raw)
    return read_text(field, raw)


# --- storing ------------------------------------------------------------------------------


def set_field(session: Session, client: Client, field: ProfileField, value: Any) -> None:
    """Store a checked value (None clears). Users and related clients are checked here,
    against the store: who may be a billing contact, which codes exist."""
    require_kind(client, field)
    if field.type == "clients":
        set_related(session, client, value or [])
    elif field.type == "user":
        setattr(client, field.column, check_billing_contact(session, value))
    else:
        setattr(client, field.column, value)


def check_relationship_partner(session: Session, user_id: int | None) -> int | None:
    """The user id, once they are a partner (or an admin): the one told, with the client's
    money, when its account reaches partner review."""
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or user.role not in (Role.PARTNER, Role.ADMIN):
        shown = f"<@{user.slack_id}>" if user is not None else "They"
        raise InvalidInput(
            f"{shown} is not a partner: a client's relationship partner is a partner (or an "
            "admin), told when the account reaches partner review."
        )
    return user.id


def check_billing_contact(session: Session, user_id: int | None) -> int | None:
    """The user id, once they may be a billing contact (``BILLING_CONTACT_ROLES``)."""
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or user.role not in BILLING_CONTACT_ROLES:
        shown = f"<@{user.slack_id}>" if user is not None else "They"
        raise InvalidInput(
            f"{shown} can't be the billing contact: that is someone in billing, a partner "
            "or an admin, who may see the client's account."
        )
    return user.id


def set_related(session: Session, client: Client, codes: Iterable[str]) -> None:
    """Replace the client's links with ``codes``; every code must be another client."""
    wanted = list(codes)
    if client.code in wanted:
        raise InvalidInput(f"{client.code} can't be related to itself.")
    found = existing_clients(session, wanted)
    before, _named_by = related_codes(session, client.id)
    if before == sorted(wanted):
        return
    # The old links go by one statement, which the flush's audit does not see: the change
    # is audited here as a whole, the codes before and after.
    session.execute(delete(ClientRelation).where(ClientRelation.client_id == client.id))
    session.add_all(ClientRelation(client_id=client.id, related_id=found[c]) for c in wanted)
    session.flush()
    if before:
        audit.record(
            session,
            action="update",
            entity="client_relations",
            entity_id=str(client.id),
            before={"related_clients": before},
            after={"related_clients": sorted(wanted)},
        )


def existing_clients(session: Session, codes: list[str]) -> dict[str, int]:
    """Each code's client id, once every one of ``codes`` is a client."""
    rows = session.execute(select(Client.code, Client.id).where(Client.code.in_(codes)))
    found = {code: client_id for code, client_id in rows}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise InvalidInput(
            f"There is no client {', '.join(f'`{c}`' for c in unknown)}: related clients are "
            "given by their codes, e.g. `/client edit ACME related-clients GLOBEX INITECH`."
        )
    return found


def apply_new(session: Session, client: Client, values: dict[str, Any]) -> None:
    """Store a new client's profile as its form gave it (``values``: typed, by field name),
    each field checked against the store as ``/client edit`` checks it."""
    for name, value in values.items():
        set_field(session, client, BY_NAME[name], value)


def related_codes(session: Session, client_id: int) -> tuple[list[str], list[str]]:
    """(the clients this one is related to, the clients that name it as related)."""
    own = session.scalars(
        select(Client.code)
        .join(ClientRelation, ClientRelation.related_id == Client.id)
        .where(ClientRelation.client_id == client_id)
        .order_by(Client.code)
    )
    others = session.scalars(
        select(Client.code)
        .join(ClientRelation, ClientRelation.client_id == Client.id)
        .where(ClientRelation.related_id == client_id)
        .order_by(Client.code)
    )
    return list(own), list(others)


def related_codes_of_all(session: Session) -> dict[int, list[str]]:
    """Every client's related codes (in code order) by client id, in one query: for an
    export, which would otherwise ask once per client."""
    rows = session.execute(
        select(ClientRelation.client_id, Client.code)
        .join(Client, Client.id == ClientRelation.related_id)
        .order_by(ClientRelation.client_id, Client.code)
    )
    found: dict[int, list[str]] = {}
    for client_id, code in rows:
        found.setdefault(client_id, []).append(code)
    return found


def shown_value(session: Session, client: Client, field: ProfileField) -> str:
    """The field as a reply or the card writes it ("—" when not set)."""
    if field.type == "clients":
        own, _others = related_codes(session, client.id)
        return ", ".join(own) or "—"
    value = getattr(client, field.column)
    if value is None or value == "":
        return "—"
    if field.type == "user":
        user = session.get(User, value)
        return f"<@{user.slack_id}>" if user is not None else "—"
    if field.type == "amount":
        return Money(value, client.currency).format(client.currency)
    if field.type == "count":
        return f"{value:,}"
    if field.type == "date":
        return format_day(value)
    return str(value)


# the facts about a person that stay with those who may see the client's account (its
# responsible lawyer, partners, admins, billing): the rest of the card is for every reader
PRIVATE = frozenset({"gender", "birth-date", "family", "income"})


@dataclass(frozen=True)
class CardLine:
    label: str
    value: str
    is_markup: bool = False  # a mention Clerk wrote; anything else is user text to escape


def card_lines(session: Session, client: Client, *, private: bool) -> list[CardLine]:
    """The profile fields that are set, for the client card (``private``: with the
    personal ones), then the client team and the links to other clients."""
    lines: list[CardLine] = []
    for field in FIELDS:
        if field.type in ("clients", "user") or (field.name in PRIVATE and not private):
            continue
        if getattr(client, field.column) not in (None, ""):
            lines.append(CardLine(field.label, shown_value(session, client, field)))
    team = (
        ("Relationship partner", client.partner_id),
        ("Billing contact", client.billing_contact_id),
    )
    for label, user_id in team:
        user = session.get(User, user_id) if user_id else None
        if user is not None:
            lines.append(CardLine(label, f"<@{user.slack_id}>", is_markup=True))
    own, others = related_codes(session, client.id)
    if own:
        lines.append(CardLine("Related clients", ", ".join(own)))
    if others:
        lines.append(CardLine("Named as related by", ", ".join(others)))
    return lines
