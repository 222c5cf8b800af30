"""Collections escalation: recording every change of a client's stage, and *Next stage*.

The ladder is ``0 current -> 1 reminder -> 2 formal notice -> 3 partner
review -> 4 legal action / collections``, derived from the days overdue of the oldest unpaid,
undisputed amount (``bot.billing.receivables`` defines it; a payment plan the client keeps up
with replaces the invoices it reschedules). Every change is an ``EscalationEvent`` with who
(a Slack id, or ``system`` for the morning sync), when and why.

**The rule for a stage set by hand** (*Next stage*, billing/partner/admin, with a reason):

1. *Next stage* raises the account one stage above where it stands and stores that stage as
   the account's *floor*.
2. No sync lowers an account below its floor: the derived stage only moves it when it climbs
   past the floor. So a partner's *Next stage* in the afternoon is not undone by the next
   morning's sync, nor by a partial payment.
3. While nothing undisputed is overdue (everything overdue is disputed, or rescheduled by a
   payment plan that is up to date) the floor is paused and the account shows *current*, as a
   dispute must pause escalation; it applies again when the dispute is resolved.
4. The floor is cleared when the account is settled: nothing past due remains (paid, voided,
   or covered by credit). A later late invoice then starts again from the reminder stage.
   Lowering a stage by hand is done by resolving the cause (payment, dispute, plan), so the
   history always says why an account came down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot.billing.aged_accounts import AccountAging, AgedAccounts, outstanding_items
from bot.billing.plan_progress import plan_progress
from bot.billing.receivables import accounts, aged_accounts, thresholds_in
from bot.dates.format import format_day
from bot.errors import InvalidInput, NotFound
from bot.firm.users import money_readers
from bot.money import EscalationThresholds, Stage, next_stage
from bot.permissions import Actor, Capability
from storage.base import chunks
from storage.models import Client, EscalationEvent
from storage.models.billing import CollectionState
from storage.stamps import session_now

SYSTEM = "system"
MAX_REASON = 500

__all__ = [
    "StageChange",
    "advance_stage",
    "history",
    "stage_of",
    "sync_escalation_stages",
    "thresholds_in",
]


@dataclass(frozen=True)
class StageChange:
    """A recorded change of stage, with what the scheduler needs to tell the lawyer.

    ``lawyer_slack_id`` is the responsible lawyer only if they may see the client's balance
    (``bot.firm.users.money_readers``): the DM names the stage and why, which is money.
    """

    event_id: int
    client_id: int
    client_code: str
    client_name: str
    lawyer_id: int | None
    lawyer_slack_id: str | None
    from_stage: Stage
    to_stage: Stage
    reason: str
    manual: bool
    actor: str
    at: datetime

    @property
    def raised(self) -> bool:
        return self.to_stage > self.from_stage


def _recorded(
    session: Session, client_ids: Sequence[int] | None
) -> dict[int, tuple[int, int | None]]:
    """Recorded (stage, manual floor) by client, locked until the caller's unit of work ends
    (a command and the morning sync must not record the same change twice): all of them (one
    small row per client ever escalated), or the given clients'.

    Plain rows, not ``CollectionState`` objects: on an ordinary morning the sync compares
    thousands of states and writes none, so only the few it writes are loaded (``_writable``).
    """
    query = select(
        CollectionState.client_id, CollectionState.stage, CollectionState.manual_floor
    ).with_for_update()
    if client_ids is not None:
        query = query.where(CollectionState.client_id.in_(client_ids))
    return {client_id: (stage, floor) for client_id, stage, floor in session.execute(query)}


def _writable(session: Session, client_ids: Sequence[int]) -> dict[int, CollectionState]:
    """The ``CollectionState`` objects of the clients whose state the sync changes, so each
    change goes through the ORM and is audited like any other write."""
    return {
        s.client_id: s
        for part in chunks(client_ids)
        for s in session.scalars(select(CollectionState).where(CollectionState.client_id.in_(part)))
    }


def _oldest_numbers(session: Session, as_of: date, client_ids: list[int]) -> dict[int, str]:
    """The number of each client's oldest escalating invoice (for the reason text)."""
    found: dict[int, str] = {}
    for part in chunks(client_ids):
        items = outstanding_items(list(part)).subquery("items")
        escalating = and_(
            items.c.due_on < as_of, items.c.disputed.is_(False), items.c.rescheduled == 0
        )
        oldest = (
            select(items.c.client_id, func.min(items.c.due_on).label("due"))
            .where(escalating)
            .group_by(items.c.client_id)
            .subquery("oldest")
        )
        rows = session.execute(
            select(items.c.client_id, func.min(items.c.number))
            .join(
                oldest,
                and_(oldest.c.client_id == items.c.client_id, oldest.c.due == items.c.due_on),
            )
            .where(escalating)
            .group_by(items.c.client_id)
        )
        found.update({client_id: number for client_id, number in rows})
    return found


