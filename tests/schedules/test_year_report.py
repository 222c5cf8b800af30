"""``/clerk report year``: the monthly report's KPIs for the last twelve months, by month.

The firm of ``tests.schedules.report_firm`` on Monday 23 Nov 2026: the year is Nov 2025 to
Oct 2026. Each month of the year report must say what that month's monthly report says
(``bot.reports.kpis.compute``), and a few figures are also worked out by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select, update

from bot.reports.charts import PNG_SIGNATURE
from bot.reports.kpis import Period, compute
from bot.reports.year import YearKpis, compute_year, last_twelve_months
from handlers.kernel import blocks
from handlers.reports.year_report import chart_png
from storage.models import (
    AuditLog,
    Client,
    DeadlineStatus,
    Invoice,
    InvoiceStatus,
    Matter,
    OutboxMessage,
)
from tests.harness import Harness
from tests.schedules.conftest import add_deadline
from tests.schedules.report_firm import (
    MONDAY,
    add_contact,
    add_invoice,
    add_payment,
    ny,
    report_firm,
)


@pytest.fixture
def office(database_url: str) -> Iterator[Harness]:
    with report_firm(database_url) as harness:
        yield harness


def _add_year(h: Harness) -> None:
    """Rows in the year and just outside it, at the months' local edges."""
    add_contact(h, "U_LENA", ny(2025, 10, 31, 23, 59))  # the month before the year
    add_contact(h, "U_LENA", ny(2025, 11, 1, 0, 30))  # Nov 2025: first minute of the year
    add_contact(h, "U_MARK", ny(2026, 3, 8, 1, 30))  # the DST change night: March
    add_contact(h, "U_LENA", ny(2026, 3, 31, 23, 30))  # 03:30 UTC on 1 Apr: still March
    add_contact(h, "U_LENA", ny(2026, 10, 31, 23, 30))  # the year's last half hour
    add_contact(h, "U_LENA", ny(2026, 11, 1, 0, 0))  # after the year
    done = DeadlineStatus.DONE
    add_deadline(h, "met", date(2026, 3, 10), status=done,
                 completed_at=ny(2026, 3, 10, 22, 0).astimezone(UTC))  # fmt: skip
    add_deadline(h, "late", date(2026, 3, 31), status=done,
                 completed_at=ny(2026, 4, 1, 9, 0).astimezone(UTC))  # fmt: skip
    add_deadline(h, "never done", date(2026, 7, 6))
    add_deadline(h, "cancelled", date(2026, 7, 7), status=DeadlineStatus.CANCELLED)
    add_deadline(h, "before the year", date(2025, 10, 31))
    with h.db.unit_of_work("test") as s:
        for code, created, opened in (
            ("JAN", datetime(2026, 1, 15, 15, 0, tzinfo=UTC), date(2026, 1, 15)),
            ("EDGE", ny(2025, 10, 31, 23, 30).astimezone(UTC), date(2025, 10, 31)),
            ("LATE", ny(2026, 10, 31, 23, 30).astimezone(UTC), date(2026, 10, 31)),
        ):
            client = Client(code=code, name=code.title(), created_at=created)
            s.add(client)
            s.flush()
            s.add(Matter(code=f"{code}-1", client_id=client.id, number=1, title="Matter",
                         opened_on=opened))  # fmt: skip
    i1 = add_invoice(h, "Y1", 100_000, date(2026, 1, 5), date(2026, 2, 4))
    add_payment(h, 40_000, date(2026, 3, 3), i1)
    add_invoice(h, "Y2", 50_000, date(2026, 6, 1), date(2026, 7, 1))
    add_invoice(h, "Y3", 30_000, date(2025, 9, 1), date(2025, 10, 1))  # before the year
    add_invoice(h, "YE", 70_000, date(2026, 2, 1), date(2026, 3, 1), currency="EUR")
    add_payment(h, 500_000, date(2026, 5, 5), None, trust=True)  # a retainer: not collected
    off = add_invoice(h, "YW", 25_000, date(2026, 2, 10), date(2026, 3, 10))
    with h.db.unit_of_work("test") as s:
        s.execute(
            update(Invoice)
            .where(Invoice.id == off)
            .values(
                status=InvoiceStatus.WRITTEN_OFF,
                written_off_cents=25_000,
                written_off_on=date(2026, 8, 14),
            )
        )


def _year(h: Harness) -> YearKpis:
    with h.db.reading() as s:
        return compute_year(s, MONDAY, zone=h.clerk.settings.tz, currency="USD")


def test_the_year_is_the_twelve_months_before_this_one() -> None:
    months = last_twelve_months(MONDAY)
    assert (months[0].start, months[-1].end) == (date(2025, 11, 1), date(2026, 10, 31))
    assert [p.start.month for p in months] == [11, 12, *range(1, 11)]
    feb = last_twelve_months(date(2028, 3, 1))[-1]
    assert (feb.start, feb.end) == (date(2028, 2, 1), date(2028, 2, 29))


def test_each_month_says_what_its_monthly_report_says(office: Harness) -> None:
    _add_year(office)
    year = _year(office)
    zone = office.clerk.settings.tz
    with office.db.reading() as s:
        for month in year.months:
            monthly = compute(s, month.period, zone=zone, currency="USD")
            assert (
                month.contacts,
                month.on_time,
                month.missed,
                month.new_clients,
                month.new_matters,
                month.collected_cents,
                month.written_off_cents,
                month.written_off_count,
                month.overdue_cents,
                month.dso_days,
            ) == (
                monthly.contacts_total,
                monthly.deadlines_on_time,
                monthly.deadlines_missed,
                monthly.new_clients,
                monthly.new_matters,
                monthly.collected_cents,
                monthly.written_off_cents,
                monthly.written_off_count,
                monthly.overdue_cents,
                monthly.dso_days,
            ), month.period
        last = compute(s, year.months[-1].period, zone=zone, currency="USD")
        before = compute(s, Period("month", date(2025, 10, 1), date(2025, 10, 31)), zone=zone,
                         currency="USD")  # fmt: skip
    assert year.aging == last.aging and year.overdue_before_cents == before.overdue_cents


