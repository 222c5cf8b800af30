"""``/client edit CODE FIELD VALUE``: one field at a time, each change audited.

Who is responsible for a client, what the firm extends on credit and on what terms, and
whether someone is still a client are partner decisions: staff and lawyers may correct
contact details and flags, but those fields are for admins and partners. The refusal comes
before the client is looked up, so it never says whether a client exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.clients import profile
from bot.clients.checks import MAX_NAME, name_problem
from bot.clients.lookup import get_client
from bot.clients.service import CREDIT_TERMS, require_senior
from bot.errors import Conflict, InvalidInput
from bot.money import Money, parse_amount
from bot.permissions import Actor, Capability
from bot.settings import load_settings
from storage.models import Client, ClientKind, ClientStatus, User
from storage.stamps import session_now

# The credit terms (reserved at intake too, ``bot.clients.service.require_senior``), who is
# responsible for the client, and whether it is still a client.
SENIOR_FIELDS = frozenset({*CREDIT_TERMS, "lawyer", "partner", "status", *profile.SENIOR})
# Fields of `add` plus the long tail; "details.KEY" is any key of the details JSON.
FIELDS = (
    "name",
    "kind",
    "person",
    "org",
    "lawyer",
    "partner",
    "key",
    "not-key",
    "email",
    "phone",
    "address",
    "industry",
    "size",
    "credit-limit",
    "terms",
    "retainer",
    "cadence",
    "status",
    *(f.name for f in profile.FIELDS),
    "relationship-partner",
    "details.KEY",
)
ALIASES = {
    "organization": "org",
    "organisation": "org",
    "nokey": "not-key",
    "not_key": "not-key",
    "unkey": "not-key",
    "credit": "credit-limit",
    "credit_limit": "credit-limit",
    "creditlimit": "credit-limit",
    "terms_days": "terms",
    "payment-terms": "terms",
    "retainer_required": "retainer",
    "cadence_days": "cadence",
    "responsible": "lawyer",
    "relationship-partner": "partner",
}
MONEY_FIELDS = {"credit-limit": "credit_limit_cents", "retainer": "retainer_required_cents"}
TEXT_FIELDS = ("email", "phone", "address", "industry", "size")


@dataclass(frozen=True)
class ClientChange:
    """One parsed change: the canonical field name and its new value (None clears it)."""

    field: str
    value: Any = None  # money fields keep the typed text: read in the client's currency
    reason: str | None = None  # status former REASON


@dataclass(frozen=True)
class EditResult:
    code: str
    field: str
    before: str
    after: str


def canonical_field(word: str) -> str:
    lowered = word.strip().lower()
    if lowered.startswith("details."):
        key = lowered.removeprefix("details.")
        if not key or len(key) > 40 or not all(ch.isalnum() or ch in "_-" for ch in key):
            raise InvalidInput(
                f"`{word}`: a details key is one word of letters, digits, _ or -, "
                "e.g. `details.referral_source`."
            )
        return f"details.{key}"
    lowered = ALIASES.get(lowered, lowered)
    if lowered == "satisfaction":
        raise InvalidInput(
            "Satisfaction is recorded per matter, when it closes: "
            "`/matter close ACME-1 satisfaction 4 settled`. The client analysis "
            "(`/clerk report clients`) averages it."
        )
    if lowered == "code":
        raise InvalidInput(
            "A client's code can't be changed: its matters (ACME-1...) and every record "
            "that quotes it hang from it. Add a new client if the code is wrong."
        )
    if lowered not in FIELDS:
        raise InvalidInput(
            f"`{word}` is not a client field. Fields: {', '.join(FIELDS)}.",
            usage="/client edit CODE FIELD VALUE   e.g. /client edit ACME phone +1 212 555 0100",
        )
    return lowered


def require_may_change(actor: Actor, field_name: str) -> None:
    actor.require(Capability.WRITE_CLIENTS)
    if field_name in SENIOR_FIELDS:
        require_senior(actor, [field_name])


def _money(cents: int | None, currency: str) -> str:
    return Money(cents, currency).format(currency) if cents is not None else "—"


def _describe(session: Session, client: Client, field_name: str) -> str:
    """The field's current value as the reply shows it ("—" when empty)."""
    named = profile.field_named(field_name)
    if named is not None:
        return profile.shown_value(session, client, named)
    if field_name.startswith("details."):
        value = (client.details or {}).get(field_name.removeprefix("details."))
        return "—" if value in (None, "") else str(value)
    if field_name in ("kind", "person", "org"):
        return client.kind.value
    if field_name in ("key", "not-key"):
        return "key client" if client.is_key else "not a key client"
    if field_name in ("lawyer", "partner"):
        user_id = client.lawyer_id if field_name == "lawyer" else client.partner_id
        user = session.get(User, user_id) if user_id else None
        return f"<@{user.slack_id}>" if user else "—"
    if field_name in MONEY_FIELDS:
        return _money(getattr(client, MONEY_FIELDS[field_name]), client.currency)
    if field_name == "terms":
        return f"{client.terms_days} days"
    if field_name == "cadence":
        return f"every {client.cadence_days} days" if client.cadence_days else "firm default"
    if field_name == "status":
        reason = f" ({client.status_reason})" if client.status_reason else ""
        return client.status.value + reason
    value = getattr(client, field_name)
    return "—" if value in (None, "") else str(value)


