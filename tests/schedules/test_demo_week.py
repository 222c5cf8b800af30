"""A week of simulated firm life: the demo firm, Clerk's clock moved morning by morning.

Thanksgiving week 2026 (Mon 23 - Sun 29 Nov; Thursday 26 is a US federal holiday). The demo
firm is built once, dated from Monday, plus one invoice falling due on Tuesday so a stage
change happens mid-week (Monday's run is the first on the firm's data: it records the stages
it finds without telling the lawyers). Each morning the clock is set to 08:45 (after the
08:00 and 08:30 slots) and the scheduler's start-up catch-up runs, twice (a restart):
exactly what ``clerk demo --keep --at "2026-11-2X 08:45"`` does each morning (docs/demo-week.md).
Reports from other jobs (the weekly KPI report on Monday) are not this test's business and
are ignored by kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.tools.demo_firm import PEOPLE, seed
from handlers.scheduled import chat_arguments
from schedules.runner import Scheduler
from storage.models import Client, Invoice, Matter, OutboxMessage, OutboxStatus, User
from tests.harness import Harness, running_clerk
from tests.schedules.conftest import NY, outbox, text_of

MONDAY = date(2026, 11, 23)
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]
MON, TUE, WED, THU, FRI, SAT, SUN = WEEK  # THU is Thanksgiving
KINDS = {
    "deadline_digest",
    "briefing",
    "overdue_accounts",
    "collections",
    "collections_start",
}

# Each working morning's briefings: who gets one, and the deadlines it lists (the steps of
# the reminder chain, 30, 14, 7, 3, 1, 0 days before, falling on the days it speaks for).
BRIEFINGS = {
    MON: {
        "U0LENA": {
            "Opposition to motion to dismiss",  # due Mon: step 0
            "Sign revised trust documents",  # due Mon 30: step 7
            "Renewal notice to distributor",  # due Wed 23 Dec: step 30
        },
        "U0MARK": {"Reply brief"},  # due Thu: step 3
        "U0PAUL": {"Class certification motion"},  # due Mon 7 Dec: step 14
    },
    TUE: {"U0LENA": {"Hearing on motion to compel"}},  # due Wed: step 1
    # Thursday is Thanksgiving: Wednesday's briefing speaks for it (Reply brief, step 0)
    WED: {"U0LENA": {"Hearing on motion to compel"}, "U0MARK": {"Reply brief"}},
    THU: {},
    # Friday's speaks for the weekend: step 3 today, step 1 on Sunday, said once
    FRI: {"U0LENA": {"Sign revised trust documents"}},
    SAT: {},
    SUN: {},
}
TITLES = {title for day in BRIEFINGS.values() for titles in day.values() for title in titles} | {
    "Expert report"  # missed before the week: never reminded
}


@dataclass
class Week:
    """The running Clerk after the week, and the messages each morning queued."""

    firm: Harness
    days: dict[date, list[OutboxMessage]]


@pytest.fixture(scope="module")
def week(_migrated: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Week]:
    """The whole week, lived once; the tests read what it left behind."""
    from tests.conftest import fresh_database_url

    url = fresh_database_url(_migrated, tmp_path_factory.mktemp("week"))
    first_morning = datetime.combine(MONDAY, time(8, 45), tzinfo=NY)
    with running_clerk(url, at=first_morning) as firm:
        for person in PEOPLE:
            firm.standin.add_user(person.slack_id, person.handle, tz=person.tz)
        seed(firm.db, MONDAY, NY, now=firm.clerk.now())
        _add_initech_invoice_due_tuesday(firm)
        days: dict[date, list[OutboxMessage]] = {}
        for day in WEEK:
            morning = datetime.combine(day, time(8, 45), tzinfo=NY)
            if firm.clerk.now() < morning:  # never back: Monday's firm was seeded at 08:45
                firm.clerk.clock.offset = morning - datetime.now(UTC)
            before = {row.id for row in outbox(firm)}
            for _restart in range(2):
                scheduler = Scheduler(firm.clerk)
                try:
                    scheduler.catch_up()
                finally:
                    scheduler.leader.release()
            new = [row for row in outbox(firm) if row.id not in before and row.kind in KINDS]
            days[day] = new
        yield Week(firm, days)


def _add_initech_invoice_due_tuesday(firm: Harness) -> None:
    with firm.db.unit_of_work("test") as s:
        initech = s.scalars(select(Client).where(Client.code == "INITECH")).one()
        matter = s.scalars(select(Matter).where(Matter.code == "INITECH-1")).one()
        bill = s.scalars(select(User).where(User.slack_id == "U0BILL")).one()
        s.add(
            Invoice(
                number="INV-1006",
                client_id=initech.id,
                matter_id=matter.id,
                amount_cents=320_000,
                currency="USD",
                issued_on=MONDAY - timedelta(days=29),
                due_on=TUE,
                created_by_id=bill.id,
            )
        )


def _of(week: Week, day: date, kind: str) -> list[OutboxMessage]:
    return [row for row in week.days[day] if row.kind == kind]


def _shown(row: OutboxMessage) -> str:
    """What Slack is sent for the row (a reminder is queued as its facts)."""
    return text_of(chat_arguments(row.payload)["blocks"])


def _days_with(week: Week, kind: str) -> list[date]:
    return [day for day in WEEK if _of(week, day, kind)]


def test_the_digest_is_posted_on_business_days_only(week: Week) -> None:
    assert _days_with(week, "deadline_digest") == [MON, TUE, WED, FRI]  # not Thanksgiving
    for day in (MON, TUE, WED, FRI):
        (digest,) = _of(week, day, "deadline_digest")
        assert digest.target == "C_DEADLINES" and digest.key == f"digest:{day}:C_DEADLINES"
        assert f"{day:%-d %b}" in digest.payload["text"]


def test_fridays_digest_looks_ahead_through_the_weekend_to_the_monday_after(
    week: Week,
) -> None:
    wednesday = text_of(_of(week, WED, "deadline_digest")[0].payload["blocks"])
    friday = text_of(_of(week, FRI, "deadline_digest")[0].payload["blocks"])
    # due Mon 7 Dec: beyond Wednesday's 7 days and Friday's 7 days, within Friday's extra 3
    assert "Class certification motion" not in wednesday
    assert "Class certification motion" in friday and "Monday 7 Dec" in friday
    assert "Sign revised trust documents" in friday  # Monday 30 Nov, after the weekend
    assert "Expert report" in friday  # missed on Saturday 21: still listed, first


def test_one_briefing_per_person_each_working_morning(week: Week) -> None:
    for day in WEEK:
        briefings = _of(week, day, "briefing")
        assert all(row.key == f"briefing:{row.target}:{day}" for row in briefings)
        found = {row.target: {t for t in TITLES if t in _shown(row)} for row in briefings}
        assert found == BRIEFINGS[day], day  # right people, once each, the right lines


def test_overdue_accounts_on_business_days_and_stage_changes_when_they_happen(
    week: Week,
) -> None:
    assert _days_with(week, "overdue_accounts") == [MON, TUE, WED, FRI]
    posts = [row for day in WEEK for row in _of(week, day, "overdue_accounts")]
    assert {row.target for row in posts} == {"C_BILLING"}
    # Monday is the first run on the firm's data: stages recorded, the admins told, no DMs
    starts = _of(week, MON, "collections_start")
    assert sorted(row.target for row in starts) == ["U0ADA", "U_ADMIN"]
    assert "collections stage of 3 accounts" in starts[0].payload["text"]
    (initech,) = _of(week, WED, "collections")  # INV-1006 due Tuesday, a day late on Wed
    assert initech.target == "U0PAUL" and initech.key == f"collections:U0PAUL:{WED}"
    assert "INITECH" in initech.payload["text"]
    assert _days_with(week, "collections") == [WED]
    assert _days_with(week, "collections_start") == [MON]
    wednesday_post = text_of(_of(week, WED, "overdue_accounts")[0].payload["blocks"])
    assert "INITECH" in wednesday_post
    assert "INITECH" not in text_of(_of(week, TUE, "overdue_accounts")[0].payload["blocks"])


def test_key_client_cadence_and_follow_ups_on_monday(week: Week) -> None:
    briefings = {row.target: _shown(row) for row in _of(week, MON, "briefing")}
    # GLOBEX: 40 days since contact, cadence 21
    assert "Key client *GLOBEX*" in briefings["U0MARK"]
    assert "Follow-up with *GLOBEX*" in briefings["U0MARK"]
    assert "Follow-up with *ACME*" in briefings["U0LENA"]
    later = [_shown(row) for day in WEEK[1:] for row in _of(week, day, "briefing")]
    assert not [text for text in later if "Key client" in text or "Follow-up" in text]


def test_nothing_is_sent_twice_across_the_week(week: Week) -> None:
    rows = outbox(week.firm)
    assert rows and all(row.status is OutboxStatus.SENT for row in rows)
    posts = [c for c in week.firm.standin.calls("chat.postMessage") if c.ok]
    assert len(posts) == len(rows)
    assert len({(c.response["channel"], c.response["ts"]) for c in posts}) == len(rows)
    per_row = Counter((row.slack_channel, row.slack_ts) for row in rows)
    assert max(per_row.values()) == 1
    assert week.days[SAT] == []  # a quiet Saturday says nothing
