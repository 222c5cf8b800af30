"""The scheduler around the jobs: slots claimed once, catch-up after downtime, ``--at``
shifting, and one leader on PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from handlers.scheduled import chat_arguments
from schedules import job_runs as ledger
from schedules.runner import Leader, Scheduler, ShiftedTrigger
from storage.models import JobRun, JobRunStatus, OutboxMessage
from tests.conftest import PG_URL
from tests.harness import Harness, running_clerk
from tests.schedules.conftest import FRIDAY_8AM, NY, add_deadline, add_matter, outbox, text_of


@pytest.fixture
def schedulers(firm: Harness) -> Iterator[Callable[[], Scheduler]]:
    """Schedulers that let go of the PostgreSQL leader lock when the test ends."""
    made: list[Scheduler] = []

    def make() -> Scheduler:
        made.append(Scheduler(firm.clerk))
        return made[-1]

    yield make
    for scheduler in made:
        scheduler.leader.release()


def _runs(firm: Harness) -> list[tuple[str, datetime, JobRunStatus]]:
    with firm.db.reading() as s:
        return [
            (r.job, r.slot.astimezone(NY), r.status)
            for r in s.scalars(select(JobRun).order_by(JobRun.id))
        ]


def test_a_slot_runs_once_even_when_two_schedulers_try(
    firm: Harness, schedulers: Callable[[], Scheduler]
) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7))
    a, b = schedulers(), schedulers()
    assert a.run_slot("deadline_digest", FRIDAY_8AM) is True
    count = firm.count(OutboxMessage)
    a.leader.release()  # b may lead now: the ledger alone must stop the second run
    assert b.run_slot("deadline_digest", FRIDAY_8AM) is False
    assert firm.count(OutboxMessage) == count == 1
    assert _runs(firm) == [("deadline_digest", FRIDAY_8AM, JobRunStatus.DONE)]


def test_most_recent_slot_follows_the_trigger_and_the_day_limit() -> None:
    weekdays = CronTrigger(day_of_week="mon-fri", hour=8, minute=0, timezone=NY)
    monday_7am = datetime(2026, 12, 7, 7, 0, tzinfo=NY)
    assert ledger.most_recent_slot(weekdays, monday_7am) is None  # Friday's is > a day old
    assert ledger.most_recent_slot(weekdays, monday_7am, within=timedelta(days=4)) == datetime(
        2026, 12, 4, 8, 0, tzinfo=NY
    )
    assert ledger.most_recent_slot(weekdays, datetime(2026, 12, 7, 8, 0, tzinfo=NY)) == (
        datetime(2026, 12, 7, 8, 0, tzinfo=NY)
    )
    tue = ledger.most_recent_slot(weekdays, datetime(2026, 12, 8, 7, 59, tzinfo=NY))
    assert tue == datetime(2026, 12, 7, 8, 0, tzinfo=NY)


def test_catch_up_runs_a_missed_slot_once(
    firm: Harness, schedulers: Callable[[], Scheduler]
) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7))  # Friday 4 Dec: step 3, in the digest
    first = schedulers()
    first.catch_up()  # the clock says Fri 08:00: today's 08:00 slots are due
    ran = {job for job, _slot, _status in _runs(firm)}
    assert ran == {"deadline_digest", "briefing"}  # 08:30 and Mondays not yet
    sent = outbox(firm)
    assert {r.kind for r in sent} == {"deadline_digest", "briefing"}
    assert all(r.status.value == "sent" for r in sent)
    first.leader.release()
    schedulers().catch_up()  # a restart: nothing runs twice
    assert len(_runs(firm)) == 2 and len(outbox(firm)) == len(sent)


def test_a_briefing_missed_yesterday_is_said_by_todays(database_url: str) -> None:
    """Clerk was down on Monday: at 07:00 on Tuesday Monday's briefing is not sent beside
    the one due at 08:00, which speaks for Monday too."""
    with running_clerk(database_url, at=datetime(2026, 12, 8, 7, 0, tzinfo=NY)) as firm:
        firm.add_people()
        add_matter(firm)
        add_deadline(firm, "Brief", date(2026, 12, 8))  # step 1 fell on Monday
        friday = datetime(2026, 12, 4, 8, 0, tzinfo=NY)
        run_id = ledger.claim_slot(firm.db, job="briefing", slot=friday, owner="test")
        assert run_id is not None
        ledger.finish(firm.db, run_id)
        for hour in (7, 8):
            firm.clerk.clock.offset += datetime(2026, 12, 8, hour, 0, tzinfo=NY) - firm.clerk.now()
            scheduler = Scheduler(firm.clerk)
            try:
                scheduler.catch_up()
            finally:
                scheduler.leader.release()
            if hour == 7:
                ran = sorted((job, slot) for job, slot, _status in _runs(firm))
        briefings = [row for row in outbox(firm) if row.kind == "briefing"]
        sent = [text_of(chat_arguments(row.payload)["blocks"]) for row in briefings]
    # Monday's weekly report (07:30) is a missed slot too, not a snapshot: it is caught up
    report = datetime(2026, 12, 7, 7, 30, tzinfo=NY)
    assert ran == [("briefing", friday), ("weekly_report", report)]
    assert [row.key for row in briefings] == ["briefing:U_LENA:2026-12-08"]
    assert "*ACME-1* Brief is due *today*" in sent[0]


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(
    firm: Harness, monkeypatch: pytest.MonkeyPatch, schedulers: Callable[[], Scheduler]
) -> None:
    def broken(*_: object) -> list[object]:
        raise RuntimeError("database went away")

    # The scheduler runs the jobs it was handed: hand it a briefing job that fails.
    proactive = firm.clerk.proactive
    jobs = tuple(
        dataclasses.replace(job, build=broken) if job.name == "briefing" else job
        for job in proactive.jobs
    )
    monkeypatch.setattr(firm.clerk, "proactive", dataclasses.replace(proactive, jobs=jobs))
    schedulers().catch_up()
    statuses = {job: status for job, _slot, status in _runs(firm)}
    assert statuses["briefing"] is JobRunStatus.FAILED
    assert statuses["deadline_digest"] is JobRunStatus.DONE


def test_a_shifted_trigger_fires_at_real_time_minus_the_offset() -> None:
    offset = timedelta(days=10, hours=3)
    inner = CronTrigger(hour=8, minute=0, timezone=NY)
    shifted = ShiftedTrigger(inner, offset)
    real_now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    virtual_now = real_now + offset  # Thu 3 Dec 15:00 UTC = 10:00 New York
    fire = shifted.get_next_fire_time(None, real_now)
    assert fire is not None
    assert fire + offset == datetime(2026, 12, 4, 8, 0, tzinfo=NY)
    assert fire > real_now and fire + offset > virtual_now
    following = shifted.get_next_fire_time(fire, fire + timedelta(seconds=1))
    assert following is not None and following - fire == timedelta(days=1)


def test_start_registers_every_job_on_clerks_clock_and_stops(firm: Harness) -> None:
    scheduler = Scheduler(firm.clerk).start()
    try:
        ids = {job.id for job in scheduler.aps.get_jobs()}
        assert {"deadline_digest", "briefing"} <= ids
        assert {"overdue_accounts", "delivery"} <= ids
        digest = scheduler.aps.get_job("deadline_digest")
        assert isinstance(digest.trigger, ShiftedTrigger)  # the clock is moved to 4 Dec
        assert digest.coalesce and digest.max_instances == 1 and digest.misfire_grace_time == 3600
        virtual = digest.next_run_time + firm.clerk.clock.offset
        assert virtual == datetime(2026, 12, 7, 8, 0, tzinfo=NY)  # Friday's has just passed
        briefing = scheduler.aps.get_job("briefing").next_run_time + firm.clerk.clock.offset
        assert briefing == datetime(2026, 12, 7, 8, 0, tzinfo=NY)  # working mornings only
    finally:
        scheduler.stop()


@pytest.mark.skipif(not PG_URL, reason="the advisory lock is PostgreSQL's")
def test_only_one_process_leads_on_postgresql(firm: Harness) -> None:
    first, second = Leader(firm.clerk), Leader(firm.clerk)
    try:
        assert first.holds() is True
        assert first.holds() is True  # still ours
        assert second.holds() is False
        first.release()  # the leader dies: its connection (and lock) goes
        assert second.holds() is True
        assert first.holds() is False
    finally:
        first.release()
        second.release()


def test_a_follower_runs_nothing(
    firm: Harness, monkeypatch: pytest.MonkeyPatch, schedulers: Callable[[], Scheduler]
) -> None:
    scheduler = schedulers()
    monkeypatch.setattr(scheduler.leader, "holds", lambda: False)
    add_deadline(firm, "Answer", date(2026, 12, 7))
    scheduler.catch_up()
    assert _runs(firm) == [] and outbox(firm) == []


@given(
    offset_minutes=st.integers(min_value=-60 * 24 * 400, max_value=60 * 24 * 400),
    real_minutes=st.integers(min_value=0, max_value=60 * 24 * 365),
)
@example(offset_minutes=-28982, real_minutes=121952)  # across DST: fired an hour early
@settings(max_examples=60, deadline=None)
def test_a_shifted_trigger_agrees_with_the_inner_trigger_on_clerks_clock(
    offset_minutes: int, real_minutes: int
) -> None:
    inner = CronTrigger(day_of_week="mon-fri", hour=8, minute=30, timezone=NY)
    offset = timedelta(minutes=offset_minutes)
    real_now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=real_minutes)
    fire = ShiftedTrigger(inner, offset).get_next_fire_time(None, real_now)
    expected = inner.get_next_fire_time(None, real_now + offset)
    assert fire is not None and expected is not None
    assert fire + offset == expected
    assert fire >= real_now
    virtual = (fire + offset).astimezone(NY)
    assert (virtual.hour, virtual.minute) == (8, 30) and virtual.weekday() < 5