def test_the_figures_worked_out_by_hand(office: Harness) -> None:
    _add_year(office)
    year = _year(office)
    by = {m.period.start.strftime("%Y-%m"): m for m in year.months}
    assert [by[k].contacts for k in ("2025-11", "2026-03", "2026-10")] == [1, 2, 1]
    assert year.total("contacts") == 4  # Oct 2025 23:59 and Nov 2026 00:00 are out
    assert (by["2026-03"].on_time, by["2026-03"].missed, by["2026-07"].missed) == (1, 1, 1)
    assert (year.total("on_time"), year.total("missed")) == (1, 2)
    assert (by["2026-01"].new_clients, by["2026-10"].new_clients) == (1, 1)
    assert year.total("new_clients") == 2
    assert year.total("new_matters") == 3  # ACME-1 (opened 1 Jan 2026), JAN-1, LATE-1
    assert by["2026-03"].collected_cents == 40_000 and year.total("collected_cents") == 40_000
    assert (by["2026-08"].written_off_cents, by["2026-08"].written_off_count) == (25_000, 1)
    # Y1 overdue from 4 Feb: $1,000 at Feb's end, $600 from March; Y2 from 1 Jul; Y3 all year
    assert by["2026-02"].overdue_cents == 30_000 + 100_000  # YW is not due till Mar 10
    assert by["2026-03"].overdue_cents == 30_000 + 60_000 + 25_000
    assert by["2026-08"].overdue_cents == 30_000 + 60_000 + 50_000  # YW written off
    assert year.overdue_before_cents == 30_000
    assert year.overdue_change_cents == 140_000 - 30_000
    assert year.other_currencies == ("EUR",)


def test_the_year_is_a_fixed_number_of_grouped_statements(office: Harness) -> None:
    _add_year(office)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(office.db.engine, "before_cursor_execute", seen)
    try:
        _year(office)
    finally:
        event.remove(office.db.engine, "before_cursor_execute", seen)
    selects = [q for q in statements if q.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(selects) == 7 + 13  # the counted figures; a position at 13 month ends
    grouped = [q for q in selects if "CASE" in q and "GROUP BY" in q]
    assert len(grouped) == 6  # contacts, clients, matters, collected, billed, written off


def test_clerk_report_year_answers_privately_with_the_chart_by_dm(office: Harness) -> None:
    _add_year(office)
    exchange = office.slack.command("U_BILL", "/clerk", "report year", channel_id="C_REPORTS")
    (reply,) = exchange.replies
    assert reply["response_type"] == "ephemeral"
    blocks.validate(reply["blocks"])
    assert reply["text"].startswith("Yearly report: Nov 2025 – Oct 2026: 4 contacts, 1/3")
    shown = str(reply["blocks"])
    assert "Sat 1 Nov 2025 – Sat 31 Oct 2026, firm time." in shown
    assert "Money in EUR is not included." in shown
    (table,) = [b["text"]["text"] for b in reply["blocks"] if "*By month*" in str(b)]
    rows = table.removeprefix("*By month*\n```").removesuffix("```").splitlines()
    assert len(rows) == 13 and rows[0].startswith("Month") and rows[1].startswith("Nov 2025")
    assert rows[5].split() == ["Mar", "2026", "2", "1/2", "0", "0", "$400.00", "$1,150.00", "n/a"]
    assert "The chart is in your DM with Clerk." in shown
    uploads = [c for c in office.standin.calls("files.completeUploadExternal") if c.ok]
    (upload,) = uploads
    assert str(upload.params.get("channel_id", ""))[:1] == "D"
    (png,) = [content for _name, content in office.standin.files.values()]
    assert png.startswith(PNG_SIGNATURE)
    assert office.count(OutboxMessage) == 0


def test_an_empty_year_still_draws(office: Harness) -> None:
    year = _year(office)
    assert year.total("contacts") == 0 and year.dso_days is None
    assert chart_png(year).startswith(PNG_SIGNATURE)
    exchange = office.slack.command("U_ADMIN", "/clerk", "report year")
    blocks.validate(exchange.replies[0]["blocks"])


@pytest.mark.parametrize("who", ["U_LENA", "U_SAM"])
def test_others_are_refused_before_anything_is_read(office: Harness, who: str) -> None:
    audits = office.count(AuditLog)
    exchange = office.slack.command(who, "/clerk", "report year")
    (reply,) = exchange.replies
    assert reply["response_type"] == "ephemeral" and "does not allow" in reply["text"]
    assert office.standin.calls("files.getUploadURLExternal") == []
    assert office.count(AuditLog) == audits


@pytest.mark.parametrize("text", ["report years", "report year 2025", "report"])
def test_other_words_get_the_usage(office: Harness, text: str) -> None:
    exchange = office.slack.command("U_ADMIN", "/clerk", text)
    assert "/clerk report week|month|year" in exchange.replies[0]["text"]
    assert office.standin.calls("files.getUploadURLExternal") == []


def test_the_clients_table_is_untouched(office: Harness) -> None:
    with office.db.reading() as s:
        before = list(s.scalars(select(Client.code).order_by(Client.code)))
    _year(office)
    with office.db.reading() as s:
        assert list(s.scalars(select(Client.code).order_by(Client.code))) == before
