"""Rule-set chains in the store: preview, then store on *Confirm* (apply, move, cancel).

``bot.rules`` computes; this module decides what is stored and when. Nothing reaches the
``deadlines`` table before the user confirms: a preview is a ``pending_confirmations`` row
holding exactly the dates the user saw, and *Confirm* stores those dates (not a fresh
computation that might differ from what was read) in one audited unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.dates.court import CourtCalendar
from bot.dates.format import format_day
from bot.deadlines import pending
from bot.deadlines.service import (
    clean_reason,
    dependents_of,
    get_deadline,
    open_matter,
    responsible_for,
)
from bot.errors import Conflict, InvalidInput
from bot.permissions import Actor, Capability
from bot.rules.apply import (
    ChainPreview,
    DependentChange,
    DependentState,
    compute_chain,
    recompute_dependents,
    split_rule_ref,
)
from bot.rules.format import deadline_remarks
from bot.rules.loader import RuleBook
from storage.models import Deadline, DeadlineStatus, Matter

APPLY = "deadline.apply"
MOVE_TRIGGER = "deadline.move-trigger"
CANCEL_DEPENDENTS = "deadline.cancel-dependents"


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# --- apply -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyPlan:
    chain: ChainPreview
    matter: Matter
    token: str


def stored_explanation(computation: str, remarks: list[str]) -> str:
    """The computation plus what a lawyer must know beside it (mail days, not extendable)."""
    return " ".join([computation, *remarks]) if remarks else computation


def plan_apply(
    session: Session,
    *,
    actor: Actor,
    book: RuleBook,
    calendar: CourtCalendar,
    matter_code: str,
    set_name: str,
    trigger_id: str,
    trigger_on: date,
    trigger_at: datetime | None,
    by_mail: bool,
    source_text: str,
    reading: str,
    now: datetime,
) -> ApplyPlan:
    """Compute the chain and keep it as a pending preview; stores no deadline."""
    actor.require(Capability.MANAGE_DEADLINES)
    matter = open_matter(session, matter_code)
    chain = compute_chain(book, set_name, trigger_id, trigger_on, calendar, by_mail=by_mail)
    payload: dict[str, Any] = {
        "matter_id": matter.id,
        "matter_code": matter.code,
        "trigger_rule": chain.rule,
        "trigger_title": chain.trigger_description,
        "trigger_on": chain.trigger_date.isoformat(),
        "trigger_at": _iso(trigger_at),
        "by_mail": by_mail,
        "source_text": source_text,
        "explanation": reading,
        "deadlines": [
            {
                "rule": d.rule,
                "title": d.title,
                "due_on": d.due_on.isoformat(),
                "citation": d.citation,
                "explanation": stored_explanation(
                    d.computation.explanation, deadline_remarks(d, by_mail=by_mail)
                ),
            }
            for d in chain.deadlines
        ],
    }
    token = pending.create(session, kind=APPLY, actor=actor, payload=payload, now=now)
    return ApplyPlan(chain, matter, token)


@dataclass(frozen=True)
class Outcome:
    """What a *Confirm* click did; ``fresh`` is False when an earlier click already did it."""

    fresh: bool
    result: dict[str, Any]
    payload: dict[str, Any]

    @property
    def cancelled(self) -> bool:
        return bool(self.result.get("cancelled"))


def _claim(session: Session, kind: str, actor: Actor, token: str, now: datetime) -> Any:
    actor.require(Capability.MANAGE_DEADLINES)
    return pending.claim(session, token=token, kind=kind, actor=actor, now=now)


def _already(claim: pending.Claim) -> Outcome:
    return Outcome(False, claim.result or {}, claim.payload)


def confirm_apply(session: Session, *, actor: Actor, token: str, now: datetime) -> Outcome:
    """Store the previewed trigger and its deadlines, linked, exactly once."""
    claim = _claim(session, APPLY, actor, token, now)
    if not claim.fresh:
        return _already(claim)
    p = claim.payload
    matter = open_matter(session, p["matter_code"])
    responsible = responsible_for(session, matter, actor)
    trigger = Deadline(
        matter_id=matter.id,
        title=p["trigger_title"],
        due_on=_day(p["trigger_on"]),
        due_at=_at(p["trigger_at"]),
        rule=p["trigger_rule"],
        is_trigger=True,
        by_mail=p["by_mail"],
        responsible_id=responsible,
        source_text=p["source_text"],
        explanation=p["explanation"],
        created_by_id=actor.user_id,
    )
    session.add(trigger)
    session.flush()
    ids: list[int] = []
    for item in p["deadlines"]:
        due_on = _day(item["due_on"])
        row = Deadline(
            matter_id=matter.id,
            title=item["title"],
            due_on=due_on,
            rule=item["rule"],
            trigger_id=trigger.id,
            computed_on=due_on,
            by_mail=p["by_mail"],
            citation=item["citation"],
            responsible_id=responsible,
            source_text=p["source_text"],
            explanation=item["explanation"],
            created_by_id=actor.user_id,
        )
        session.add(row)
        session.flush()
        ids.append(row.id)
    result = {"trigger_id": trigger.id, "deadline_ids": ids, "matter_code": matter.code}
    pending.record_result(session, token, result)
    return Outcome(True, result, p)


def cancel_preview(
    session: Session, *, actor: Actor, kind: str, token: str, now: datetime
) -> Outcome:
    """*Cancel* on a preview: use the token up so a later *Confirm* stores nothing."""
    claim = pending.claim(session, token=token, kind=kind, actor=actor, now=now)
    if not claim.fresh:
        return _already(claim)
    result = {"cancelled": True}
    pending.record_result(session, token, result)
    return Outcome(True, result, claim.payload)


# --- moving a trigger --------------------------------------------------------------------


@dataclass(frozen=True)
class MovePlan:
    trigger: Deadline
    matter: Matter
    changes: list[DependentChange]
    payload: dict[str, Any]
    token: str

    @property
    def moving(self) -> list[DependentChange]:
        return [c for c in self.changes if c.moves and not c.kept_reason]

    @property
    def by_hand(self) -> list[DependentChange]:
        return [c for c in self.changes if c.moved_by_hand]

    @property
    def kept_other(self) -> list[DependentChange]:
        return [c for c in self.changes if c.kept_reason and not c.moved_by_hand]

    @property
    def unchanged(self) -> list[DependentChange]:
        return [c for c in self.changes if not c.moves and not c.kept_reason]


def plan_trigger_move(
    session: Session,
    *,
    actor: Actor,
    book: RuleBook,
    calendar: CourtCalendar,
    trigger: Deadline,
    new_on: date,
    new_at: datetime | None,
    reading: str,
    source_text: str,
    now: datetime,
) -> MovePlan:
    """Recompute the trigger's open dependents for a new date; a pending preview, no write."""
    actor.require(Capability.MANAGE_DEADLINES)
    if trigger.status is not DeadlineStatus.OPEN:
        raise Conflict(f"Trigger #{trigger.id} is {trigger.status.value}; it can't be moved.")
    if trigger.rule is None:
        raise InvalidInput(f"#{trigger.id} has no rule set recorded, so Clerk can't recompute it.")
    set_name, trigger_rule = split_rule_ref(trigger.rule)
    dependents = dependents_of(session, trigger.id)
    states = [
        DependentState(
            rule=d.rule or "",
            current_due_on=d.due_on,
            computed_due_on_at_creation=d.computed_on,
            by_mail=d.by_mail,
            deadline_id=d.id,
        )
        for d in dependents
    ]
    changes = recompute_dependents(book, set_name, trigger_rule, new_on, calendar, states)
    titles = {d.id: d.title for d in dependents}
    computed = {d.id: _iso(d.computed_on) for d in dependents}
    payload = {
        "trigger_id": trigger.id,
        "old_on": trigger.due_on.isoformat(),
        "new_on": new_on.isoformat(),
        "new_at": _iso(new_at),
        "explanation": reading,
        "source_text": source_text,
        "changes": [
            {
                "id": c.deadline_id,
                "title": titles.get(c.deadline_id or 0, c.title),
                "old": c.old.isoformat(),
                "new": c.new.isoformat(),
                "moves": c.moves and not c.kept_reason,
                "by_hand": c.moved_by_hand,
                "computed": computed.get(c.deadline_id or 0),
                "explanation": c.computation.explanation if c.computation else None,
            }
            for c in changes
        ],
    }
    token = pending.create(session, kind=MOVE_TRIGGER, actor=actor, payload=payload, now=now)
    matter = session.get(Matter, trigger.matter_id)
    assert matter is not None
    return MovePlan(trigger, matter, changes, payload, token)


