"""Turn one trigger date into its chain of deadlines, and move that chain when the trigger moves.

This is the pure half of ``/deadline apply`` and of ``/deadline move`` on a trigger: no Slack,
no database. The handler shows the preview, and on *Confirm* stores the trigger row
(``rule`` = ``SET:TRIGGER``) and one row per ``ComputedDeadline`` (``rule`` = ``SET:RULE``,
``computed_on`` = ``due_on``), so a later move can tell a date Clerk computed from one a
person changed on purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.dates.court import Computation, CourtCalendar, count_period
from bot.errors import NotFound
from bot.rules.loader import RuleBook
from bot.rules.model import MAIL_DAYS_CITATION, Rule, RuleSet

__all__ = [
    "MAIL_DAYS_CITATION",
    "ChainPreview",
    "ComputedDeadline",
    "DependentChange",
    "DependentState",
    "compute_chain",
    "compute_deadline",
    "recompute_dependents",
    "split_rule_ref",
]


@dataclass(frozen=True)
class ComputedDeadline:
    """One deadline of a chain, with everything the preview and the stored row need."""

    rule: str  # "frcp:notice-of-appeal", stored in the deadline's `rule` column
    rule_id: str
    title: str
    citation: str
    due_on: date
    computation: Computation
    mail_days_added: bool  # 6(d) days were added (served by mail and the rule allows it)
    mail_days_apply: bool  # the rule would take 6(d) days if service were by mail
    note: str | None
    extendable: bool


@dataclass(frozen=True)
class ChainPreview:
    """What ``/deadline apply`` shows before *Confirm*: the trigger and every deadline."""

    set_name: str
    set_title: str
    trigger_id: str
    trigger_description: str
    trigger_date: date
    rule: str  # "frcp:judgment", stored on the trigger row
    by_mail: bool
    deadlines: tuple[ComputedDeadline, ...]

    @property
    def mail_ignored(self) -> bool:
        """Asked for ``by mail`` but no rule of this trigger takes mail days (e.g. judgment)."""
        return self.by_mail and not any(d.mail_days_added for d in self.deadlines)


@dataclass(frozen=True)
class DependentState:
    """A stored deadline hanging from a trigger, as the store knows it now.

    ``computed_due_on_at_creation`` is the date the rule produced when the row was stored
    (the ``computed_on`` column); ``None`` when that was never recorded. ``deadline_id`` is
    carried through untouched so the caller can match the changes back to its rows.
    """

    rule: str
    current_due_on: date
    computed_due_on_at_creation: date | None
    by_mail: bool
    deadline_id: int | None = None


@dataclass(frozen=True)
class DependentChange:
    """What moving the trigger does to one dependent.

    ``moved_by_hand`` dependents keep their date (``new == old``) and are flagged in the
    preview: someone changed that date on purpose (an extension, a stipulation) and Clerk must
    never silently undo it. ``kept_reason`` says why any dependent was kept. ``new`` is the
    date to store; ``computation`` shows how it was counted, or, for a kept dependent whose
    rule is known, what the rule would give now (for the preview only).
    """

    rule: str
    old: date
    new: date
    moved_by_hand: bool
    title: str = ""
    computation: Computation | None = None
    kept_reason: str | None = None
    deadline_id: int | None = None

    @property
    def moves(self) -> bool:
        return self.new != self.old


def compute_deadline(
    ruleset: RuleSet, rule: Rule, trigger_date: date, calendar: CourtCalendar, *, by_mail: bool
) -> ComputedDeadline:
    """Compute one rule from its trigger date under 6(a) (and 6(d) when it applies)."""
    mail = by_mail and rule.mail_days_apply
    computation = count_period(
        calendar,
        trigger_date,
        rule.days,
        rule.direction,
        court_days=rule.court_days,
        by_mail=mail,
    )
    return ComputedDeadline(
        rule=ruleset.ref(rule.id),
        rule_id=rule.id,
        title=rule.title,
        citation=rule.citation,
        due_on=computation.result,
        computation=computation,
        mail_days_added=mail,
        mail_days_apply=rule.mail_days_apply,
        note=rule.note,
        extendable=rule.extendable,
    )


def compute_chain(
    book: RuleBook,
    set_name: str,
    trigger_id: str,
    trigger_date: date,
    calendar: CourtCalendar,
    *,
    by_mail: bool,
) -> ChainPreview:
    """Every deadline that follows from ``trigger_id`` on ``trigger_date``, earliest first.

    Unknown sets and triggers raise ``NotFound`` listing what exists. ``by_mail`` adds the
    6(d) days only to rules marked ``mail_days_apply``: service by mail does not lengthen a
    period that runs from entry of judgment or before the trial date.
    """
    ruleset = book.get(set_name)
    trigger = book.trigger(ruleset.name, trigger_id)
    rules = ruleset.rules_for(trigger.id)
    computed = [
        compute_deadline(ruleset, rule, trigger_date, calendar, by_mail=by_mail) for rule in rules
    ]
    # Stable sort: same-day deadlines keep the order the rule file gives them.
    computed.sort(key=lambda d: d.due_on)
    return ChainPreview(
        set_name=ruleset.name,
        set_title=ruleset.title,
        trigger_id=trigger.id,
        trigger_description=trigger.description,
        trigger_date=trigger_date,
        rule=ruleset.ref(trigger.id),
        by_mail=by_mail,
        deadlines=tuple(computed),
    )


def split_rule_ref(ref: str) -> tuple[str, str]:
    """``"frcp:answer"`` -> ``("frcp", "answer")``; anything else is refused."""
    set_name, sep, item_id = ref.strip().lower().partition(":")
    if not sep or not set_name or not item_id:
        raise NotFound(f"{ref!r} is not a rule reference (expected SET:RULE, e.g. frcp:answer)")
    return set_name, item_id


def recompute_dependents(
    book: RuleBook,
    set_name: str,
    trigger_id: str,
    new_trigger_date: date,
    calendar: CourtCalendar,
    dependents: Sequence[DependentState],
) -> list[DependentChange]:
    """New dates for a trigger's dependents, one change per dependent, in the given order.

    A dependent whose current date differs from the date computed when it was stored was
    moved by hand: it is kept and flagged. A dependent Clerk can no longer recompute (its set
    or rule was removed from the rule files, or it belongs to another trigger) is kept too,
    with the reason, rather than blocking the move of the trigger.
    """
    try:
        ruleset: RuleSet | None = book.get(set_name)
    except NotFound:
        ruleset = None
    wanted_trigger = trigger_id.strip().lower()
    changes: list[DependentChange] = []
    for dep in dependents:
        rule, reason = _rule_for_dependent(ruleset, set_name, wanted_trigger, dep.rule)
        title = rule.title if rule else dep.rule
        computed_on = dep.computed_due_on_at_creation
        by_hand = computed_on is not None and dep.current_due_on != computed_on
        if by_hand:
            reason = "moved by hand since it was computed"
        elif computed_on is None:
            reason = "Clerk has no record of the date it computed"
        if reason or rule is None or ruleset is None:
            # Shown, never stored: what the rule would give now, so the lawyer can decide.
            would_be = (
                compute_deadline(ruleset, rule, new_trigger_date, calendar, by_mail=dep.by_mail)
                if rule is not None and ruleset is not None
                else None
            )
            changes.append(
                DependentChange(
                    rule=dep.rule,
                    old=dep.current_due_on,
                    new=dep.current_due_on,
                    moved_by_hand=by_hand,
                    title=title,
                    computation=would_be.computation if would_be else None,
                    kept_reason=reason,
                    deadline_id=dep.deadline_id,
                )
            )
            continue
        computed = compute_deadline(ruleset, rule, new_trigger_date, calendar, by_mail=dep.by_mail)
        changes.append(
            DependentChange(
                rule=dep.rule,
                old=dep.current_due_on,
                new=computed.due_on,
                moved_by_hand=False,
                title=title,
                computation=computed.computation,
                deadline_id=dep.deadline_id,
            )
        )
    return changes


def _rule_for_dependent(
    ruleset: RuleSet | None, set_name: str, trigger_id: str, ref: str
) -> tuple[Rule | None, str | None]:
    """The rule a stored dependent came from, or why it cannot be found."""
    try:
        dep_set, rule_id = split_rule_ref(ref)
    except NotFound as exc:
        return None, exc.message
    if ruleset is None:
        return None, f"rule set {set_name.strip().lower()!r} is no longer loaded"
    if dep_set != ruleset.name:
        return None, f"{ref!r} belongs to another rule set than {ruleset.name!r}"
    rule = ruleset.find_rule(rule_id)
    if rule is None:
        return None, f"rule {rule_id!r} is no longer in rule set {ruleset.name!r}"
    if rule.trigger != trigger_id:
        return None, f"{ref!r} runs from trigger {rule.trigger!r}, not {trigger_id!r}"
    return rule, None
