"""Scheduled work with the clock frozen: the right posts on the right days, each sent once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from handlers import blocks
from schedules import jobs
from schedules.delivery import deliver_due
from schedules.dryrun import plan
from schedules.jobs import digest
from schedules.runner import Scheduler
from storage.models import (
    Client,
    Deadline,
    Matter,
    OutboxMessage,
    OutboxStatus,
    User,
)
from tests.harness import Harness, running_clerk

NY = ZoneInfo("America/New_York")


@pytest.fixture
def firm(database_url: str) -> Iterator[Harness]:
    with running_clerk(database_url) as harness:
        harness.add_people()
        lena = harness.user("U_LENA").id
        with harness.db.unit_of_work("test") as s:
            client = Client(code="ACME", name="Acme", lawyer_id=lena)
            s.add(client)
            s.flush()
            matter = Matter(
                code="ACME-1",
                client_id=client.id,
                number=1,
                title="x",
                lawyer_id=lena,
                opened_on=date(2026, 1, 1),
            )
            s.add(matter)
            s.flush()
            for title, due in [
                ("Missed brief", date(2026, 11, 30)),
                ("Answer", date(2026, 12, 4)),  # a Friday
                ("Monday motion", date(2026, 12, 7)),
                ("Far away", date(2027, 1, 3)),  # 30 days after Fri 4 Dec
            ]:
                s.add(Deadline(matter_id=matter.id, title=title, due_on=due, responsible_id=lena))
        yield harness


def _run(harness: Harness, day: date, names: list[str]) -> list[jobs.Planned]:
    found: list[jobs.Planned] = []
    for name in names:
        found += jobs.run_job(harness.clerk, jobs.job_named(name), day)
    return found


MORNING = ["deadline_digest", "reminders", "follow_ups", "key_clients"]


def test_digest_lists_missed_today_and_the_week_and_fridays_cover_monday(firm: Harness) -> None:
    thursday = digest.build
    with firm.db.reading() as session:
        thu = thursday(firm.clerk, session, date(2026, 12, 3))
        fri = thursday(firm.clerk, session, date(2026, 12, 4))
    text_thu = str(thu[0].message.blocks)
    assert "Missed*" in text_thu and "Missed brief" in text_thu
    assert "Answer" in text_thu and "Monday motion" in text_thu  # within 7 days
    text_fri = str(fri[0].message.blocks)
    assert "Due today*" in text_fri and "Monday motion" in text_fri
    for planned in thu + fri:
        blocks.validate(planned.message.blocks)
        assert planned.target == "C_DEADLINES"


def test_no_digest_on_weekends_or_holidays(firm: Harness) -> None:
    with firm.db.reading() as session:
        assert digest.build(firm.clerk, session, date(2026, 12, 5)) == []  # Saturday
        assert digest.build(firm.clerk, session, date(2026, 12, 25)) == []  # Christmas


def test_reminders_follow_the_chain_and_a_rerun_queues_nothing_new(firm: Harness) -> None:
    day = date(2026, 12, 4)  # Answer due today (0), Monday motion in 3, Far away in 30
    first = [p for p in _run(firm, day, MORNING) if p.kind == "deadline_reminder"]
    assert sorted(p.key.split(":")[2] for p in first) == ["0", "3", "30"]
    count = firm.count(OutboxMessage)
    _run(firm, day, MORNING)
    assert firm.count(OutboxMessage) == count


def test_delivery_sends_once_and_retries_429_and_500(firm: Harness) -> None:
    _run(firm, date(2026, 12, 3), ["deadline_digest"])
    firm.standin.fail_next("chat.postMessage", status=500, times=3)  # beyond slack-sdk's retries
    deliver_due(firm.clerk, owner="t")
    with firm.db.reading() as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert row.status is OutboxStatus.PENDING and row.attempts == 1
    with firm.db.unit_of_work("test") as session:
        session.scalars(select(OutboxMessage)).one().next_attempt_at = firm.clerk.now()
    deliver_due(firm.clerk, owner="t")
    deliver_due(firm.clerk, owner="t")
    with firm.db.reading() as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert row.status is OutboxStatus.SENT and row.slack_ts
    posted = [c for c in firm.standin.calls("chat.postMessage") if c.status == 200]
    assert len(posted) == 1


def test_channel_not_found_is_reported_to_admins_once_and_not_retried(firm: Harness) -> None:
    _run(firm, date(2026, 12, 3), ["deadline_digest"])
    firm.standin.fail_next("chat.postMessage", error="channel_not_found")
    deliver_due(firm.clerk, owner="t")
    deliver_due(firm.clerk, owner="t")
    deliver_due(firm.clerk, owner="t")
    with firm.db.reading() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert rows[0].status is OutboxStatus.FAILED and rows[0].last_error == "channel_not_found"
    reports = [r for r in rows if r.kind == "delivery_failure"]
    assert [r.target for r in reports] == ["U_ADMIN"]
    assert reports[0].status is OutboxStatus.SENT


def test_a_row_left_sending_by_a_killed_process_is_sent_once_later(firm: Harness) -> None:
    _run(firm, date(2026, 12, 3), ["deadline_digest"])
    from datetime import timedelta

    with firm.db.unit_of_work("test") as session:
        row = session.scalars(select(OutboxMessage)).one()
        row.status = OutboxStatus.SENDING
        row.claimed_at = firm.clerk.now() - timedelta(minutes=11)
    deliver_due(firm.clerk, owner="t")
    deliver_due(firm.clerk, owner="t")
    assert len([c for c in firm.standin.calls("chat.postMessage") if c.status == 200]) == 1


def test_a_slot_runs_once_even_when_two_schedulers_try(firm: Harness) -> None:
    slot = datetime(2026, 12, 3, 8, 0, tzinfo=NY)
    a, b = Scheduler(firm.clerk), Scheduler(firm.clerk)
    a.run_slot("deadline_digest", slot)
    count = firm.count(OutboxMessage)
    b.run_slot("deadline_digest", slot)
    assert firm.count(OutboxMessage) == count > 0


def test_dry_run_lists_the_mornings_messages_and_writes_nothing(firm: Harness) -> None:
    found = plan(firm.clerk, datetime(2026, 12, 4, 8, 45, tzinfo=NY))
    kinds = {item.kind for _when, item in found}
    assert {"deadline_digest", "deadline_reminder"} <= kinds
    assert all(when.hour == 8 for when, _ in found)
    assert firm.count(OutboxMessage) == 0
    early = plan(firm.clerk, datetime(2026, 12, 4, 7, 0, tzinfo=NY))
    assert early == []


def test_reminder_buttons_mark_done_and_update_the_dm(firm: Harness) -> None:
    with firm.db.reading() as session:
        deadline_id = session.scalars(select(Deadline.id).where(Deadline.title == "Answer")).one()
    message = {
        "ts": "1700000000.000100",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}],
    }
    exchange = firm.slack.action(
        "U_LENA",
        "reminder_done",
        str(deadline_id),
        channel_id="DU_LENA",
        message=message,
        ephemeral=False,
    )
    updates = exchange.calls_to("chat.update")
    assert len(updates) == 1 and "marked done" in updates[0].params["text"]
    with firm.db.reading() as session:
        assert session.get(Deadline, deadline_id).status.value == "done"  # type: ignore[union-attr]
    refused = firm.slack.action("U_BILL", "reminder_snooze", str(deadline_id), channel_id="DU_BILL")
    assert "does not allow" in str(refused.replies)
    assert firm.count(User) == 6
