"""The morning deadline digest: what it lists, on which days, and how it is split."""

from __future__ import annotations

from datetime import date, datetime

from handlers import scheduled
from handlers.deadlines import digest_job as digest
from handlers.kernel import blocks
from schedules import jobs
from storage.models import DeadlineStatus
from tests.harness import Harness
from tests.schedules.conftest import NY, add_deadline, outbox, text_of

THURSDAY = date(2026, 12, 3)
FRIDAY = date(2026, 12, 4)


def _build(firm: Harness, day: date) -> list[jobs.Planned]:
    with firm.db.reading() as session:
        return digest.build(firm.clerk, session, day)


def test_a_weekday_digest_lists_missed_today_and_the_week_by_day(firm: Harness) -> None:
    add_deadline(firm, "Reply brief", date(2026, 11, 30))
    hearing_at = datetime(2026, 12, 3, 14, 30, tzinfo=NY)
    add_deadline(firm, "Hearing", THURSDAY, due_at=hearing_at, assignee="U_MARK")
    add_deadline(firm, "Expert report", date(2026, 12, 7), responsible="U_MARK")
    add_deadline(firm, "Outside the week", date(2026, 12, 11))
    add_deadline(firm, "Service of complaint", date(2026, 12, 8), is_trigger=True)
    add_deadline(firm, "Already filed", date(2026, 12, 8), status=DeadlineStatus.DONE)
    planned = _build(firm, THURSDAY)
    assert [(p.key, p.target, p.kind) for p in planned] == [
        ("digest:2026-12-03:C_DEADLINES", "C_DEADLINES", "deadline_digest")
    ]
    text = text_of(planned[0].message.blocks)
    assert text.index("Missed") < text.index("Reply brief") < text.index("Due today")
    assert text.index("Due today") < text.index("Hearing") < text.index("Monday 7 Dec")
    assert "*ACME-1* Hearing · 2:30 PM · <@U_LENA>" in text
    assert "*ACME-1* Expert report · <@U_MARK>" in text
    assert "was due Mon 30 Nov" in text
    for absent in ("Outside the week", "Service of complaint", "Already filed"):
        assert absent not in text
    assert "1 missed · 1 due today · 1 through Thu 10 Dec" in text
    blocks.validate(planned[0].message.blocks)


def test_friday_looks_through_the_monday_after_next_week(firm: Harness) -> None:
    add_deadline(firm, "Monday after next", date(2026, 12, 14))
    assert _build(firm, THURSDAY) == []  # beyond Thursday's 7 days: nothing to post
    friday = _build(firm, FRIDAY)
    assert "Monday after next" in text_of(friday[0].message.blocks)
    assert digest.horizon(FRIDAY) == date(2026, 12, 14)
    assert digest.horizon(THURSDAY) == date(2026, 12, 10)


def test_nothing_is_posted_on_weekends_holidays_or_closure_days(firm: Harness) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7))
    assert _build(firm, date(2026, 12, 5)) == []  # Saturday
    assert _build(firm, date(2026, 12, 6)) == []  # Sunday
    assert _build(firm, date(2026, 12, 25)) == []  # Christmas Day
    assert _build(firm, date(2026, 12, 24)) != []
    admin = firm.clerk.directory.actor("U_ADMIN")
    firm.clerk.firm.add_closure(admin, date(2026, 12, 24), "Office closed")
    firm.clerk.forget_calendar()
    assert _build(firm, date(2026, 12, 24)) == []


def test_an_empty_digest_posts_nothing_unless_the_firm_wants_it(firm: Harness) -> None:
    add_deadline(firm, "Far off", date(2027, 3, 1))
    assert _build(firm, THURSDAY) == []
    firm.clerk.firm.set(firm.clerk.directory.actor("U_ADMIN"), "post_empty_digests", "on")
    planned = _build(firm, THURSDAY)
    assert len(planned) == 1
    assert "Nothing due through Thu 10 Dec" in text_of(planned[0].message.blocks)


def test_a_busy_week_is_split_into_messages_slack_accepts(firm: Harness) -> None:
    for n in range(250):
        add_deadline(firm, f"Filing number {n} " + "x" * 150, date(2026, 12, 7 + n % 3))
    planned = _build(firm, THURSDAY)
    assert len(planned) > 1
    assert planned[0].key == "digest:2026-12-03:C_DEADLINES"
    assert planned[1].key == "digest:2026-12-03:C_DEADLINES:2"
    shown = ""
    for page in planned:
        blocks.validate(page.message.blocks)
        shown += text_of(page.message.blocks)
    assert all(f"Filing number {n} " in shown for n in range(250))


def test_running_the_digest_twice_queues_it_once(firm: Harness) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7))
    job = scheduled.job_named("deadline_digest")
    jobs.run_job(firm.clerk, job, THURSDAY)
    jobs.run_job(firm.clerk, job, THURSDAY)
    assert [row.key for row in outbox(firm)] == ["digest:2026-12-03:C_DEADLINES"]
