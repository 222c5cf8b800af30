"""Credit checks: assess a client before engaging, record the decision, set its terms.

``/client credit-check CODE (approved|conditional|declined) [limit AMOUNT] [retainer AMOUNT]
NOTE`` is for billing, partners and admins (``Capability.MANAGE_BILLING``): extending credit
is the money side's decision, so billing may set the limit and retainer *through a check*,
with the reason written down, although ``/client edit`` keeps those fields for partners.

A check is a new ``credit_checks`` row (who, when, decision, note) written in the audited unit
of work with the client's new limit and retainer; nothing is overwritten, so the history of
decisions stays readable. A limit below what the client already owes is asked about first
(the handler keeps what to store server-side and the *Proceed* button carries only its
token). A client whose latest check is ``declined`` gets a new matter only on a partner's or
an admin's *Proceed* (``matter_gate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing.money_changes import lock_client, outstanding_of
from bot.clients.lookup import get_client, normalise_code
from bot.errors import InvalidInput, NotFound, PermissionDenied
from bot.money import Money, parse_amount
from bot.permissions import Actor, Capability
from bot.text import escape
from storage.models import Client, CreditCheck, CreditDecision, Role, User

USAGE = (
    "/client credit-check CODE (approved|conditional|declined) [limit AMOUNT] "
    "[retainer AMOUNT] NOTE"
)
EXAMPLES = (
    "/client credit-check ACME approved limit $50,000 retainer $5,000 D&B report clean",
    "/client credit-check GLOBEX conditional retainer $10,000 new entity, no history",
    "/client credit-check SHELL declined two judgments outstanding",
)
MAX_NOTE = 1000
PENDING_KIND = "credit-check"
MAY_PROCEED_ON_DECLINED = frozenset({Role.ADMIN, Role.PARTNER})


@dataclass(frozen=True)
class CheckRequest:
    """A credit check as typed, before the client is read."""

    code: str
    decision: CreditDecision
    limit: Money | None
    retainer: Money | None
    note: str

    def payload(self, client_id: int) -> dict[str, Any]:
        """What a *Proceed* button's pending row keeps: exactly what will be stored."""
        return {
            "client_id": client_id,
            "decision": self.decision.value,
            "limit": [self.limit.cents, self.limit.currency] if self.limit else None,
            "retainer": [self.retainer.cents, self.retainer.currency] if self.retainer else None,
            "note": self.note,
        }


def require_may_check(actor: Actor) -> None:
    """Billing, partners and admins; asked before any client is read."""
    actor.require(Capability.MANAGE_BILLING)


def parse(text: str, *, currency: str) -> CheckRequest:
    """``CODE DECISION [limit AMOUNT] [retainer AMOUNT] NOTE`` (the words after
    ``credit-check``). An amount may be two words (``USD 12500``)."""
    words = text.split()
    if len(words) < 2:
        raise InvalidInput("Say which client and the decision.", usage=USAGE)
    code, said = words[0], words[1].lower()
    try:
        decision = CreditDecision(said)
    except ValueError:
        raise InvalidInput(
            f"`{escape(said[:20])}` is not a decision: say approved, conditional or declined.",
            usage=USAGE,
        ) from None
    amounts: dict[str, Money] = {}
    rest = words[2:]
    while rest and rest[0].lower() in ("limit", "retainer"):
        name = rest[0].lower()
        if name in amounts:
            raise InvalidInput(f"`{name}` is given twice.", usage=USAGE)
        taken = 2 if len(rest) > 2 and rest[1].isalpha() and len(rest[1]) == 3 else 1
        typed = " ".join(rest[1 : 1 + taken])
        if not typed:
            raise InvalidInput(f"`{name}` needs an amount, e.g. `{name} $25,000`.", usage=USAGE)
        amounts[name] = parse_amount(typed, default_currency=currency, allow_zero=True)
        rest = rest[1 + taken :]
    note = " ".join(rest).strip()
    if not note:
        raise InvalidInput(
            "Add a note saying what the decision rests on (a report, references, history).",
            usage=USAGE,
        )
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"The note is {len(note):,} characters; keep it under {MAX_NOTE:,}.")
    return CheckRequest(code, decision, amounts.get("limit"), amounts.get("retainer"), note)


