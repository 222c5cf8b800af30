"""Collections escalation: which stage an account is at, from how late its oldest debt is.

The ladder: ``0 current -> 1 reminder (1+ days) -> 2 formal notice (30+) -> 3 partner
review (60+) -> 4 legal action / collections (90+)``, counted from the days overdue of the
oldest unpaid, undisputed amount; the thresholds are firm settings.

Note the stage thresholds are "N or more days" while the aging buckets close at N: on day 30
an invoice is still in the 1-30 bucket but the account has reached formal notice. Both follow
the spec; they answer different questions (how old is the money / what do we do next).

Disputed amounts are excluded before this module sees a number (``AgingReport``'s
``oldest_days_overdue`` ignores them), which is how a dispute pauses escalation without a
separate flag: when the dispute is resolved the invoice's age counts again, from its due
date, because the client's delay did not stop while it was disputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from itertools import pairwise

from bot.errors import Conflict, InvalidInput


class Stage(IntEnum):
    """Escalation stages, ordered so ``max`` and comparisons mean "more escalated"."""

    CURRENT = 0
    REMINDER = 1
    FORMAL_NOTICE = 2
    PARTNER_REVIEW = 3
    COLLECTIONS = 4

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Stage.CURRENT: "current",
    Stage.REMINDER: "reminder",
    Stage.FORMAL_NOTICE: "formal notice",
    Stage.PARTNER_REVIEW: "partner review",
    Stage.COLLECTIONS: "legal action / collections",
}


@dataclass(frozen=True)
class EscalationThresholds:
    """Days overdue at which each stage starts. Validated because admins set them in Slack."""

    reminder: int = 1
    formal_notice: int = 30
    partner_review: int = 60
    collections: int = 90

    def __post_init__(self) -> None:
        values = (self.reminder, self.formal_notice, self.partner_review, self.collections)
        if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
            raise InvalidInput("Escalation thresholds must be whole numbers of days.")
        if self.reminder < 1 or any(a >= b for a, b in pairwise(values)):
            raise InvalidInput(
                "Escalation thresholds must start at 1 day or more and increase: "
                f"reminder {self.reminder}, formal notice {self.formal_notice}, "
                f"partner review {self.partner_review}, collections {self.collections} "
                "were given."
            )

    def start_of(self, stage: Stage) -> int:
        """Days overdue at which ``stage`` begins (0 for current)."""
        return {
            Stage.CURRENT: 0,
            Stage.REMINDER: self.reminder,
            Stage.FORMAL_NOTICE: self.formal_notice,
            Stage.PARTNER_REVIEW: self.partner_review,
            Stage.COLLECTIONS: self.collections,
        }[stage]


DEFAULT_THRESHOLDS = EscalationThresholds()


def stage_for(
    days_overdue_of_oldest_undisputed: int | None,
    thresholds: EscalationThresholds = DEFAULT_THRESHOLDS,
) -> Stage:
    """The stage the facts put an account at. ``None`` (nothing undisputed overdue) is current."""
    days = days_overdue_of_oldest_undisputed
    if days is None:
        return Stage.CURRENT
    for stage in reversed(Stage):
        if stage is not Stage.CURRENT and days >= thresholds.start_of(stage):
            return stage
    return Stage.CURRENT


def effective_stage(derived: Stage, manual_floor: Stage | None) -> Stage:
    """The stage to act on, given the derived stage and a manual *Next stage* bump.

    Why a floor rather than an override: a partner who presses *Next stage* wants the account
    treated at least that seriously, but must never hold it *below* what its age now implies,
    so the derived stage keeps climbing past the bump by itself (``max``).

    Why the floor lapses when the derived stage is current: a floor exists to escalate an
    overdue debt. When nothing undisputed is overdue (everything paid, or all of it in
    dispute) there is nothing to escalate, and a dispute must pause a bumped account too. If
    the dispute is resolved while the floor is still stored, the floor applies again. Callers
    clear the stored floor once the account is settled, so a later, unrelated late invoice
    starts again from the reminder stage.
    """
    if derived is Stage.CURRENT or manual_floor is None:
        return derived
    return max(derived, manual_floor)


def next_stage(current: Stage) -> Stage:
    """The floor that *Next stage* stores; refused when it cannot mean anything."""
    if current is Stage.CURRENT:
        raise Conflict(
            "This account has nothing undisputed overdue, so there is no stage to raise."
        )
    if current is Stage.COLLECTIONS:
        raise Conflict(f"This account is already at the last stage ({Stage.COLLECTIONS.label}).")
    return Stage(current + 1)
