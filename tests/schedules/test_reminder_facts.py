"""A per-item reminder DM queued by an older Clerk (before the morning briefing) as the facts
it states is drawn into Block Kit when it is sent, a row queued in the older form (with its
blocks) is sent as it was queued, and a row nothing can draw is failed and reported, not
retried."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from handlers.deadlines.reminder_views import QUEUED_AS, Reminder
from handlers.kernel import blocks
from handlers.scheduled import chat_arguments
from schedules.delivery import deliver_due
from schedules.outbox import enqueue
from storage.models import OutboxStatus
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, add_deadline, outbox


def test_a_reminder_an_older_clerk_queued_as_facts_is_sent_whole(firm: Harness) -> None:
    """Reminders now go in the morning briefing; a per-item reminder DM queued before the
    upgrade is still drawn from its facts and sent as that Clerk planned it."""
    deadline_id = add_deadline(
        firm,
        "Reply <brief> & exhibits",
        FRIDAY + timedelta(days=3),
        due_at=datetime(2026, 12, 7, 14, 30, tzinfo=NY),
        citation="FRCP 12(a)(1)(A)(i)",
    )
    reminder = Reminder(
        deadline_id,
        "ACME-1",
        "Reply <brief> & exhibits",
        "Mon 7 Dec 2026",
        "2:30 PM",
        "FRCP 12(a)(1)(A)(i)",
        "U_LENA",
        3,
    )
    with firm.db.unit_of_work("system") as s:
        enqueue(
            s,
            key=f"reminder:{deadline_id}:3:2026-12-07:U_LENA",
            target="U_LENA",
            kind="deadline_reminder",
            payload=reminder.payload(),
        )
    assert len(json.dumps(outbox(firm)[0].payload)) < 400  # its Block Kit is ~0.9 KB
    assert deliver_due(firm.clerk, owner="a") == 1
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.SENT
    (posted,) = firm.standin.messages_in(str(row.slack_channel))
    shown = reminder.render().payload()
    assert (posted["text"], posted["blocks"]) == (shown["text"], shown["blocks"])
    blocks.validate(posted["blocks"])
    heading = posted["blocks"][0]["text"]["text"]
    assert heading.endswith(
        "*ACME-1* Reply &lt;brief&gt; &amp; exhibits is due *in 3 days* at 2:30 PM"
    )
    buttons = [
        e["action_id"] for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"]
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
