"""``/matter edit MATTER FIELD VALUE`` and the after-care of ``/matter close``.

Anyone who may open matters may correct a matter's title, practice area and fee arrangement.
Its budget and its responsible lawyer are commitments to the client and to a colleague: the
matter's responsible lawyer, a partner or an admin sets them. A closed matter takes no new
budget (nothing more will be billed against it). Every change goes through the unit of work,
which records who changed what, before and after.

Closing a client's last open matter schedules an after-care follow-up for its responsible
lawyer, ``post_matter_follow_up_days`` (firm setting, default 30; 0 turns it off) after the
day it closed: the conversation that brings the client's next matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clients.lookup import get_matter
from bot.clients.matters import title_problem
from bot.errors import Conflict, InvalidInput, PermissionDenied
from bot.money import Money, parse_amount
from bot.permissions import Actor, Capability
from storage.models import Client, Contact, ContactKind, Matter, MatterStatus, Role, User

FIELDS = ("practice-area", "fee-arrangement", "budget", "lawyer", "title")
USAGE = "/matter edit MATTER (practice-area|fee-arrangement|budget|lawyer|title) VALUE"
FEE_ARRANGEMENTS = ("hourly", "fixed", "capped", "contingency", "retainer", "pro-bono", "mixed")
COMMITMENTS = frozenset({"budget", "lawyer"})
MAX_PRACTICE_AREA = 120
CLEAR_WORDS = {"-", "none", "clear", "—"}
SATISFACTION = range(1, 6)


@dataclass(frozen=True)
class MatterEdit:
    code: str
    field: str
    before: str
    after: str
    matter_id: int


def read_field(word: str) -> str:
    field = word.strip().lower().replace("_", "-")
    if field not in FIELDS:
        raise InvalidInput(
            f"`{word[:30]}` is not something `/matter edit` changes. Fields: {', '.join(FIELDS)}.",
            usage=USAGE,
        )
    return field


def read_satisfaction(word: str) -> int:
    """A client's satisfaction with a closed matter: a whole number from 1 to 5."""
    if not word.isdigit() or int(word) not in SATISFACTION:
        raise InvalidInput(
            f"Satisfaction is a whole number from 1 (very unhappy) to 5 (delighted), not "
            f"`{word[:20]}`: `/matter close ACME-1 satisfaction 4 settled`."
        )
    return int(word)


def _shown(session: Session, matter: Matter, field: str, currency: str) -> str:
    if field == "budget":
        cents = matter.budget_cents
        return Money(cents, currency).format(currency) if cents is not None else "—"
    if field == "lawyer":
        user = session.get(User, matter.lawyer_id) if matter.lawyer_id else None
        return f"<@{user.slack_id}>" if user else "—"
    value = {
        "practice-area": matter.practice_area,
        "fee-arrangement": matter.fee_arrangement,
        "title": matter.title,
    }[field]
    return value or "—"


def _require_commitment(actor: Actor, matter: Matter, field: str) -> None:
    if field not in COMMITMENTS or actor.role in (Role.PARTNER, Role.ADMIN):
        return
    if actor.user_id is not None and actor.user_id == matter.lawyer_id:
        return
    raise PermissionDenied(
        f"Only {matter.code}'s responsible lawyer, a partner or an admin may change its "
        f"{field}; your role is {actor.role.value}."
    )


def edit_matter(
    session: Session, *, actor: Actor, code: str, field: str, value: str | int | None
) -> MatterEdit:
    """Apply one change (``value`` as typed; a user id for ``lawyer``; None clears)."""
    actor.require(Capability.WRITE_MATTERS)
    matter = get_matter(session, code)
    _require_commitment(actor, matter, field)
    client = session.get(Client, matter.client_id)
    assert client is not None  # a foreign key
    before = _shown(session, matter, field, client.currency)
    if field == "title":
        problem = title_problem(str(value or ""))
        if problem:
            raise InvalidInput(problem)
        matter.title = str(value).strip()
    elif field == "practice-area":
        text = " ".join(str(value or "").split())
        if len(text) > MAX_PRACTICE_AREA:
            raise InvalidInput(f"A practice area is at most {MAX_PRACTICE_AREA} characters.")
        matter.practice_area = text or None
    elif field == "fee-arrangement":
        word = str(value or "").strip().lower().replace(" ", "-")
        if word and word not in FEE_ARRANGEMENTS:
            raise InvalidInput(
                f"`{word[:30]}` is not a fee arrangement Clerk knows: "
                f"{', '.join(FEE_ARRANGEMENTS)}."
            )
        matter.fee_arrangement = word or None
    elif field == "budget":
        matter.budget_cents = _budget(matter, client, value)
    elif field == "lawyer":
        if value is None:
            raise InvalidInput("A matter always has a responsible lawyer: name who takes it over.")
        matter.lawyer_id = int(value)
    session.flush()
    after = _shown(session, matter, field, client.currency)
    return MatterEdit(matter.code, field, before, after, matter.id)


def _budget(matter: Matter, client: Client, value: str | int | None) -> int | None:
    if matter.status is MatterStatus.CLOSED:
        raise Conflict(f"{matter.code} is closed: a closed matter takes no budget.")
    if value is None:
        return None
    amount = parse_amount(str(value), default_currency=client.currency)
    if amount.currency != client.currency:
        raise InvalidInput(
            f"{client.code}'s account is kept in {client.currency}; give the budget in "
            f"{client.currency} (you wrote {amount.format(client.currency)})."
        )
    if amount.cents <= 0:
        raise InvalidInput("A budget is more than zero (`-` removes it).")
    return amount.cents


def schedule_after_care(
    session: Session, *, matter: Matter, days: int, today: date, now: datetime
) -> Contact | None:
    """The after-care follow-up when ``matter`` was its client's last open one (None if
    another is still open, the setting is off, or nobody is responsible for the client)."""
    if days <= 0:
        return None
    still_open = session.scalar(
        select(func.count(Matter.id)).where(
            Matter.client_id == matter.client_id, Matter.status == MatterStatus.OPEN
        )
    )
    if still_open:
        return None
    client = session.get(Client, matter.client_id)
    lawyer_id = matter.lawyer_id or (client.lawyer_id if client else None)
    if lawyer_id is None:
        return None
    follow_up = Contact(
        client_id=matter.client_id,
        matter_id=matter.id,
        kind=ContactKind.MESSAGE,
        summary=(
            f"{matter.code} closed, the client's last open matter: after-care, check in with "
            "the client about how it went and what comes next."
        ),
        occurred_at=now,
        follow_up_on=today + timedelta(days=days),
        logged_by_id=lawyer_id,
    )
    session.add(follow_up)
    session.flush()
    return follow_up