def confirm_trigger_move(session: Session, *, actor: Actor, token: str, now: datetime) -> Outcome:
    """Move the trigger and the dependents the preview said would move; keep the rest."""
    claim = _claim(session, MOVE_TRIGGER, actor, token, now)
    if not claim.fresh:
        return _already(claim)
    p = claim.payload
    trigger = get_deadline(session, p["trigger_id"])
    if trigger.status is not DeadlineStatus.OPEN or trigger.due_on.isoformat() != p["old_on"]:
        raise Conflict(
            f"Trigger #{trigger.id} changed after this preview was made: run "
            f"`/deadline move {trigger.id} DATE` again. Nothing was moved."
        )
    moved: list[int] = []
    skipped: list[int] = []
    for change in p["changes"]:
        if not change["moves"]:
            continue
        dep = get_deadline(session, change["id"])
        old = change["old"]
        still = (
            dep.status is DeadlineStatus.OPEN
            and dep.due_on.isoformat() == old
            and dep.computed_on is not None
            and dep.computed_on.isoformat() == old
        )
        if not still:
            skipped.append(dep.id)  # changed since the preview: never moved silently
            continue
        dep.due_on = _day(change["new"])
        dep.computed_on = dep.due_on
        if change["explanation"]:
            dep.explanation = f"{change['explanation']} (recomputed: trigger #{trigger.id} moved)"
        moved.append(dep.id)
    trigger.due_on = _day(p["new_on"])
    trigger.due_at = _at(p["new_at"])
    trigger.explanation = f"{p['explanation']} (moved from {format_day(_day(p['old_on']))})"
    trigger.source_text = p["source_text"]
    session.flush()
    kept = [c["id"] for c in p["changes"] if c["by_hand"]]
    result = {"trigger_id": trigger.id, "moved": moved, "kept": kept, "skipped": skipped}
    pending.record_result(session, token, result)
    return Outcome(True, result, p)


