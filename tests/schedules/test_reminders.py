"""The reminder chain: the right steps, to the right people, once each, respecting snoozes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from handlers import scheduled
from handlers.deadlines import reminder_job as reminders
from handlers.kernel import blocks
from schedules import job_runs as ledger
from schedules import jobs
from schedules.delivery import deliver_due
from storage.models import Deadline, DeadlineStatus, OutboxStatus, User
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, add_deadline, outbox, text_of


def _build(firm: Harness, day: date) -> list[jobs.Planned]:
    with firm.db.reading() as session:
        return reminders.build(firm.clerk, session, day)


@pytest.mark.parametrize("step", [30, 14, 7, 3, 1, 0])
def test_each_step_of_the_chain_dms_the_lawyer(firm: Harness, step: int) -> None:
    due = FRIDAY + timedelta(days=step)
    deadline_id = add_deadline(firm, "Opposition brief", due)
    planned = _build(firm, FRIDAY)
    assert [(p.key, p.target) for p in planned] == [
        (f"reminder:{deadline_id}:{step}:{due}:U_LENA", "U_LENA")
    ]
    message = planned[0].message
    blocks.validate(message.blocks)
    when = {0: "today", 1: "tomorrow"}.get(step, f"in {step} days")
    assert f"is due *{when}*" in text_of(message.blocks)
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("reminder_done", str(deadline_id)),
        ("reminder_snooze", str(deadline_id)),
        ("reminder_reassign", str(deadline_id)),
    ]


@pytest.mark.parametrize("days_before", [2, 4, 5, 6, 8, 13, 15, 29, 31])
def test_days_between_steps_send_nothing(firm: Harness, days_before: int) -> None:
    add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=days_before))
    assert _build(firm, FRIDAY) == []


def test_missed_done_cancelled_and_trigger_deadlines_are_not_reminded(firm: Harness) -> None:
    add_deadline(firm, "Missed", FRIDAY - timedelta(days=1))
    add_deadline(firm, "Done", FRIDAY, status=DeadlineStatus.DONE)
    add_deadline(firm, "Cancelled", FRIDAY, status=DeadlineStatus.CANCELLED)
    add_deadline(firm, "Entry of judgment", FRIDAY + timedelta(days=7), is_trigger=True)
    assert _build(firm, FRIDAY) == []


def test_the_assignee_is_reminded_too_and_one_person_only_once(firm: Harness) -> None:
    both = add_deadline(firm, "Motion", FRIDAY + timedelta(days=3), assignee="U_MARK")
    same = add_deadline(firm, "Answer", FRIDAY + timedelta(days=7), assignee="U_LENA")
    nobody = add_deadline(firm, "Unowned", FRIDAY + timedelta(days=7), responsible=None)
    targets = sorted((p.key.split(":")[1], p.target) for p in _build(firm, FRIDAY))
    assert targets == sorted([(str(both), "U_LENA"), (str(both), "U_MARK"), (str(same), "U_LENA")])
    assert str(nobody) not in {t[0] for t in targets}


def test_a_timed_deadline_says_its_time(firm: Harness) -> None:
    add_deadline(firm, "Hearing", FRIDAY, due_at=datetime(2026, 12, 4, 10, 0, tzinfo=NY))
    (planned,) = _build(firm, FRIDAY)
    assert "is due *today* at 10:00 AM" in text_of(planned.message.blocks)


def test_a_snooze_silences_the_chain_and_reminds_once_when_it_ends(firm: Harness) -> None:
    deadline_id = add_deadline(
        firm,
        "Opposition brief",
        FRIDAY + timedelta(days=7),
        reminders_snoozed_until=datetime(2026, 12, 5, 8, 0, tzinfo=NY),
    )
    assert _build(firm, FRIDAY) == []  # a step (7 days before), but snoozed
    saturday = _build(firm, FRIDAY + timedelta(days=1))  # not a step; the snooze ends today
    assert [p.key for p in saturday] == [
        f"reminder:{deadline_id}:snoozed20261205:2026-12-11:U_LENA"
    ]
    assert "is due *in 6 days*" in text_of(saturday[0].message.blocks)
    assert _build(firm, FRIDAY + timedelta(days=2)) == []  # Sunday: neither
    assert len(_build(firm, FRIDAY + timedelta(days=4))) == 1  # Tuesday: 3 days before


def test_a_rerun_of_the_chain_queues_nothing_new(firm: Harness) -> None:
    add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=7), assignee="U_MARK")
    job = scheduled.job_named("reminders")
    first = jobs.run_job(firm.clerk, job, FRIDAY)
    keys = [row.key for row in outbox(firm)]
    assert len(first) == 2 and len(keys) == 2
    jobs.run_job(firm.clerk, job, FRIDAY)
    assert [row.key for row in outbox(firm)] == keys


def test_moving_the_deadline_restarts_the_chain(firm: Harness) -> None:
    deadline_id = add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=7))
    jobs.run_job(firm.clerk, scheduled.job_named("reminders"), FRIDAY)
    from storage.models import Deadline

    with firm.db.unit_of_work("test") as s:
        deadline = s.get(Deadline, deadline_id)
        assert deadline is not None
        deadline.due_on = FRIDAY + timedelta(days=14)
    jobs.run_job(firm.clerk, scheduled.job_named("reminders"), FRIDAY)
    assert [row.key.split(":")[2:4] for row in outbox(firm)] == [
        ["7", "2026-12-11"],
        ["14", "2026-12-18"],
    ]


def test_the_firm_can_change_the_steps(firm: Harness) -> None:
    add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=2))
    assert _build(firm, FRIDAY) == []
    firm.clerk.firm.set(firm.clerk.directory.actor("U_ADMIN"), "reminder_days", "10, 2")
    assert [p.key.split(":")[2] for p in _build(firm, FRIDAY)] == ["2"]


# --- each reader's own morning -------------------------------------------------------------


def _set_zone(firm: Harness, slack_id: str, zone: str | None) -> None:
    with firm.db.unit_of_work("test-setup") as session:
        session.scalars(select(User).where(User.slack_id == slack_id)).one().tz = zone


def test_a_lawyer_behind_the_firm_is_reminded_at_their_own_morning(firm: Harness) -> None:
    """Mark is in Los Angeles: the New York firm's 08:00 run holds his DM until 08:00 there."""
    add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=3), assignee="U_MARK")
    jobs.run_job(firm.clerk, scheduled.job_named("reminders"), FRIDAY)
    held = {row.target: row.not_before for row in outbox(firm)}
    la_morning = datetime(2026, 12, 4, 8, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert held == {"U_LENA": None, "U_MARK": la_morning}

    assert deliver_due(firm.clerk, owner="a") == 1  # 08:00 in New York: Lena's only
    firm.clerk.clock.offset += timedelta(hours=2, minutes=59)  # 10:59 New York, 07:59 LA
    assert deliver_due(firm.clerk, owner="a") == 0
    firm.clerk.clock.offset += timedelta(minutes=1)
    assert deliver_due(firm.clerk, owner="a") == 1
    sent = {row.target: row.status for row in outbox(firm)}
    assert sent == {"U_LENA": OutboxStatus.SENT, "U_MARK": OutboxStatus.SENT}


def test_readers_ahead_of_the_firm_or_without_a_zone_get_it_when_the_job_runs(
    firm: Harness,
) -> None:
    add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=3), assignee="U_MARK")
    _set_zone(firm, "U_LENA", "Europe/London")
    _set_zone(firm, "U_MARK", None)
    assert [p.not_before for p in _build(firm, FRIDAY)] == [None, None]
    _set_zone(firm, "U_MARK", "Mars/Olympus_Mons")  # unknown to this machine: no crash
    assert [p.not_before for p in _build(firm, FRIDAY)] == [None, None]