@dataclass(frozen=True)
class Assessment:
    """What the check would do to the client, read before anything is stored."""

    client: Client
    owed_cents: int

    def limit_below_owed(self, request: CheckRequest) -> bool:
        return request.limit is not None and request.limit.cents < self.owed_cents


def assess(session: Session, *, actor: Actor, request: CheckRequest) -> Assessment:
    """The client and what it owes; refuses an amount in another currency than its own."""
    require_may_check(actor)
    client = get_client(session, request.code)
    for name, amount in (("limit", request.limit), ("retainer", request.retainer)):
        if amount is not None and amount.currency != client.currency:
            raise InvalidInput(
                f"{client.code} is billed in {client.currency}: give the {name} in "
                f"{client.currency}, not {amount.currency}."
            )
    return Assessment(client, outstanding_of(session, client.id))


def record(
    session: Session, *, actor: Actor, payload: dict[str, Any], now: datetime
) -> CreditCheck:
    """Store the check and the terms it names, in the caller's audited unit of work."""
    require_may_check(actor)
    client = session.get(Client, int(payload["client_id"]))
    if client is None:
        raise NotFound("That client is no longer in Clerk.")
    lock_client(session, client)
    limit, retainer = payload.get("limit"), payload.get("retainer")
    for amount in (limit, retainer):
        if amount is not None and amount[1] != client.currency:
            raise InvalidInput(f"{client.code} is billed in {client.currency}.")
    if limit is not None:
        client.credit_limit_cents = int(limit[0])
    if retainer is not None:
        client.retainer_required_cents = int(retainer[0])
    check = CreditCheck(
        client_id=client.id,
        decision=CreditDecision(payload["decision"]),
        limit_cents=int(limit[0]) if limit is not None else None,
        retainer_cents=int(retainer[0]) if retainer is not None else None,
        currency=client.currency,
        note=str(payload["note"]),
        checked_by_id=actor.user_id,
        checked_by=actor.slack_id,
        checked_at=now,
    )
    session.add(check)
    session.flush()
    return check


def latest(session: Session, client_id: int) -> CreditCheck | None:
    """The client's standing decision: its most recent check (None: never checked)."""
    return session.scalars(
        select(CreditCheck)
        .where(CreditCheck.client_id == client_id)
        .order_by(CreditCheck.checked_at.desc(), CreditCheck.id.desc())
        .limit(1)
    ).first()


def checker_name(session: Session, check: CreditCheck) -> str:
    return session.scalar(select(User.real_name).where(User.id == check.checked_by_id)) or ""


def declined_check(session: Session, client_code: str) -> CreditCheck | None:
    """The client's latest check if it declined credit (a new matter must be confirmed)."""
    wanted = normalise_code(client_code)
    client = session.scalars(select(Client).where(Client.code == wanted)).first()
    if client is None:
        return None  # ``add_matter`` says so, with its suggestions
    found = latest(session, client.id)
    return found if found is not None and found.decision is CreditDecision.DECLINED else None


def require_may_proceed_on_declined(actor: Actor, client_code: str) -> None:
    """Only a partner or an admin opens a matter for a client whose credit was declined;
    asked of whoever presses *Proceed*, so a forged or passed-on button does not do it."""
    if actor.role not in MAY_PROCEED_ON_DECLINED or not actor.active:
        raise PermissionDenied(
            f"Credit for {client_code.upper()} was declined, so a new matter for it needs a "
            f"partner's approval; your role is {actor.role.value}. Ask a partner or an admin "
            "to open it. Nothing was stored."
        )