def _why(
    client_accounts: list[AccountAging],
    number: str | None,
    plan_late: tuple[int, date] | None,
) -> str:
    """Why the account stands where it does now, in a lawyer's words. An account with
    nothing overdue at *current* says nothing of why (the morning's aggregate leaves such
    accounts out; a command's includes them): it is never the one explained."""
    client_accounts = [
        a for a in client_accounts if a.overdue_cents or a.stage is not Stage.CURRENT
    ]
    if not client_accounts or all(a.overdue_cents == 0 for a in client_accounts):
        return "nothing is overdue any more"
    worst = max(client_accounts, key=lambda a: (a.stage, a.oldest_days_overdue or 0))
    if worst.derived_stage is Stage.CURRENT:
        if worst.on_plan and any(a.disputed_cents < a.overdue_cents for a in client_accounts):
            return "on a payment plan and up to date, so escalation is paused"
        return "everything overdue is disputed, so escalation is paused"
    parts: list[str] = []
    days = worst.oldest_days_overdue or 0
    if worst.age_from_plan and plan_late is not None:
        parts.append(
            f"installment {plan_late[0]} of the payment plan (due {format_day(plan_late[1])}) "
            f"is {days} day{'s' if days != 1 else ''} late"
        )
    elif number is not None:
        parts.append(
            f"oldest unpaid invoice {number} is {days} day{'s' if days != 1 else ''} overdue"
        )
    else:
        parts.append(f"the oldest unpaid amount is {days} day{'s' if days != 1 else ''} overdue")
    if worst.manual_floor is not None and worst.stage > worst.derived_stage:
        parts.append(f"held at stage {int(worst.stage)} set by hand")
    return "; ".join(parts)


def sync_escalation_stages(
    session: Session,
    *,
    as_of: date,
    thresholds: EscalationThresholds,
    client_ids: Sequence[int] | None = None,
    actor: str = SYSTEM,
    cause: str | None = None,
    at: datetime | None = None,
    found: AgedAccounts | None = None,
) -> list[StageChange]:
    """Record an event for every client whose stage differs from the one last recorded.

    Called by the 08:30 job for every client (``client_ids=None``) and by money commands for
    the one client they touched (``actor`` is then who typed it and ``cause`` what they did,
    e.g. "payment of $5,000.00 recorded"). Clears manual floors of settled accounts. Returns
    the changes, raised and lowered, so the caller can tell each responsible lawyer.

    ``found``: the accounts of ``client_ids`` as ``aged_accounts`` reads them for ``as_of``
    and ``thresholds``, when the caller already has them (the 08:30 job posts the overdue
    ones, so the firm's aging is aggregated once a morning rather than twice). Stages are
    compared on its rows; ``AccountAging`` objects are built only for clients that changed.
    """
    at = at or session_now(session)
    if found is None:
        found = aged_accounts(session, as_of=as_of, client_ids=client_ids, thresholds=thresholds)
    standing = found.client_stages()
    recorded_states = _recorded(session, client_ids)
    pending: list[tuple[int, Stage, Stage]] = []
    settled_floors: list[int] = []  # manual floors to clear: their accounts are settled
    for client_id, (stage, floor) in recorded_states.items():
        target, settled = standing.get(client_id, (Stage.CURRENT, True))
        if floor is not None and settled:
            settled_floors.append(client_id)
        if target != stage:
            pending.append((client_id, Stage(stage), target))
    for client_id, (target, _settled) in standing.items():
        if target is not Stage.CURRENT and client_id not in recorded_states:
            pending.append((client_id, Stage.CURRENT, target))  # never recorded: current
    pending.sort(key=itemgetter(0))  # by client, as the events were always recorded
    settled_floors.sort()
    states = _writable(session, sorted({*settled_floors, *(c for c, _, _ in pending)}))
    for client_id in settled_floors:
        states[client_id].manual_floor = None
    if not pending:
        session.flush()
        return []
    changed = [client_id for client_id, _, _ in pending]
    by_client = found.of_clients(changed)
    numbers = _oldest_numbers(session, as_of, changed)
    plans = plan_progress(session, as_of=as_of, client_ids=changed)
    clients = {
        c.id: c
        for part in chunks(changed)
        for c in session.scalars(select(Client).where(Client.id.in_(part)))
    }
    lawyers = money_readers(session, [c.lawyer_id for c in clients.values() if c.lawyer_id])
    changes: list[tuple[EscalationEvent, int, Stage, Stage]] = []
    for client_id, before, after in pending:
        plan = plans.get(client_id)
        plan_late = (
            (plan.late_numbers[0], plan.oldest_late_due)
            if plan is not None and plan.oldest_late_due is not None
            else None
        )
        why = _why(by_client.get(client_id, []), numbers.get(client_id), plan_late)
        reason = f"{cause}; {why}" if cause else why
        state = states.get(client_id)
        if state is None:
            state = CollectionState(client_id=client_id, stage=int(after))
            session.add(state)
            states[client_id] = state
        state.stage = int(after)
        event = EscalationEvent(
            client_id=client_id,
            from_stage=int(before),
            to_stage=int(after),
            manual=False,
            reason=reason[:2000],
            actor=actor,
            at=at,
        )
        session.add(event)
        changes.append((event, client_id, before, after))
    session.flush()
    return [
        _change(event, clients[client_id], lawyers, before, after)
        for event, client_id, before, after in changes
    ]