@pytest.mark.parametrize(
    ("day", "hours_later"),
    [
        (date(2026, 10, 30), 3),  # New York on daylight time, Phoenix never is: 3 hours apart
        (date(2026, 11, 2), 2),  # after New York falls back on Sun 1 Nov: 2 hours
        (date(2027, 3, 15), 3),  # after New York springs forward on Sun 14 Mar: 3 again
    ],
)
def test_the_hold_follows_daylight_saving_changes(
    firm: Harness, day: date, hours_later: int
) -> None:
    _set_zone(firm, "U_LENA", "America/Phoenix")
    add_deadline(firm, "Reply brief", day + timedelta(days=1))
    (planned,) = _build(firm, day)
    firm_morning = datetime.combine(day, time(8, 0), tzinfo=NY)
    assert planned.not_before is not None
    assert planned.not_before - firm_morning == timedelta(hours=hours_later)


# --- steps that fell while Clerk was down ---------------------------------------------------


def _ran_reminders_on(firm: Harness, day: date) -> None:
    slot = datetime.combine(day, time(8, 0), tzinfo=NY)
    run_id = ledger.claim_slot(firm.db, job="reminders", slot=slot, owner="test")
    assert run_id is not None
    ledger.finish(firm.db, run_id)


def _steps(firm: Harness, planned: list[jobs.Planned]) -> dict[str, str]:
    """{deadline title: the step in its reminder's key}"""
    with firm.db.reading() as session:
        titles = {row.id: row.title for row in session.execute(select(Deadline.id, Deadline.title))}
    return {titles[int(p.key.split(":")[1])]: p.key.split(":")[2] for p in planned}