# --- cancelling a trigger ----------------------------------------------------------------


def offer_cancel_dependents(
    session: Session, *, actor: Actor, trigger: Deadline, reason: str, now: datetime
) -> tuple[list[Deadline], str | None]:
    """The trigger's open dependents and a token to cancel them too (None if there are none)."""
    dependents = dependents_of(session, trigger.id)
    if not dependents:
        return [], None
    payload = {
        "trigger_id": trigger.id,
        "reason": clean_reason(reason),
        "ids": [d.id for d in dependents],
    }
    token = pending.create(session, kind=CANCEL_DEPENDENTS, actor=actor, payload=payload, now=now)
    return dependents, token


def confirm_cancel_dependents(
    session: Session, *, actor: Actor, token: str, now: datetime
) -> Outcome:
    claim = _claim(session, CANCEL_DEPENDENTS, actor, token, now)
    if not claim.fresh:
        return _already(claim)
    p = claim.payload
    cancelled: list[int] = []
    for deadline_id in p["ids"]:
        dep = get_deadline(session, deadline_id)
        if dep.status is not DeadlineStatus.OPEN:
            continue  # done or cancelled meanwhile: left as it is
        dep.status = DeadlineStatus.CANCELLED
        dep.cancel_reason = f"trigger #{p['trigger_id']} cancelled: {p['reason']}"
        cancelled.append(dep.id)
    session.flush()
    result = {"trigger_id": p["trigger_id"], "cancelled_ids": cancelled}
    pending.record_result(session, token, result)
    return Outcome(True, result, p)
