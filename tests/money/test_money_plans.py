"""Installment schedules across month ends and leap years, the x N check, and plan status."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import InvalidInput
from bot.money.plans import MAX_INSTALLMENTS, Installment, add_months, plan_status, schedule


def test_monthly_from_jan_31_keeps_anchor_day_in_leap_year() -> None:
    plan = schedule(60_000, 10_000, "month", date(2028, 1, 31))
    assert [i.due_on for i in plan] == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
        date(2028, 5, 31),
        date(2028, 6, 30),
    ]
    assert [i.number for i in plan] == [1, 2, 3, 4, 5, 6]


def test_monthly_from_jan_31_in_common_year() -> None:
    plan = schedule(30_000, 10_000, "month", date(2027, 1, 31))
    assert [i.due_on for i in plan] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_monthly_from_the_30th_and_29th() -> None:
    assert [i.due_on for i in schedule(300, 100, "month", date(2027, 12, 30))] == [
        date(2027, 12, 30),
        date(2028, 1, 30),
        date(2028, 2, 29),
    ]
    assert [i.due_on for i in schedule(300, 100, "month", date(2028, 2, 29))] == [
        date(2028, 2, 29),
        date(2028, 3, 29),
        date(2028, 4, 29),
    ]


def test_monthly_crosses_year_end() -> None:
    plan = schedule(400, 100, "month", date(2026, 11, 15))
    assert [i.due_on for i in plan] == [
        date(2026, 11, 15),
        date(2026, 12, 15),
        date(2027, 1, 15),
        date(2027, 2, 15),
    ]


def test_weekly() -> None:
    plan = schedule(35_000, 10_000, "week", date(2028, 2, 22))
    assert [i.due_on for i in plan] == [
        date(2028, 2, 22),
        date(2028, 2, 29),
        date(2028, 3, 7),
        date(2028, 3, 14),
    ]
    assert [i.amount_cents for i in plan] == [10_000, 10_000, 10_000, 5_000]


def test_last_installment_takes_the_remainder() -> None:
    plan = schedule(100_001, 25_000, "month", date(2026, 12, 1))
    assert [i.amount_cents for i in plan] == [25_000, 25_000, 25_000, 25_000, 1]
    assert sum(i.amount_cents for i in plan) == 100_001


def test_exact_multiple_has_no_empty_installment() -> None:
    plan = schedule(100_000, 25_000, "month", date(2026, 12, 1))
    assert [i.amount_cents for i in plan] == [25_000] * 4


def test_installment_larger_than_total_is_one_payment() -> None:
    assert schedule(5_000, 10_000, "week", date(2026, 12, 1)) == [
        Installment(1, date(2026, 12, 1), 5_000)
    ]


def test_count_must_match() -> None:
    assert len(schedule(100_000, 30_000, "month", date(2026, 12, 1), count=4)) == 4
    with pytest.raises(InvalidInput) as err:
        schedule(100_000, 30_000, "month", date(2026, 12, 1), count=3)
    assert "3 installments of 300.00 make 900.00" in err.value.message
    assert "does not cover the 1,000.00 owed" in err.value.message
    assert "x 4" in err.value.message and "at least 333.34 for x 3" in err.value.message
    with pytest.raises(InvalidInput, match="takes 4 installments, not 6"):
        schedule(100_000, 30_000, "month", date(2026, 12, 1), count=6)
    with pytest.raises(InvalidInput, match="at least one installment"):
        schedule(100_000, 30_000, "month", date(2026, 12, 1), count=0)


def test_refusal_shows_amounts_in_the_plan_currency() -> None:
    with pytest.raises(InvalidInput, match=r"3 installments of \$300\.00 make \$900\.00"):
        schedule(100_000, 30_000, "month", date(2026, 12, 1), count=3, currency="USD")
    with pytest.raises(InvalidInput, match=r"EUR 1,000\.00 in installments of EUR 300\.00"):
        schedule(100_000, 30_000, "month", date(2026, 12, 1), count=5, currency="EUR")


@pytest.mark.parametrize(("total", "amount"), [(0, 100), (-1, 100), (100, 0), (100, -5)])
def test_refuses_non_positive(total: int, amount: int) -> None:
    with pytest.raises(InvalidInput):
        schedule(total, amount, "month", date(2026, 12, 1))


def test_refuses_bad_period_and_too_many_installments() -> None:
    with pytest.raises(InvalidInput, match='not "day"'):
        schedule(100, 10, "day", date(2026, 12, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=f"at most {MAX_INSTALLMENTS}"):
        schedule(1_000_000, 100, "week", date(2026, 12, 1))


def test_refuses_dates_beyond_the_calendar() -> None:
    with pytest.raises(InvalidInput, match="impossible"):
        schedule(300, 100, "month", date(9999, 11, 30))
    with pytest.raises(InvalidInput, match="impossible"):
        schedule(300, 100, "week", date(9999, 12, 20))


def test_add_months() -> None:
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2028, 1, 31), 13) == date(2029, 2, 28)
    assert add_months(date(2028, 3, 31), -1) == date(2028, 2, 29)
    assert add_months(date(2028, 5, 15), 0) == date(2028, 5, 15)


def test_plan_status() -> None:
    plan = schedule(30_000, 10_000, "month", date(2026, 9, 15))  # Sep 15, Oct 15, Nov 15
    on_time = plan_status(plan, 20_000, date(2026, 11, 15))  # third due today: not late
    assert on_time.behind_cents == 0 and on_time.late_installments == ()
    assert on_time.next_due == plan[2] and not on_time.paid_in_full

    behind = plan_status(plan, 15_000, date(2026, 11, 16))
    assert behind.behind_cents == 15_000
    assert behind.late_installments == (2, 3)
    assert behind.next_due == plan[1]

    ahead = plan_status(plan, 30_000, date(2026, 9, 1))
    assert ahead.paid_in_full and ahead.next_due is None and ahead.behind_cents == 0

    nothing = plan_status(plan, 0, date(2026, 12, 1))
    assert nothing.behind_cents == 30_000 and nothing.late_installments == (1, 2, 3)
