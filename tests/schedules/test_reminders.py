"""The reminder chain in the morning briefing: the right steps, to the right people, once
each, respecting snoozes, the weekend, outages and each reader's own morning."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from handlers import scheduled
from handlers.briefing import job as briefing
from handlers.briefing.views import Briefing
from handlers.deadlines.reminder_views import Reminder
from handlers.kernel import blocks
from schedules import job_runs as ledger
from schedules import jobs
from schedules.delivery import deliver_due
from storage.models import Deadline, DeadlineStatus, JobRun, OutboxStatus, User
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, add_deadline, outbox, text_of

WEDNESDAY = date(2026, 12, 2)  # mid-week: its briefing covers itself only


def at(firm: Harness, day: date, hour: int = 8) -> None:
    """Move Clerk's clock to ``hour``:00 on ``day`` in New York."""
    firm.clerk.clock.offset += datetime.combine(day, time(hour), tzinfo=NY) - firm.clerk.now()


def build(firm: Harness, day: date) -> list[jobs.Planned]:
    with firm.db.reading() as session:
        return briefing.build(firm.clerk, session, day)


def reminders(planned: jobs.Planned) -> list[Reminder]:
    content = planned.content
    assert isinstance(content, Briefing)
    return [item for item in content.items if isinstance(item, Reminder)]


def said(firm: Harness, day: date) -> dict[str, str]:
    """{deadline title: how the briefings of ``day`` word it}"""
    found: dict[str, str] = {}
    for planned in build(firm, day):
        for item in reminders(planned):
            found[item.title] = next(
                line
                for line in text_of(planned.message.blocks).split("\n")
                if f" {item.title} " in line
            )
    return found


@pytest.mark.parametrize("step", [30, 14, 7, 3, 1, 0])
def test_each_step_of_the_chain_is_a_line_in_the_lawyers_briefing(firm: Harness, step: int) -> None:
    at(firm, WEDNESDAY)
    due = WEDNESDAY + timedelta(days=step)
    deadline_id = add_deadline(firm, "Opposition brief", due)
    (planned,) = build(firm, WEDNESDAY)
    assert (planned.key, planned.target, planned.kind) == (
        "briefing:U_LENA:2026-12-02",
        "U_LENA",
        "briefing",
    )
    (item,) = reminders(planned)
    assert (item.deadline_id, item.days_before) == (deadline_id, step)
    message = planned.message
    blocks.validate(message.blocks)
    when = {0: "today", 1: "tomorrow"}.get(step, f"in {step} days")
    assert f"is due *{when}*" in text_of(message.blocks)
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("briefing_done", f"d{deadline_id}"),
        ("briefing_snooze", f"d{deadline_id}"),
        ("briefing_reassign", f"d{deadline_id}"),
    ]


@pytest.mark.parametrize("days_before", [2, 4, 5, 6, 8, 13, 15, 29, 31])
def test_days_between_steps_send_nothing(firm: Harness, days_before: int) -> None:
    at(firm, WEDNESDAY)
    add_deadline(firm, "Opposition brief", WEDNESDAY + timedelta(days=days_before))
    assert build(firm, WEDNESDAY) == []


def test_missed_done_cancelled_and_trigger_deadlines_are_not_reminded(firm: Harness) -> None:
    at(firm, WEDNESDAY)
    add_deadline(firm, "Missed", WEDNESDAY - timedelta(days=1))  # the digest says it
    add_deadline(firm, "Done", WEDNESDAY, status=DeadlineStatus.DONE)
    add_deadline(firm, "Cancelled", WEDNESDAY, status=DeadlineStatus.CANCELLED)
    add_deadline(firm, "Entry of judgment", WEDNESDAY + timedelta(days=7), is_trigger=True)
    assert build(firm, WEDNESDAY) == []


def test_the_assignee_is_reminded_too_and_one_person_only_once(firm: Harness) -> None:
    at(firm, WEDNESDAY)
    both = add_deadline(firm, "Motion", WEDNESDAY + timedelta(days=3), assignee="U_MARK")
    same = add_deadline(firm, "Answer", WEDNESDAY + timedelta(days=7), assignee="U_LENA")
    nobody = add_deadline(firm, "Unowned", WEDNESDAY + timedelta(days=7), responsible=None)
    found = {p.target: sorted(r.deadline_id for r in reminders(p)) for p in build(firm, WEDNESDAY)}
    assert found == {"U_LENA": sorted([both, same]), "U_MARK": [both]}
    assert nobody not in found["U_LENA"]


def test_a_timed_deadline_says_its_time(firm: Harness) -> None:
    at(firm, WEDNESDAY)
    add_deadline(firm, "Hearing", WEDNESDAY, due_at=datetime(2026, 12, 2, 10, 0, tzinfo=NY))
    assert "is due *today* at 10:00 AM" in said(firm, WEDNESDAY)["Hearing"]


