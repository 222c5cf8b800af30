"""KPIs of a week and a month on a hand-built firm, periods in the firm time zone, the chart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import matplotlib.pyplot as plt
import pytest

from bot.reports.charts import PNG_SIGNATURE, report_chart
from bot.reports.kpis import Kpis, Period, compute, ended_before
from tests.harness import Harness
from tests.schedules.report_firm import (
    EXPECTED_WEEK,
    MONDAY,
    add_contact,
    add_week,
    ny,
    report_firm,
)


@pytest.fixture
def office(database_url: str) -> Iterator[Harness]:
    with report_firm(database_url) as harness:
        yield harness


def _kpis(harness: Harness, period: Period) -> Kpis:
    with harness.db.reading() as s:
        return compute(s, period, zone=harness.clerk.settings.tz, currency="USD")


@pytest.mark.parametrize(
    ("run_on", "kind", "start", "end"),
    [
        (date(2026, 11, 23), "week", date(2026, 11, 16), date(2026, 11, 22)),  # a Monday
        (date(2026, 11, 25), "week", date(2026, 11, 16), date(2026, 11, 22)),  # mid-week
        (date(2026, 11, 22), "week", date(2026, 11, 9), date(2026, 11, 15)),  # a Sunday
        (date(2026, 11, 2), "week", date(2026, 10, 26), date(2026, 11, 1)),  # over the DST end
        (date(2026, 12, 1), "month", date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 3, 1), "month", date(2026, 2, 1), date(2026, 2, 28)),
        (date(2028, 3, 1), "month", date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (date(2027, 1, 1), "month", date(2026, 12, 1), date(2026, 12, 31)),  # year end
    ],
)
def test_the_period_is_the_week_or_month_before_the_run_day(
    run_on: date, kind: str, start: date, end: date
) -> None:
    period = ended_before(kind, run_on)  # type: ignore[arg-type]
    assert (period.start, period.end) == (start, end)


def test_previous_periods_and_keys() -> None:
    week = ended_before("week", MONDAY)
    assert week.key == "2026-11-16" and week.previous() == Period(
        "week", date(2026, 11, 9), date(2026, 11, 15)
    )
    month = ended_before("month", date(2026, 11, 1))
    assert month.key == "2026-10" and month.previous().key == "2026-09"


def test_a_dst_week_has_its_seven_local_days_of_utc_hours() -> None:
    zone = ny(2026, 1, 1).tzinfo
    assert zone is not None
    begin, finish = ended_before("week", date(2026, 11, 2)).bounds(zone)
    assert (begin.hour, finish.hour) == (4, 5)  # EDT midnight, then EST midnight
    assert (finish - begin).total_seconds() == 7 * 24 * 3600 + 3600


def test_the_kpis_of_a_hand_built_week(office: Harness) -> None:
    add_week(office)
    kpis = _kpis(office, ended_before("week", MONDAY))
    assert [(r.slack_id, r.contacts) for r in kpis.contacts_by_lawyer] == EXPECTED_WEEK["contacts"]
    assert kpis.contacts_total == 3
    assert (kpis.deadlines_on_time, kpis.deadlines_missed) == (
        EXPECTED_WEEK["on_time"],
        EXPECTED_WEEK["missed"],
    )
    assert (kpis.new_clients, kpis.new_matters) == (
        EXPECTED_WEEK["new_clients"],
        EXPECTED_WEEK["new_matters"],
    )
    assert kpis.collected_cents == EXPECTED_WEEK["collected"]
    assert kpis.aging == EXPECTED_WEEK["aging"]
    assert kpis.overdue_cents == EXPECTED_WEEK["overdue"]
    assert kpis.overdue_previous_cents == EXPECTED_WEEK["overdue_before"]
    assert kpis.overdue_change_cents == 10_000
    assert kpis.dso_days == Decimal(str(EXPECTED_WEEK["dso"]))
    assert kpis.other_currencies == ("EUR",)


def test_a_month_end_contact_late_on_the_30th_is_november(office: Harness) -> None:
    add_contact(office, "U_LENA", ny(2026, 11, 30, 23, 30))  # 04:30 UTC on Dec 1
    add_contact(office, "U_LENA", ny(2026, 12, 1, 0, 10))
    add_contact(office, "U_MARK", ny(2026, 11, 1, 0, 5))  # the first hour of November
    add_contact(office, "U_MARK", ny(2026, 10, 31, 23, 55))
    kpis = _kpis(office, ended_before("month", date(2026, 12, 1)))
    assert [(r.slack_id, r.contacts) for r in kpis.contacts_by_lawyer] == [
        ("U_LENA", 1),
        ("U_MARK", 1),
    ]


def test_the_dst_week_counts_its_last_local_hour(office: Harness) -> None:
    add_contact(office, "U_LENA", ny(2026, 10, 26, 0, 15))  # EDT: 04:15 UTC
    add_contact(office, "U_LENA", ny(2026, 11, 1, 23, 30))  # EST: 04:30 UTC on Nov 2
    add_contact(office, "U_LENA", ny(2026, 10, 25, 23, 45))  # the Sunday before
    add_contact(office, "U_LENA", ny(2026, 11, 2, 0, 30))  # the Monday after
    kpis = _kpis(office, ended_before("week", date(2026, 11, 2)))
    assert kpis.contacts_total == 2


def test_an_empty_period_is_all_zero_and_dso_is_undefined(office: Harness) -> None:
    kpis = _kpis(office, ended_before("week", MONDAY))
    assert kpis.contacts_by_lawyer == () and kpis.contacts_total == 0
    assert (kpis.deadlines_on_time, kpis.deadlines_missed, kpis.new_clients) == (0, 0, 0)
    assert kpis.collected_cents == kpis.overdue_cents == kpis.overdue_change_cents == 0
    assert all(cents == 0 for _, cents in kpis.aging) and kpis.dso_days is None


@pytest.mark.parametrize("numbers", [(0, 0, 0), (5_000_00, 3, 2)])
def test_the_chart_is_a_png_and_leaves_no_figure_open(numbers: tuple[int, int, int]) -> None:
    cents, on_time, missed = numbers
    before = plt.get_fignums()
    png = report_chart(
        title="Weekly report",
        aging=[("current", cents), ("1-30", 0), ("31-60", cents // 2), ("61-90", 0), ("90+", 0)],
        currency="USD",
        on_time=on_time,
        missed=missed,
    )
    assert png.startswith(PNG_SIGNATURE) and len(png) > 1000
    assert plt.get_fignums() == before
