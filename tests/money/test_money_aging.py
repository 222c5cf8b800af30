"""Aging buckets at every edge, disputes, voids, partial payments and the worst-first order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.money.aging import Bucket, OpenItem, age, bucket_for, days_overdue
from bot.money.amounts import CurrencyMismatch

AS_OF = date(2026, 11, 20)


def due(days_late: int) -> date:
    return AS_OF - timedelta(days=days_late)


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [
        (-10, Bucket.CURRENT),
        (-1, Bucket.CURRENT),
        (0, Bucket.CURRENT),  # due today
        (1, Bucket.DAYS_1_30),
        (30, Bucket.DAYS_1_30),
        (31, Bucket.DAYS_31_60),
        (60, Bucket.DAYS_31_60),
        (61, Bucket.DAYS_61_90),
        (90, Bucket.DAYS_61_90),
        (91, Bucket.DAYS_90_PLUS),
        (4000, Bucket.DAYS_90_PLUS),
    ],
)
def test_bucket_edges(days_late: int, bucket: Bucket) -> None:
    assert bucket_for(days_late) is bucket
    report = age([OpenItem("INV-1", due(days_late), 10_000, False)], AS_OF)
    assert report.buckets[bucket] == 10_000
    assert sum(report.buckets.values()) == 10_000
    assert report.overdue_cents == (10_000 if days_late > 0 else 0)
    assert report.oldest_days_overdue == (days_late if days_late > 0 else None)


def test_days_overdue_counts_calendar_days_across_month_and_year() -> None:
    assert days_overdue(date(2027, 12, 31), date(2028, 1, 1)) == 1
    assert days_overdue(date(2028, 2, 28), date(2028, 3, 1)) == 2  # leap year
    assert days_overdue(date(2026, 11, 20), AS_OF) == 0


def test_bucket_labels() -> None:
    assert [b.label for b in Bucket] == ["current", "1-30", "31-60", "61-90", "90+"]


def test_report_totals_and_items_oldest_first() -> None:
    items = [
        OpenItem("A", due(0), 1_000, False),
        OpenItem("B", due(15), 2_000, False),
        OpenItem("C", due(45), 3_000, False),
        OpenItem("D", due(75), 4_000, False),
        OpenItem("E", due(120), 5_000, False),
    ]
    report = age(items, AS_OF)
    assert report.buckets == {
        Bucket.CURRENT: 1_000,
        Bucket.DAYS_1_30: 2_000,
        Bucket.DAYS_31_60: 3_000,
        Bucket.DAYS_61_90: 4_000,
        Bucket.DAYS_90_PLUS: 5_000,
    }
    assert list(report.buckets) == list(Bucket)  # always every bucket, in display order
    assert report.total_cents == 15_000
    assert report.overdue_cents == 14_000
    assert report.overdue_undisputed_cents == 14_000
    assert report.disputed_cents == 0
    assert report.oldest_days_overdue == 120
    assert report.currency == "USD"
    assert [i.key for i in report.items] == ["E", "D", "C", "B", "A"]
    assert report.items[0].bucket is Bucket.DAYS_90_PLUS and report.items[0].days_overdue == 120


def test_partial_payment_ages_only_what_is_left() -> None:
    # An invoice of 10,000 paid down to 2,500 ages 2,500; a fully paid one disappears.
    report = age(
        [OpenItem("PART", due(40), 2_500, False), OpenItem("PAID", due(200), 0, False)], AS_OF
    )
    assert report.total_cents == 2_500
    assert report.buckets[Bucket.DAYS_31_60] == 2_500
    assert report.oldest_days_overdue == 40
    assert [i.key for i in report.items] == ["PART"]


def test_disputed_counts_in_buckets_but_not_in_escalation_age() -> None:
    report = age(
        [OpenItem("OLD", due(100), 7_000, True), OpenItem("NEW", due(10), 3_000, False)], AS_OF
    )
    assert report.buckets[Bucket.DAYS_90_PLUS] == 7_000
    assert report.total_cents == 10_000
    assert report.overdue_cents == 10_000
    assert report.disputed_cents == 7_000
    assert report.overdue_undisputed_cents == 3_000
    assert report.oldest_days_overdue == 10


def test_only_disputed_overdue_means_no_escalation_age() -> None:
    report = age([OpenItem("X", due(100), 7_000, True)], AS_OF)
    assert report.is_overdue
    assert report.oldest_days_overdue is None
    assert report.overdue_undisputed_cents == 0


def test_voided_items_are_ignored_entirely() -> None:
    report = age(
        [
            OpenItem("VOID", due(100), 9_000, False, voided=True),
            OpenItem("OK", due(5), 1_000, False),
        ],
        AS_OF,
    )
    assert report.total_cents == 1_000
    assert report.oldest_days_overdue == 5
    assert [i.key for i in report.items] == ["OK"]


def test_empty_report() -> None:
    report = age([], AS_OF)
    assert report.total_cents == 0
    assert report.currency is None
    assert report.oldest_days_overdue is None
    assert not report.is_overdue
    assert report.worst_first_key == (0, 0, 0)


def test_mixed_currency_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="INV-2 is in EUR"):
        age(
            [
                OpenItem("INV-1", due(5), 100, False, currency="USD"),
                OpenItem("INV-2", due(5), 100, False, currency="EUR"),
            ],
            AS_OF,
        )


def test_other_currency_report() -> None:
    assert age([OpenItem("I", due(5), 100, False, currency="eur")], AS_OF).currency == "EUR"


def test_open_item_validation() -> None:
    with pytest.raises(ValueError, match="negative"):
        OpenItem("I", AS_OF, -1, False)
    with pytest.raises(TypeError):
        OpenItem("I", AS_OF, 1.0, False)  # type: ignore[arg-type]


def test_worst_first_sort() -> None:
    accounts = {
        "OLD-SMALL": age([OpenItem("1", due(95), 100, False)], AS_OF),
        "NEWER-BIG": age([OpenItem("2", due(40), 1_000_000, False)], AS_OF),
        "SAME-AGE-BIGGER": age([OpenItem("3", due(40), 2_000_000, False)], AS_OF),
        "DISPUTED-ONLY": age([OpenItem("4", due(200), 5_000_000, True)], AS_OF),
        "CURRENT": age([OpenItem("5", due(0), 9_000_000, False)], AS_OF),
    }
    order = sorted(accounts, key=lambda code: (accounts[code].worst_first_key, code))
    assert order == ["OLD-SMALL", "SAME-AGE-BIGGER", "NEWER-BIG", "DISPUTED-ONLY", "CURRENT"]
