"""A reminder DM is queued as the facts it states and drawn into Block Kit when it is sent:
Slack gets the same DM the dry run shows, a row queued in the older form (with its blocks)
is sent as it was queued, and a row nothing can draw is failed and reported, not retried."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from handlers import scheduled
from handlers.deadlines.reminder_views import QUEUED_AS, Reminder
from handlers.kernel import blocks
from handlers.scheduled import chat_arguments
from schedules import jobs
from schedules.delivery import deliver_due
from schedules.outbox import enqueue
from storage.models import OutboxStatus
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, add_deadline, outbox


def test_a_reminder_is_queued_as_its_facts_and_slack_gets_the_whole_dm(firm: Harness) -> None:
    deadline_id = add_deadline(
        firm,
        "Reply <brief> & exhibits",
        FRIDAY + timedelta(days=3),
        due_at=datetime(2026, 12, 7, 14, 30, tzinfo=NY),
        assignee="U_PAUL",
        citation="FRCP 12(a)(1)(A)(i)",
    )
    planned = jobs.run_job(firm.clerk, scheduled.job_named("reminders"), FRIDAY)
    assert [p.target for p in planned] == ["U_LENA", "U_PAUL"]
    rows = outbox(firm)
    facts = rows[0].payload[QUEUED_AS]
    assert rows[0].payload == {QUEUED_AS: facts} and facts["deadline_id"] == deadline_id
    assert (facts["day"], facts["time"], facts["days_before"]) == ("Mon 7 Dec 2026", "2:30 PM", 3)
    assert len(json.dumps(rows[0].payload)) < 400  # the Block Kit it stands for is ~0.9 KB

    assert deliver_due(firm.clerk, owner="a") == 2
    for row, plan in zip(outbox(firm), planned, strict=True):
        assert row.status is OutboxStatus.SENT
        (posted,) = firm.standin.messages_in(str(row.slack_channel))
        shown = plan.message.payload()
        assert (posted["text"], posted["blocks"]) == (shown["text"], shown["blocks"])
        blocks.validate(posted["blocks"])
        heading = posted["blocks"][0]["text"]["text"]
        assert heading.endswith(
            "*ACME-1* Reply &lt;brief&gt; &amp; exhibits is due *in 3 days* at 2:30 PM"
        )
        buttons = [
            e["action_id"]
            for b in posted["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
        ]
        assert buttons == ["reminder_done", "reminder_snooze", "reminder_reassign"]


def test_a_reminder_queued_with_its_blocks_is_sent_as_it_was_queued(firm: Harness) -> None:
    old = blocks.message("Reminder: ACME-1 Answer is due today", blocks.section("Queued before"))
    with firm.db.unit_of_work("system") as s:
        enqueue(
            s,
            key="reminder:1:0:2026-12-04:U_LENA",
            target="U_LENA",
            kind="deadline_reminder",
            payload=old.payload(),
        )
    assert deliver_due(firm.clerk, owner="a") == 1
    (row,) = outbox(firm)
    (posted,) = firm.standin.messages_in(str(row.slack_channel))
    assert row.status is OutboxStatus.SENT and posted["blocks"] == old.blocks


def test_a_queued_reminder_nothing_can_draw_fails_and_is_reported_once(firm: Harness) -> None:
    with firm.db.unit_of_work("system") as s:
        enqueue(
            s,
            key="reminder:7:3:2026-12-07:U_LENA",
            target="U_LENA",
            kind="deadline_reminder",
            payload={QUEUED_AS: {"deadline_id": 7}},
        )
    for _ in range(3):
        deliver_due(firm.clerk, owner="a")
    broken, report = outbox(firm)
    assert broken.status is OutboxStatus.FAILED
    assert (broken.last_error or "").startswith("unreadable queued message (KeyError")
    assert (report.kind, report.target, report.status) == (
        "delivery_failure",
        "U_ADMIN",
        OutboxStatus.SENT,
    )
    assert len(firm.standin.calls("chat.postMessage")) == 1  # the report, nothing else


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=4000)


@given(
    deadline_id=st.integers(1, 2**40),
    code=st.text(min_size=1, max_size=40),
    title=texts,
    time=st.sampled_from(["", "9:00 AM", "11:59 PM"]),
    citation=st.none() | texts,
    lawyer=st.none() | st.from_regex(r"U[A-Z0-9]{8}", fullmatch=True),
    days_before=st.integers(0, 60),
)
def test_the_facts_survive_the_outbox_and_always_draw_a_dm_slack_accepts(
    deadline_id: int,
    code: str,
    title: str,
    time: str,
    citation: str | None,
    lawyer: str | None,
    days_before: int,
) -> None:
    reminder = Reminder(
        deadline_id, code, title, "Mon 7 Dec 2026", time, citation, lawyer, days_before
    )
    stored = json.loads(json.dumps(reminder.payload()))  # as the JSON column keeps it
    assert Reminder.from_queued(stored[QUEUED_AS]) == reminder
    sent = chat_arguments(stored)
    assert sent == reminder.render().payload()
    assert len(sent["text"]) <= 300
    blocks.validate(sent["blocks"])