def edit_client(session: Session, *, actor: Actor, code: str, change: ClientChange) -> EditResult:
    """Apply one change; the unit of work records who changed what, before and after."""
    require_may_change(actor, change.field)
    client = get_client(session, code)
    name = change.field
    before = _describe(session, client, name)
    if name == "name":
        problem = name_problem(str(change.value or ""))
        if problem:
            raise InvalidInput(problem)
        client.name = str(change.value).strip()[:MAX_NAME]
    elif name in ("kind", "person", "org"):
        value = change.value if name == "kind" else name
        client.kind = ClientKind.PERSON if value == "person" else ClientKind.ORGANIZATION
    elif name in ("key", "not-key"):
        client.is_key = name == "key"
    elif name == "lawyer":
        client.lawyer_id = change.value
    elif name == "partner":
        client.partner_id = profile.check_relationship_partner(session, change.value)
    elif name in TEXT_FIELDS:
        setattr(client, name, change.value or None)
    elif name in MONEY_FIELDS:
        _set_money(client, MONEY_FIELDS[name], change.value)
    elif name == "terms":
        client.terms_days = int(change.value)
    elif name == "cadence":
        client.cadence_days = int(change.value) if change.value else None
    elif name == "status":
        _set_status(client, change)
    elif (named := profile.field_named(name)) is not None:
        profile.require_kind(client, named)
        value = change.value
        if isinstance(value, str) and named.type != "user":
            value = profile.read_value(
                named, value, currency=client.currency, today=_today(session)
            )
        profile.set_field(session, client, named, value)
    elif name.startswith("details."):
        key = name.removeprefix("details.")
        details = dict(client.details or {})
        if change.value in (None, ""):
            details.pop(key, None)
        else:
            details[key] = change.value
        client.details = details
    session.flush()
    return EditResult(client.code, name, before, _describe(session, client, name))


def _today(session: Session) -> date:
    """Today in the firm's time zone, by the database's clock (Clerk's, from Slack)."""
    return session_now(session).astimezone(load_settings().tz).date()


def _set_money(client: Client, attribute: str, text: str | None) -> None:
    """Read the amount in the client's own currency (a plain number means that currency)."""
    if not text:
        setattr(client, attribute, None)
        return
    value = parse_amount(text, default_currency=client.currency)
    if value.currency != client.currency:
        raise Conflict(
            f"{client.code}'s account is kept in {client.currency}; give the amount in "
            f"{client.currency} (you wrote {value.format(client.currency)})."
        )
    setattr(client, attribute, value.cents)


def _set_status(client: Client, change: ClientChange) -> None:
    status = ClientStatus(change.value)
    if status is ClientStatus.FORMER and not (change.reason or "").strip():
        raise InvalidInput(
            "Say why the client is former, e.g. `/client edit ACME status former matter "
            "concluded`: Clerk marks clients former with a reason instead of deleting them."
        )
    client.status = status
    client.status_reason = (change.reason or "").strip() or None
