"""The weekly and monthly reports: when they run, what they post (once, with the chart), how a
failed chart upload is retried without a second post, and ``/clerk report`` for who may."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.reports.charts import PNG_SIGNATURE
from bot.tools.standin.server import UPLOAD_URL
from handlers.kernel import blocks
from handlers.scheduled import job_named
from schedules.delivery import deliver_due
from schedules.dryrun import plan
from schedules.jobs import run_job
from schedules.runner import Scheduler
from storage.models import AuditLog, OutboxMessage, OutboxStatus
from tests.harness import Harness
from tests.schedules.conftest import outbox
from tests.schedules.report_firm import MONDAY, NY, add_week, report_firm


@pytest.fixture
def office(database_url: str) -> Iterator[Harness]:
    with report_firm(database_url) as harness:
        yield harness


def _run(harness: Harness, name: str, day: date) -> None:
    run_job(harness.clerk, job_named(name), day)
    deliver_due(harness.clerk, owner="test")


def _make_due(harness: Harness) -> None:
    with harness.db.unit_of_work("test") as s:
        for row in s.scalars(select(OutboxMessage)):
            row.next_attempt_at = harness.clerk.now() - timedelta(seconds=1)


def _completed_uploads(harness: Harness) -> list[Any]:
    return [c for c in harness.standin.calls("files.completeUploadExternal") if c.ok]


def _text(message: dict[str, Any]) -> str:
    return str(message.get("blocks"))


def test_the_reports_run_on_mondays_and_on_the_first_only() -> None:
    weekly, monthly = job_named("weekly_report"), job_named("monthly_report")
    days = [date(2026, 10, 25) + timedelta(days=n) for n in range(45)]
    assert [d for d in days if weekly.runs_on(d)] == [d for d in days if d.weekday() == 0]
    assert [d for d in days if monthly.runs_on(d)] == [date(2026, 11, 1), date(2026, 12, 1)]


def test_the_cron_fires_monday_and_the_first_at_report_time(office: Harness) -> None:
    scheduler = Scheduler(office.clerk)
    after = datetime(2026, 11, 23, 8, 0, tzinfo=NY)
    weekly = scheduler.cron(job_named("weekly_report")).get_next_fire_time(None, after)
    monthly = scheduler.cron(job_named("monthly_report")).get_next_fire_time(None, after)
    assert weekly == datetime(2026, 11, 30, 7, 30, tzinfo=NY)
    assert monthly == datetime(2026, 12, 1, 7, 30, tzinfo=NY)


@pytest.mark.parametrize(
    ("at", "kinds"),
    [
        (datetime(2026, 11, 23, 8, 0, tzinfo=NY), ["report"]),  # Monday: the weekly
        (datetime(2026, 11, 23, 7, 0, tzinfo=NY), []),  # Monday, before 07:30
        (datetime(2026, 12, 1, 8, 0, tzinfo=NY), ["report"]),  # Tuesday the 1st: the monthly
        (datetime(2026, 11, 25, 8, 0, tzinfo=NY), []),  # a Wednesday
        (datetime(2027, 2, 1, 8, 0, tzinfo=NY), ["report", "report"]),  # a Monday 1st: both
    ],
)
def test_the_dry_run_lists_the_report_on_its_days(
    office: Harness, at: datetime, kinds: list[str]
) -> None:
    found = [item for _when, item in plan(office.clerk, at) if item.kind == "report"]
    assert [item.kind for item in found] == kinds
    for item in found:
        blocks.validate(item.message.blocks)
    assert office.count(OutboxMessage) == 0


def test_the_weekly_report_is_posted_once_with_its_chart_in_the_thread(office: Harness) -> None:
    add_week(office)
    _run(office, "weekly_report", MONDAY)
    _run(office, "weekly_report", MONDAY)  # a re-run (a restart, a second process) adds nothing
    (row,) = outbox(office)
    assert row.key == "report:week:2026-11-16" and row.status is OutboxStatus.SENT
    (posted,) = office.standin.messages_in("C_REPORTS")
    blocks.validate(posted["blocks"])
    assert posted["ts"] == row.slack_ts
    shown = _text(posted)
    assert "week of Mon 16 Nov – Sun 22 Nov 2026" in shown
    assert "1 on time · 3 missed" in shown and "<@U_LENA>: 2" in shown
    assert "$400.00" in shown  # collected
    (upload,) = _completed_uploads(office)
    assert upload.params.get("channel_id") == "C_REPORTS"
    assert upload.params.get("thread_ts") == row.slack_ts
    (png,) = [content for _name, content in office.standin.files.values()]
    assert png.startswith(PNG_SIGNATURE)


def test_the_monthly_report_has_its_month_key(office: Harness) -> None:
    _run(office, "monthly_report", date(2026, 11, 1))
    (row,) = outbox(office)
    assert row.key == "report:month:2026-10" and row.status is OutboxStatus.SENT
    (posted,) = office.standin.messages_in("C_REPORTS")
    assert "Monthly report: October 2026" in posted["text"]


def test_an_empty_week_still_posts_zeros_and_a_chart(office: Harness) -> None:
    _run(office, "weekly_report", MONDAY)
    (posted,) = office.standin.messages_in("C_REPORTS")
    blocks.validate(posted["blocks"])
    assert "0 on time · 0 missed" in _text(posted) and "n/a" in _text(posted)
    assert len(_completed_uploads(office)) == 1


@pytest.mark.parametrize(
    "fault",
    [
        # slack-sdk retries a 5xx twice itself: three in a row fail the attempt
        {"method": "files.completeUploadExternal", "status": 500, "times": 3},
        {"method": UPLOAD_URL, "status": 503},  # the byte upload is not retried by slack-sdk
        {"method": "files.getUploadURLExternal", "error": "internal_error"},
    ],
)
def test_a_failed_chart_upload_is_retried_without_posting_again(
    office: Harness, fault: dict[str, Any]
) -> None:
    office.standin.fail_next(**fault)
    _run(office, "weekly_report", MONDAY)
    (row,) = outbox(office)
    assert row.status is OutboxStatus.PENDING and row.attempts == 1 and row.slack_ts
    assert len(office.standin.messages_in("C_REPORTS")) == 1
    assert _completed_uploads(office) == []
    _make_due(office)
    deliver_due(office.clerk, owner="test")
    (after,) = outbox(office)
    assert after.status is OutboxStatus.SENT and after.slack_ts == row.slack_ts
    assert len(office.standin.messages_in("C_REPORTS")) == 1
    (upload,) = _completed_uploads(office)
    assert upload.params.get("thread_ts") == row.slack_ts


def test_without_a_reports_channel_nothing_is_planned(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        report_firm(database_url, reports_channel="") as harness,
        caplog.at_level(logging.INFO, logger="clerk.jobs"),
    ):
        run_job(harness.clerk, job_named("weekly_report"), MONDAY)
        assert harness.count(OutboxMessage) == 0
    noted = [r for r in caplog.records if "no reports channel" in r.getMessage()]
    assert len(noted) == 1 and noted[0].levelno == logging.INFO


@pytest.mark.parametrize("who", ["U_ADMIN", "U_BILL", "U_PAUL"])
def test_clerk_report_answers_privately_and_sends_the_chart_by_dm(
    office: Harness, who: str
) -> None:
    add_week(office)
    exchange = office.slack.command(who, "/clerk", "report week", channel_id="C_REPORTS")
    (reply,) = exchange.replies
    assert reply["response_type"] == "ephemeral"
    blocks.validate(reply["blocks"])
    assert "1 on time · 3 missed" in str(reply["blocks"])
    (upload,) = _completed_uploads(office)
    dm = upload.params.get("channel_id")
    assert dm and dm[:1] == "D"
    opened = office.standin.calls("conversations.open")
    assert [c.params.get("users") for c in opened] == [who]
    assert office.standin.messages_in("C_REPORTS") == []
    assert office.count(OutboxMessage) == 0


def test_a_failed_dm_upload_still_gives_the_figures(office: Harness) -> None:
    office.standin.fail_next("files.completeUploadExternal", error="not_in_channel")
    exchange = office.slack.command("U_ADMIN", "/clerk", "report week")
    (reply,) = exchange.replies
    shown = str(reply["blocks"])
    assert "0 on time · 0 missed" in shown
    assert "could not be sent to your DM (not_in_channel)" in shown


def test_clerk_report_month_covers_the_month_just_ended(office: Harness) -> None:
    exchange = office.slack.command("U_ADMIN", "/clerk", "report month")
    (reply,) = exchange.replies
    assert "Monthly report: October 2026" in reply["text"]


@pytest.mark.parametrize(("who", "text"), [("U_LENA", "report week"), ("U_SAM", "report month")])
def test_others_are_refused_and_nothing_is_written(office: Harness, who: str, text: str) -> None:
    audits, rows = office.count(AuditLog), office.count(OutboxMessage)
    exchange = office.slack.command(who, "/clerk", text)
    (reply,) = exchange.replies
    assert reply["response_type"] == "ephemeral"
    assert "does not allow" in reply["text"]
    assert office.standin.calls("files.getUploadURLExternal") == []
    assert (office.count(AuditLog), office.count(OutboxMessage)) == (audits, rows)


def test_a_bad_period_word_gets_the_usage(office: Harness) -> None:
    exchange = office.slack.command("U_ADMIN", "/clerk", "report quarter")
    assert "/clerk report week|month|year" in exchange.replies[0]["text"]
    assert office.standin.calls("files.getUploadURLExternal") == []
