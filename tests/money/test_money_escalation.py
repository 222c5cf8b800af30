"""Escalation stages from the age of the oldest undisputed debt, manual bumps and pauses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.errors import Conflict, InvalidInput
from bot.money.aging import OpenItem, age
from bot.money.escalation import (
    EscalationThresholds,
    Stage,
    effective_stage,
    next_stage,
    stage_for,
)


@pytest.mark.parametrize(
    ("days", "stage"),
    [
        (None, Stage.CURRENT),
        (-5, Stage.CURRENT),
        (0, Stage.CURRENT),
        (1, Stage.REMINDER),
        (29, Stage.REMINDER),
        (30, Stage.FORMAL_NOTICE),
        (59, Stage.FORMAL_NOTICE),
        (60, Stage.PARTNER_REVIEW),
        (89, Stage.PARTNER_REVIEW),
        (90, Stage.COLLECTIONS),
        (1000, Stage.COLLECTIONS),
    ],
)
def test_default_thresholds(days: int | None, stage: Stage) -> None:
    assert stage_for(days) is stage
    assert stage_for(days, EscalationThresholds()) is stage


def test_configurable_thresholds() -> None:
    t = EscalationThresholds(reminder=7, formal_notice=14, partner_review=45, collections=120)
    assert stage_for(6, t) is Stage.CURRENT
    assert stage_for(7, t) is Stage.REMINDER
    assert stage_for(14, t) is Stage.FORMAL_NOTICE
    assert stage_for(44, t) is Stage.FORMAL_NOTICE
    assert stage_for(45, t) is Stage.PARTNER_REVIEW
    assert stage_for(119, t) is Stage.PARTNER_REVIEW
    assert stage_for(120, t) is Stage.COLLECTIONS


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reminder": 0},
        {"formal_notice": 1},
        {"partner_review": 20},
        {"collections": 60},
        {"reminder": True},
    ],
)
def test_thresholds_must_increase_from_one(kwargs: dict[str, int]) -> None:
    with pytest.raises(InvalidInput):
        EscalationThresholds(**kwargs)


def test_labels_and_order() -> None:
    assert [s.label for s in Stage] == [
        "current",
        "reminder",
        "formal notice",
        "partner review",
        "legal action / collections",
    ]
    assert [int(s) for s in Stage] == [0, 1, 2, 3, 4]


def test_disputed_invoice_pauses_escalation() -> None:
    as_of = date(2026, 11, 20)
    items = [
        OpenItem("OLD", as_of - timedelta(days=100), 5_000, True),
        OpenItem("NEW", as_of - timedelta(days=10), 1_000, False),
    ]
    assert stage_for(age(items, as_of).oldest_days_overdue) is Stage.REMINDER
    resolved = [OpenItem("OLD", as_of - timedelta(days=100), 5_000, False), items[1]]
    assert stage_for(age(resolved, as_of).oldest_days_overdue) is Stage.COLLECTIONS


def test_manual_floor_raises_but_never_lowers() -> None:
    assert effective_stage(Stage.REMINDER, None) is Stage.REMINDER
    assert effective_stage(Stage.REMINDER, Stage.PARTNER_REVIEW) is Stage.PARTNER_REVIEW
    assert effective_stage(Stage.COLLECTIONS, Stage.FORMAL_NOTICE) is Stage.COLLECTIONS


def test_manual_floor_lapses_when_nothing_is_overdue() -> None:
    assert effective_stage(Stage.CURRENT, Stage.COLLECTIONS) is Stage.CURRENT


def test_next_stage() -> None:
    assert next_stage(Stage.REMINDER) is Stage.FORMAL_NOTICE
    assert next_stage(Stage.PARTNER_REVIEW) is Stage.COLLECTIONS
    with pytest.raises(Conflict, match="already at the last stage"):
        next_stage(Stage.COLLECTIONS)
    with pytest.raises(Conflict, match="nothing undisputed overdue"):
        next_stage(Stage.CURRENT)


def test_start_of() -> None:
    t = EscalationThresholds()
    assert [t.start_of(s) for s in Stage] == [0, 1, 30, 60, 90]
