"""``/matter edit MATTER FIELD VALUE`` and the after-care of ``/matter close``.

Anyone who may open matters (lawyers, staff, partners, admins; not billing) may correct a
matter's title, practice area and fee arrangement, on an open or a closed matter. Its budget
and its responsible lawyer are commitments to the client and to a colleague, as a client's
credit terms and lawyer are (``bot.clients.edit.SENIOR_FIELDS``), but a matter's are also
its responsible lawyer's to keep: that lawyer (the client's, when the matter names none), a
partner or an admin sets them. A closed matter takes no new budget (nothing more will be
billed against it). Every change goes through the unit of work, which records who changed
what, before and after; a refused change writes nothing.

Closing a client's last open matter schedules an after-care follow-up for its responsible
lawyer, ``post_matter_follow_up_days`` (firm setting, default 30; 0 turns it off) after the
day it closed: the conversation that brings the client's next matter. It is stored as
``/contact … ; follow up DATE`` stores one, a contact row (a note of the closing, in the
lawyer's name) carrying the follow-up date, so the lawyer's morning briefing lists it like
any other follow-up and their next contact with the client from that day on closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clients.budgets import responsible_lawyer_id
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


def read_fee_arrangement(text: str) -> str | None:
    """One of ``FEE_ARRANGEMENTS`` (``Pro bono`` reads as ``pro-bono``), or None for empty.

    A closed list, so the client analysis can group matters by it; anything else is refused
    with the list rather than stored as one more spelling."""
    word = "-".join(text.strip().lower().replace("_", " ").split())
    if word and word not in FEE_ARRANGEMENTS:
        raise InvalidInput(
            f"`{word[:30]}` is not a fee arrangement Clerk knows: {', '.join(FEE_ARRANGEMENTS)}."
        )
    return word or None


def read_satisfaction(word: str) -> int:
    """A client's satisfaction with a closed matter: a whole number from 1 to 5."""
    if not (word.isascii() and word.isdigit()) or int(word) not in SATISFACTION:
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


def _require_commitment(actor: Actor, matter: Matter, client: Client, field: str) -> None:
    if field not in COMMITMENTS or actor.role in (Role.PARTNER, Role.ADMIN):
        return
    if actor.user_id is not None and actor.user_id == responsible_lawyer_id(matter, client):
        return
    raise PermissionDenied(
        f"Sorry, your role ({actor.role.value}) does not allow you to change {matter.code}'s "
        f"{field}: only its responsible lawyer, a partner or an admin may."
    )


def require_may_edit(session: Session, *, actor: Actor, code: str, field: str) -> Matter:
    """The matter, once ``actor`` may change its ``field`` (module docstring): checked before
    a new lawyer's mention is looked up, so a refusal touches nothing."""
    actor.require(Capability.WRITE_MATTERS)
    matter = get_matter(session, code)
    client = session.get(Client, matter.client_id)
    assert client is not None  # a foreign key
    _require_commitment(actor, matter, client, field)
    if field == "budget" and matter.status is MatterStatus.CLOSED:
        raise Conflict(f"{matter.code} is closed: a closed matter takes no budget.")
    return matter


def edit_matter(
    session: Session, *, actor: Actor, code: str, field: str, value: str | int | None
) -> MatterEdit:
    """Apply one change (``value`` as typed; a user id for ``lawyer``; None clears)."""
    matter = require_may_edit(session, actor=actor, code=code, field=field)
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
        matter.fee_arrangement = read_fee_arrangement(str(value or ""))
    elif field == "budget":
        matter.budget_cents = _budget(client, value)
    elif field == "lawyer":
        if value is None:
            raise InvalidInput("A matter always has a responsible lawyer: name who takes it over.")
        matter.lawyer_id = int(value)
    session.flush()
    after = _shown(session, matter, field, client.currency)
    return MatterEdit(matter.code, field, before, after, matter.id)


def _budget(client: Client, value: str | int | None) -> int | None:
    """The budget in cents, in the client's currency (more than zero), or None to remove it."""
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
    # Two of a client's matters closed at the same moment (two processes on PostgreSQL) would
    # each see the other still open and neither schedule it: the client's row serialises
    # them, so the second to close counts after the first committed.
    session.execute(select(Client.id).where(Client.id == matter.client_id).with_for_update())
    still_open = session.scalar(
        select(func.count(Matter.id)).where(
            Matter.client_id == matter.client_id, Matter.status == MatterStatus.OPEN
        )
    )
    if still_open:
        return None
    client = session.get(Client, matter.client_id)
    assert client is not None  # a foreign key
    lawyer_id = responsible_lawyer_id(matter, client)
    if lawyer_id is None:
        return None
    title = matter.title if len(matter.title) <= 100 else matter.title[:99] + "…"
    follow_up = Contact(
        client_id=matter.client_id,
        matter_id=matter.id,
        kind=ContactKind.MESSAGE,
        summary=(
            f"{matter.code} ({title}) closed, the client's last open matter: after-care, "
            "check in with the client about how it went and what comes next."
        ),
        occurred_at=now,
        follow_up_on=today + timedelta(days=days),
        logged_by_id=lawyer_id,
    )
    session.add(follow_up)
    session.flush()
    return follow_up
