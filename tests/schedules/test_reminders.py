"""The reminder chain: the right steps, to the right people, once each, respecting snoozes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from handlers import blocks
from schedules import jobs
from schedules.jobs import reminders
from storage.models import DeadlineStatus
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
    job = jobs.job_named("reminders")
    first = jobs.run_job(firm.clerk, job, FRIDAY)
    keys = [row.key for row in outbox(firm)]
    assert len(first) == 2 and len(keys) == 2
    jobs.run_job(firm.clerk, job, FRIDAY)
    assert [row.key for row in outbox(firm)] == keys


def test_moving_the_deadline_restarts_the_chain(firm: Harness) -> None:
    deadline_id = add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=7))
    jobs.run_job(firm.clerk, jobs.job_named("reminders"), FRIDAY)
    from storage.models import Deadline

    with firm.db.unit_of_work("test") as s:
        deadline = s.get(Deadline, deadline_id)
        assert deadline is not None
        deadline.due_on = FRIDAY + timedelta(days=14)
    jobs.run_job(firm.clerk, jobs.job_named("reminders"), FRIDAY)
    assert [row.key.split(":")[2:4] for row in outbox(firm)] == [
        ["7", "2026-12-11"],
        ["14", "2026-12-18"],
    ]


def test_the_firm_can_change_the_steps(firm: Harness) -> None:
    add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=2))
    assert _build(firm, FRIDAY) == []
    firm.clerk.firm.set(firm.clerk.directory.actor("U_ADMIN"), "reminder_days", "10, 2")
    assert [p.key.split(":")[2] for p in _build(firm, FRIDAY)] == ["2"]