def _change(
    event: EscalationEvent,
    client: Client,
    lawyers: dict[int, str],
    before: Stage,
    after: Stage,
) -> StageChange:
    return StageChange(
        event_id=event.id,
        client_id=client.id,
        client_code=client.code,
        client_name=client.name,
        lawyer_id=client.lawyer_id,
        lawyer_slack_id=lawyers.get(client.lawyer_id) if client.lawyer_id else None,
        from_stage=before,
        to_stage=after,
        reason=event.reason,
        manual=event.manual,
        actor=event.actor,
        at=event.at,
    )


def stage_of(
    session: Session, client_id: int, *, as_of: date, thresholds: EscalationThresholds
) -> Stage:
    """The stage to act on now (the highest over the client's currencies)."""
    found = accounts(session, as_of=as_of, client_ids=[client_id], thresholds=thresholds)
    return max((a.stage for a in found), default=Stage.CURRENT)


def _client(session: Session, client: Client | int | str) -> Client:
    if isinstance(client, Client):
        return client
    if isinstance(client, int):
        found = session.get(Client, client)
        if found is None:
            raise NotFound("That client no longer exists.")
        return found
    from bot.clients.lookup import get_client

    return get_client(session, client)


def clean_reason(reason: str, what: str = "a reason") -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise InvalidInput(f"Give {what}, so the history says why.")
    if len(text) > MAX_REASON:
        raise InvalidInput(f"The reason is {len(text):,} characters; the most is {MAX_REASON}.")
    return text


def advance_stage(
    session: Session,
    *,
    actor: Actor,
    client: Client | int | str,
    reason: str,
    as_of: date,
    thresholds: EscalationThresholds | None = None,
    at: datetime | None = None,
) -> StageChange:
    """*Next stage*: raise the account one stage and hold it there (the floor, see above).

    ``as_of`` should be the firm's today; billing, partners and admins only.
    """
    actor.require(Capability.MANAGE_BILLING)
    why = clean_reason(reason)
    target = _client(session, client)
    session.execute(select(Client.id).where(Client.id == target.id).with_for_update())
    thresholds = thresholds or thresholds_in(session)
    at = at or session_now(session)
    # Record first what the ages alone changed since the last sync, so the history has no gap.
    sync_escalation_stages(
        session, as_of=as_of, thresholds=thresholds, client_ids=[target.id], at=at
    )
    current = stage_of(session, target.id, as_of=as_of, thresholds=thresholds)
    raised = next_stage(current)  # refuses at current (nothing to escalate) and at the top
    state = session.scalars(
        select(CollectionState).where(CollectionState.client_id == target.id)
    ).one_or_none()
    if state is None:
        state = CollectionState(client_id=target.id, stage=int(current))
        session.add(state)
    state.stage = int(raised)
    state.manual_floor = int(raised)
    event = EscalationEvent(
        client_id=target.id,
        from_stage=int(current),
        to_stage=int(raised),
        manual=True,
        reason=why,
        actor=actor.slack_id,
        at=at,
    )
    session.add(event)
    session.flush()
    lawyers = money_readers(session, [target.lawyer_id] if target.lawyer_id else [])
    return _change(event, target, lawyers, current, raised)


def history(session: Session, client_id: int, *, limit: int = 8) -> list[EscalationEvent]:
    """The client's latest stage changes, newest first."""
    return list(
        session.scalars(
            select(EscalationEvent)
            .where(EscalationEvent.client_id == client_id)
            .order_by(EscalationEvent.at.desc(), EscalationEvent.id.desc())
            .limit(limit)
        )
    )


def any_stage_recorded(session: Session) -> bool:
    """Whether any account has a collections stage recorded: False on a new install and
    before the first run on an imported firm's invoices (the morning job's first run)."""
    return session.scalar(select(CollectionState.client_id).limit(1)) is not None
