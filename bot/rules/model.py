"""The shape of a rule set file, validated once at start-up.

A firm's docketing rules are only as good as the file they are typed into, and a typo in a
legal deadline is worse than a crash: a rule pointing at a trigger that does not exist, or a
period of ``0`` days, would silently produce no deadline or a wrong one. So every field is
checked here, unknown keys are refused (``dayz: 30`` must not be ignored), and the
cross-references a schema cannot express (unique ids, rule -> trigger) are checked by a
model validator that reports *where* the problem is, so the loader can name the rule and field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$")

# `mail_days_apply` adds FRCP 6(d)'s 3 days (the only mail extension the date engine knows).
MAIL_DAYS_CITATION = "FRCP 6(d)"

# Stored as "SET:RULE" in a 120-character column, so both halves are kept well short.
SET_NAME_MAX = 40
ID_MAX = 60


def _slug(value: str) -> str:
    """Refuse anything a user could not type back as one word of a slash command."""
    if not _SLUG.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case letters, digits, '-' and '_' "
            "(e.g. 'notice-of-appeal')"
        )
    return value


Slug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=ID_MAX),
    AfterValidator(_slug),
]
SetName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=SET_NAME_MAX),
    AfterValidator(_slug),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Citation = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class RuleSetProblem(ValueError):
    """Cross-reference errors with their location in the file.

    Pydantic keeps the original exception of a ``ValueError`` raised in a validator, so the
    loader can read ``problems`` and report each one against the rule and field it concerns,
    exactly as it does for schema errors. ``loc`` uses pydantic's convention:
    ``("rules", 3, "trigger")``.
    """

    def __init__(self, problems: Sequence[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = list(problems)
        super().__init__(
            "; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in self.problems)
        )


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt optional field must not fall back to its default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Trigger(_Strict):
    """An event a period runs from (service of the complaint, entry of judgment, trial)."""

    id: Slug
    description: Text


class Rule(_Strict):
    """One period: ``days`` counted ``direction`` the trigger, under FRCP 6(a)-style counting."""

    id: Slug
    title: Text
    trigger: Slug
    # Strict: YAML `days: "30"` or `days: yes` is a typo, not something to coerce. Ten years
    # is far beyond any procedural period and keeps court-day counting bounded.
    days: Annotated[int, Field(strict=True, gt=0, le=3660)]
    direction: Literal["after", "before"]
    count: Literal["calendar", "court"] = "calendar"
    citation: Citation
    # FRCP 6(d): 3 days added after the period when the paper was served by mail (or left
    # with the clerk, or by consented other means). Only periods running from service qualify.
    mail_days_apply: Annotated[bool, Field(strict=True)] = False
    # FRCP 6(b)(2): the court must not extend the time under 50(b), 59(b), 59(d), 59(e)...
    extendable: Annotated[bool, Field(strict=True)] = True
    note: Text | None = None

    @property
    def court_days(self) -> bool:
        return self.count == "court"


class RuleSet(_Strict):
    """One file: a named set of triggers and the rules that hang from them."""

    name: SetName
    title: Text
    jurisdiction: Text
    triggers: Annotated[list[Trigger], Field(min_length=1)]
    rules: Annotated[list[Rule], Field(min_length=1)]

    @model_validator(mode="after")
    def _cross_references(self) -> RuleSet:
        """Check what the field types cannot: ids are unique and every rule has a trigger.

        Trigger and rule ids share one namespace because both are stored in the same
        ``rule`` column as ``SET:ID``; a rule named like a trigger would be ambiguous there.
        A trigger with no rule is refused too: applying it would store nothing useful and
        usually means a rule's ``trigger`` was misspelt.
        """
        problems: list[tuple[tuple[str | int, ...], str]] = []
        seen: dict[str, str] = {}
        for index, trigger in enumerate(self.triggers):
            if trigger.id in seen:
                problems.append(
                    (("triggers", index, "id"), f"duplicate id {trigger.id!r} (ids must be unique)")
                )
            seen.setdefault(trigger.id, "trigger")
        trigger_ids = [t.id for t in self.triggers]
        for index, rule in enumerate(self.rules):
            if rule.id in seen:
                problems.append(
                    (
                        ("rules", index, "id"),
                        f"duplicate id {rule.id!r}: a {seen[rule.id]} already uses it "
                        "(trigger and rule ids must all be different)",
                    )
                )
            seen.setdefault(rule.id, "rule")
            if rule.trigger not in trigger_ids:
                problems.append(
                    (
                        ("rules", index, "trigger"),
                        f"unknown trigger {rule.trigger!r}; this set's triggers are "
                        + ", ".join(trigger_ids),
                    )
                )
            if rule.mail_days_apply and rule.direction != "after":
                problems.append(
                    (
                        ("rules", index, "mail_days_apply"),
                        "mail days (FRCP 6(d)) only extend periods running after service; "
                        "this rule counts before its trigger",
                    )
                )
        used = {r.trigger for r in self.rules}
        for index, trigger in enumerate(self.triggers):
            if trigger.id not in used:
                problems.append(
                    (
                        ("triggers", index, "id"),
                        f"trigger {trigger.id!r} has no rules (is a rule's 'trigger' misspelt?)",
                    )
                )
        if problems:
            raise RuleSetProblem(problems)
        return self

    def find_trigger(self, trigger_id: str) -> Trigger | None:
        """Case-insensitive lookup: people type ``Judgment`` as often as ``judgment``."""
        wanted = trigger_id.strip().lower()
        return next((t for t in self.triggers if t.id == wanted), None)

    def find_rule(self, rule_id: str) -> Rule | None:
        wanted = rule_id.strip().lower()
        return next((r for r in self.rules if r.id == wanted), None)

    def rules_for(self, trigger_id: str) -> list[Rule]:
        """The rules that run from one trigger, in file order."""
        wanted = trigger_id.strip().lower()
        return [r for r in self.rules if r.trigger == wanted]

    def ref(self, item_id: str) -> str:
        """The value stored in a deadline's ``rule`` column: ``SET:ID``."""
        return f"{self.name}:{item_id}"