def test_fridays_briefing_speaks_for_the_weekend_and_none_comes_on_it(firm: Harness) -> None:
    add_deadline(firm, "Due Monday", FRIDAY + timedelta(days=3))  # steps Sun (1) and Mon (0)
    add_deadline(firm, "Due Saturday", FRIDAY + timedelta(days=1))
    add_deadline(firm, "Step on Sunday", FRIDAY + timedelta(days=16))  # 14 days before: Sun
    assert said(firm, FRIDAY) == {
        "Due Monday": ":spiral_calendar_pad: *ACME-1* Due Monday is due *in 3 days* "
        "(Mon 7 Dec 2026)",
        "Due Saturday": ":spiral_calendar_pad: *ACME-1* Due Saturday is due *tomorrow* "
        "(Sat 5 Dec 2026)",
        "Step on Sunday": ":spiral_calendar_pad: *ACME-1* Step on Sunday is due *in 16 days* "
        "(Sun 20 Dec 2026)",
    }
    for weekend in (FRIDAY + timedelta(days=1), FRIDAY + timedelta(days=2)):
        at(firm, weekend)
        assert build(firm, weekend) == []
    monday = FRIDAY + timedelta(days=3)
    at(firm, monday)
    assert list(said(firm, monday)) == ["Due Monday"]  # its step 0


def test_a_snooze_silences_the_chain_and_reminds_once_when_it_ends(firm: Harness) -> None:
    at(firm, WEDNESDAY)
    deadline_id = add_deadline(
        firm,
        "Opposition brief",
        WEDNESDAY + timedelta(days=7),
        reminders_snoozed_until=datetime(2026, 12, 3, 8, 0, tzinfo=NY),
    )
    assert build(firm, WEDNESDAY) == []  # a step (7 days before), but snoozed
    thursday = WEDNESDAY + timedelta(days=1)
    at(firm, thursday)
    (planned,) = build(firm, thursday)  # not a step; the snooze ends today
    assert [r.deadline_id for r in reminders(planned)] == [deadline_id]
    assert "is due *in 6 days*" in text_of(planned.message.blocks)


def test_a_snooze_that_ends_on_the_weekend_reminds_on_monday(firm: Harness) -> None:
    """Snoozed on Friday after the briefing, until Saturday: Monday's briefing says it."""
    deadline_id = add_deadline(firm, "Reply brief", FRIDAY + timedelta(days=14))
    ran_briefing_on(firm, FRIDAY)
    with firm.db.unit_of_work("test") as s:
        deadline = s.get(Deadline, deadline_id)
        assert deadline is not None
        deadline.reminders_snoozed_until = datetime(2026, 12, 5, 10, 0, tzinfo=NY)
    monday = FRIDAY + timedelta(days=3)  # 11 days before: not a step
    at(firm, monday)
    assert "is due *in 11 days*" in said(firm, monday)["Reply brief"]
    ran_briefing_on(firm, monday)
    tuesday = monday + timedelta(days=1)
    at(firm, tuesday)
    assert build(firm, tuesday) == []  # once


def test_a_rerun_of_the_briefing_queues_nothing_new(firm: Harness) -> None:
    add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=7), assignee="U_MARK")
    job = scheduled.job_named("briefing")
    first = jobs.run_job(firm.clerk, job, FRIDAY)
    keys = [row.key for row in outbox(firm)]
    assert len(first) == 2 and keys == ["briefing:U_LENA:2026-12-04", "briefing:U_MARK:2026-12-04"]
    jobs.run_job(firm.clerk, job, FRIDAY)
    assert [row.key for row in outbox(firm)] == keys


def test_moving_the_deadline_moves_its_chain(firm: Harness) -> None:
    at(firm, WEDNESDAY)
    deadline_id = add_deadline(firm, "Opposition brief", WEDNESDAY + timedelta(days=7))
    assert "*in 7 days*" in said(firm, WEDNESDAY)["Opposition brief"]
    with firm.db.unit_of_work("test") as s:
        deadline = s.get(Deadline, deadline_id)
        assert deadline is not None
        deadline.due_on = WEDNESDAY + timedelta(days=14)
    assert "*in 14 days*" in said(firm, WEDNESDAY)["Opposition brief"]
    with firm.db.unit_of_work("test") as s:
        deadline = s.get(Deadline, deadline_id)
        assert deadline is not None
        deadline.due_on = WEDNESDAY + timedelta(days=12)
    assert build(firm, WEDNESDAY) == []


def test_the_firm_can_change_the_steps(firm: Harness) -> None:
    at(firm, WEDNESDAY)
    add_deadline(firm, "Opposition brief", WEDNESDAY + timedelta(days=2))
    assert build(firm, WEDNESDAY) == []
    firm.clerk.firm.set(firm.clerk.directory.actor("U_ADMIN"), "reminder_days", "10, 2")
    assert "*in 2 days*" in said(firm, WEDNESDAY)["Opposition brief"]


# --- each reader's own morning -------------------------------------------------------------


def _set_zone(firm: Harness, slack_id: str, zone: str | None) -> None:
    with firm.db.unit_of_work("test-setup") as session:
        session.scalars(select(User).where(User.slack_id == slack_id)).one().tz = zone


