"""Plain-text descriptions of rule sets, chains and trigger moves.

Plain text on purpose: the same lines serve as the ``text`` fallback of a Slack message, in
Block Kit sections (the Slack layer adds emphasis), in ``clerk demo`` and in tests. Every
computed date is shown with its citation and the computation that produced it, because a
lawyer must be able to check a docketed date without trusting the software.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.dates.format import format_day
from bot.rules.apply import ChainPreview, ComputedDeadline, DependentChange
from bot.rules.loader import RuleBook
from bot.rules.model import MAIL_DAYS_CITATION, Rule, RuleSet

__all__ = [
    "MAIL_DAYS_CITATION",
    "DEFAULTS_CAVEAT",
    "describe_changes",
    "describe_period",
    "describe_rule",
    "describe_set",
    "describe_sets",
    "deadline_remarks",
    "preview_line",
    "preview_text",
]

SEP = " — "
DEFAULTS_CAVEAT = (
    "These are default periods, absent a stipulation or court order: check them against the "
    "orders in the case."
)


def describe_period(rule: Rule) -> str:
    """``21 days after``, ``3 court days before``."""
    unit = "day" if rule.days == 1 else "days"
    kind = "court " if rule.court_days else ""
    return f"{rule.days} {kind}{unit} {rule.direction}"


def describe_sets(book: RuleBook) -> str:
    """Answer to ``/deadline rules``: every set with its triggers, so the user can apply one."""
    blocks: list[str] = []
    for ruleset in book.sets():
        lines = [SEP.join([ruleset.name, ruleset.title, ruleset.jurisdiction])]
        for trigger in ruleset.triggers:
            count = len(ruleset.rules_for(trigger.id))
            plural = "s" if count != 1 else ""
            lines.append(f"  {trigger.id}: {trigger.description} ({count} deadline{plural})")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def describe_rule(rule: Rule) -> str:
    """One rule for ``/deadline rules SET``: id, title, period, citation and its limits."""
    parts = [f"{rule.id}: {rule.title}", describe_period(rule), rule.citation]
    if rule.mail_days_apply:
        parts.append(f"+3 days if served by mail ({MAIL_DAYS_CITATION})")
    if not rule.extendable:
        parts.append("cannot be extended")
    line = SEP.join(parts)
    return f"{line}\n    {rule.note}" if rule.note else line


def describe_set(ruleset: RuleSet) -> str:
    """Answer to ``/deadline rules SET``: the rules grouped by trigger, with citations."""
    lines = [f"{ruleset.name}{SEP}{ruleset.title}", ruleset.jurisdiction, ""]
    for trigger in ruleset.triggers:
        lines.append(f"{trigger.id}: {trigger.description}")
        lines.extend(
            "  " + describe_rule(rule).replace("\n", "\n  ")
            for rule in ruleset.rules_for(trigger.id)
        )
    lines += ["", DEFAULTS_CAVEAT]
    return "\n".join(lines)


def preview_line(deadline: ComputedDeadline) -> str:
    """``Notice of appeal — Mon 4 Jan 2027 — FRAP 4(a)(1)(A) — 30 days after ... -> ...``."""
    return SEP.join(
        [
            deadline.title,
            format_day(deadline.due_on),
            deadline.citation,
            deadline.computation.explanation,
        ]
    )


def deadline_remarks(deadline: ComputedDeadline, *, by_mail: bool) -> list[str]:
    """What a lawyer must know beside the date: mail days, whether it can be extended, notes."""
    remarks: list[str] = []
    if deadline.mail_days_added:
        remarks.append(f"Served by mail: 3 days added ({MAIL_DAYS_CITATION}).")
    elif by_mail:
        remarks.append(f"Served by mail: no days added; {MAIL_DAYS_CITATION} does not apply here.")
    elif deadline.mail_days_apply:
        remarks.append(f"If served by mail, 3 more days apply ({MAIL_DAYS_CITATION}).")
    if not deadline.extendable:
        remarks.append("Cannot be extended.")
    if deadline.note:
        remarks.append(deadline.note if deadline.note.endswith(".") else f"{deadline.note}.")
    return remarks


def preview_text(chain: ChainPreview) -> str:
    """The whole ``/deadline apply`` preview: trigger, one line per deadline, remarks."""
    count = len(chain.deadlines)
    lines = [
        f"{chain.set_title} ({chain.set_name}): {chain.trigger_description} on "
        f"{format_day(chain.trigger_date)}{' (served by mail)' if chain.by_mail else ''}"
        f" -> {count} deadline{'s' if count != 1 else ''}"
    ]
    for deadline in chain.deadlines:
        lines.append(preview_line(deadline))
        lines.extend(f"    {r}" for r in deadline_remarks(deadline, by_mail=chain.by_mail))
    if chain.mail_ignored:
        lines.append(
            f"Service by mail adds no days to any of these: {MAIL_DAYS_CITATION} only extends "
            "periods that run from service of a paper."
        )
    lines.append(DEFAULTS_CAVEAT)
    return "\n".join(lines)


def change_line(change: DependentChange) -> str:
    """One dependent in the preview of a trigger move."""
    title = change.title or change.rule
    if change.kept_reason:
        flag = "MOVED BY HAND, not changed" if change.moved_by_hand else "not changed"
        text = f"{title}: stays {format_day(change.old)} ({flag}: {change.kept_reason}"
        if change.computation and change.computation.result != change.old:
            text += f"; the rule now gives {format_day(change.computation.result)}"
        return text + ")"
    if not change.moves:
        return f"{title}: unchanged, {format_day(change.old)}"
    how = f" ({change.computation.explanation})" if change.computation else ""
    return f"{title}: {format_day(change.old)} -> {format_day(change.new)}{how}"


def describe_changes(changes: Iterable[DependentChange]) -> str:
    """The ``/deadline move`` preview for a trigger's dependents, one line each."""
    return "\n".join(change_line(c) for c in changes)
