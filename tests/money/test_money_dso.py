"""Days sales outstanding, with its guards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.money.dso import dso, period_days


def test_dso_basic() -> None:
    # 50,000 owed at the end of a 30-day month in which 100,000 was billed: 15 days.
    assert dso(5_000_000, 10_000_000, 30) == Decimal("15.0")


def test_dso_rounds_half_up_to_one_decimal() -> None:
    assert dso(1, 3, 1) == Decimal("0.3")
    assert dso(1_000, 3_000, 91) == Decimal("30.3")  # 30.333...
    assert dso(1, 4, 1) == Decimal("0.3")  # 0.25 -> 0.3 (half up)
    assert dso(2, 3, 1) == Decimal("0.7")


def test_dso_can_exceed_the_period() -> None:
    assert dso(30_000, 10_000, 30) == Decimal("90.0")


def test_dso_guards() -> None:
    assert dso(5_000, 0, 30) is None  # nothing billed: undefined, not a crash
    assert dso(5_000, -100, 30) is None  # net credit notes
    assert dso(0, 10_000, 30) == Decimal("0.0")
    assert dso(-500, 10_000, 30) == Decimal("0.0")
    with pytest.raises(ValueError):
        dso(1, 1, 0)


def test_dso_is_exact_for_huge_values() -> None:
    assert dso(10**13, 10**13, 365) == Decimal("365.0")


def test_period_days() -> None:
    assert period_days(date(2026, 11, 1), date(2026, 11, 30)) == 30
    assert period_days(date(2028, 2, 1), date(2028, 2, 29)) == 29
    assert period_days(date(2026, 11, 20), date(2026, 11, 20)) == 1
    with pytest.raises(ValueError):
        period_days(date(2026, 11, 2), date(2026, 11, 1))