def test_a_lawyer_behind_the_firm_gets_the_briefing_at_their_own_morning(firm: Harness) -> None:
    """Mark is in Los Angeles: the New York firm's 08:00 run holds his DM until 08:00 there."""
    add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=3), assignee="U_MARK")
    jobs.run_job(firm.clerk, scheduled.job_named("briefing"), FRIDAY)
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
    assert [p.not_before for p in build(firm, FRIDAY)] == [None, None]
    _set_zone(firm, "U_MARK", "Mars/Olympus_Mons")  # unknown to this machine: no crash
    assert [p.not_before for p in build(firm, FRIDAY)] == [None, None]


@pytest.mark.parametrize(
    ("day", "hours_later"),
    [
        (date(2026, 10, 29), 3),  # New York on daylight time, Phoenix never is: 3 hours apart
        (date(2026, 11, 2), 2),  # after New York falls back on Sun 1 Nov: 2 hours
        (date(2027, 3, 16), 3),  # after New York springs forward on Sun 14 Mar: 3 again
    ],
)
def test_the_hold_follows_daylight_saving_changes(
    firm: Harness, day: date, hours_later: int
) -> None:
    at(firm, day)
    _set_zone(firm, "U_LENA", "America/Phoenix")
    add_deadline(firm, "Reply brief", day + timedelta(days=1))
    (planned,) = build(firm, day)
    firm_morning = datetime.combine(day, time(8, 0), tzinfo=NY)
    assert planned.not_before is not None
    assert planned.not_before - firm_morning == timedelta(hours=hours_later)


# --- steps that fell while Clerk was down ---------------------------------------------------


def ran_briefing_on(firm: Harness, day: date) -> None:
    """The ledger of a briefing run at 08:00 on ``day``."""
    slot = datetime.combine(day, time(8, 0), tzinfo=NY)
    run_id = ledger.claim_slot(firm.db, job="briefing", slot=slot, owner="test")
    assert run_id is not None
    ledger.finish(firm.db, run_id)
    with firm.db.unit_of_work("test") as s:
        run = s.get(JobRun, run_id)
        assert run is not None
        run.started_at = slot


def test_the_first_briefing_after_a_gap_says_what_fell_in_it(firm: Harness) -> None:
    """Last briefing Monday 30 Nov; down Tuesday to Thursday; Friday 4 Dec's catches up."""
    ran_briefing_on(firm, FRIDAY - timedelta(days=4))
    add_deadline(firm, "Seven fell Tuesday", FRIDAY + timedelta(days=4))  # due Tue 8 Dec
    add_deadline(firm, "Fourteen fell Wednesday", FRIDAY + timedelta(days=12))
    add_deadline(firm, "Due Wednesday, missed", FRIDAY - timedelta(days=2))
    add_deadline(firm, "Step fell Monday, sent then", FRIDAY + timedelta(days=10))
    add_deadline(firm, "Step is today", FRIDAY + timedelta(days=14))
    found = said(firm, FRIDAY)
    assert sorted(found) == [
        "Due Wednesday, missed",
        "Fourteen fell Wednesday",
        "Seven fell Tuesday",
        "Step is today",
    ]
    assert "is due *in 4 days*" in found["Seven fell Tuesday"]  # the truth, not "7"
    assert "was due *Wed 2 Dec 2026*: missed" in found["Due Wednesday, missed"]
    (planned,) = build(firm, FRIDAY)
    assert reminders(planned)[0].title == "Due Wednesday, missed"  # worst first


def test_without_a_gap_or_a_history_only_the_mornings_own_days_are_said(firm: Harness) -> None:
    at(firm, WEDNESDAY)
    add_deadline(firm, "Seven fell yesterday", WEDNESDAY + timedelta(days=6))
    add_deadline(firm, "Step is today", WEDNESDAY + timedelta(days=7))
    assert list(said(firm, WEDNESDAY)) == ["Step is today"]  # a new firm: no history
    ran_briefing_on(firm, WEDNESDAY - timedelta(days=1))
    assert list(said(firm, WEDNESDAY)) == ["Step is today"]  # ran yesterday: said then


def test_a_holidays_empty_run_covers_nothing(firm: Harness) -> None:
    """Thanksgiving (Thu 26 Nov) has no briefing: Friday's still says Thursday's steps if
    Wednesday's briefing did not run."""
    friday = date(2026, 11, 27)
    at(firm, friday)
    ran_briefing_on(firm, date(2026, 11, 24))  # Tuesday
    ran_briefing_on(firm, date(2026, 11, 26))  # Thanksgiving: ran, sent nothing
    add_deadline(firm, "Seven fell Wednesday", date(2026, 12, 2))
    assert "*in 5 days*" in said(firm, friday)["Seven fell Wednesday"]


def test_catch_up_looks_back_a_week_at_most(firm: Harness) -> None:
    ran_briefing_on(firm, FRIDAY - timedelta(days=42))  # a Friday six weeks ago
    add_deadline(firm, "Thirty fell nine days ago", FRIDAY + timedelta(days=21))
    add_deadline(firm, "Thirty fell six days ago", FRIDAY + timedelta(days=24))
    assert list(said(firm, FRIDAY)) == ["Thirty fell six days ago"]