def test_the_first_run_after_a_gap_sends_the_latest_missed_step(firm: Harness) -> None:
    """Last run Monday 30 Nov; down Tuesday to Thursday; Friday 4 Dec's run catches up."""
    _ran_reminders_on(firm, FRIDAY - timedelta(days=4))
    add_deadline(firm, "Seven fell Tuesday", FRIDAY + timedelta(days=4))  # due Tue 8 Dec
    add_deadline(firm, "Fourteen fell Wednesday", FRIDAY + timedelta(days=12))
    add_deadline(firm, "Seven and three both missed", FRIDAY + timedelta(days=2))
    add_deadline(firm, "Step fell Monday, sent then", FRIDAY + timedelta(days=10))
    add_deadline(firm, "Step is today", FRIDAY + timedelta(days=14))
    planned = _build(firm, FRIDAY)
    assert _steps(firm, planned) == {
        "Seven fell Tuesday": "7",
        "Fourteen fell Wednesday": "14",
        "Seven and three both missed": "3",
        "Step is today": "14",
    }
    caught_up = next(p for p in planned if "Seven fell Tuesday" in text_of(p.message.blocks))
    assert "is due *in 4 days*" in text_of(caught_up.message.blocks)  # the truth, not "7"


def test_without_a_gap_or_a_history_only_todays_steps_are_sent(firm: Harness) -> None:
    add_deadline(firm, "Seven fell yesterday", FRIDAY + timedelta(days=6))
    add_deadline(firm, "Step is today", FRIDAY + timedelta(days=7))
    assert _steps(firm, _build(firm, FRIDAY)) == {"Step is today": "7"}  # a new firm: no history
    _ran_reminders_on(firm, FRIDAY - timedelta(days=1))
    assert _steps(firm, _build(firm, FRIDAY)) == {"Step is today": "7"}  # ran yesterday: sent then


def test_catch_up_looks_back_a_week_at_most(firm: Harness) -> None:
    _ran_reminders_on(firm, FRIDAY - timedelta(days=40))
    add_deadline(firm, "Thirty fell nine days ago", FRIDAY + timedelta(days=21))
    add_deadline(firm, "Thirty fell six days ago", FRIDAY + timedelta(days=24))
    assert _steps(firm, _build(firm, FRIDAY)) == {"Thirty fell six days ago": "30"}
