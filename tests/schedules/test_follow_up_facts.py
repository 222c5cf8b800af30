"""A per-item follow-up DM queued by an older Clerk (before the morning briefing) as the
facts it states is drawn into Block Kit when it is sent, worded as of the morning it was
planned; a row queued in the older form (its blocks) is sent as it was queued, and a row
nothing can draw is failed and reported, not retried."""

from __future__ import annotations

import json
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from handlers.clients.follow_up_views import QUEUED_AS, FollowUp, FollowUpWriter
from handlers.kernel import blocks
from handlers.scheduled import chat_arguments
from schedules.delivery import deliver_due
from schedules.outbox import enqueue
from storage.models import Client, Contact, OutboxStatus
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, outbox


def _follow_up(firm: Harness, summary: str, due: date) -> int:
    with firm.db.unit_of_work("test") as s:
        contact = Contact(
            client_id=s.scalars(select(Client.id).where(Client.code == "ACME")).one(),
            summary=summary,
            occurred_at=datetime(2026, 11, 20, 10, 0, tzinfo=NY),
            follow_up_on=due,
            logged_by_id=firm.user("U_LENA").id,
        )
        s.add(contact)
        s.flush()
        return contact.id


def test_a_follow_up_an_older_clerk_queued_as_facts_is_sent_whole(firm: Harness) -> None:
    """Follow-ups now go in the morning briefing; a per-item follow-up DM queued before the
    upgrade is still drawn from its facts, worded as of the morning it was planned."""
    contact_id = _follow_up(firm, "Send <the> letter & the invoice", date(2026, 12, 1))
    follow_up = FollowUpWriter(FRIDAY).follow_up(
        client_code="ACME",
        client_name="Acme Corp",
        summary="Send <the> letter & the invoice",
        due=date(2026, 12, 1),
    )
    with firm.db.unit_of_work("system") as s:
        enqueue(
            s,
            key=f"followup:{contact_id}:2026-12-01",
            target="U_LENA",
            kind="follow_up",
            payload=follow_up.payload(),
        )
    (row,) = outbox(firm)
    assert row.payload == {
        QUEUED_AS: {
            "client_code": "ACME",
            "client_name": "Acme Corp",
            "summary": "Send <the> letter & the invoice",
            "when": "3 days ago",
            "day": "Tue 1 Dec",
        }
    }
    assert deliver_due(firm.clerk, owner="a") == 1
    (sent,) = outbox(firm)
    (posted,) = firm.standin.messages_in(str(sent.slack_channel))
    shown = follow_up.render().payload()
    assert sent.status is OutboxStatus.SENT
    assert (posted["text"], posted["blocks"]) == (shown["text"], shown["blocks"])
    assert posted["blocks"][0]["text"]["text"] == (
        ":calendar: Follow-up with *ACME* Acme Corp was due *3 days ago* (Tue 1 Dec):\n"
        "Send &lt;the&gt; letter &amp; the invoice"
    )
    assert (
        posted["blocks"][1]["elements"][0]["text"]
        == "When it's done, log it: `/contact ACME call …`"
    )


def test_a_follow_up_queued_with_its_blocks_is_sent_as_it_was_queued(firm: Harness) -> None:
    old = blocks.message("Follow up with ACME: call", blocks.section("Queued before"))
    with firm.db.unit_of_work("system") as s:
        enqueue(
            s, key="followup:1:2026-12-01", target="U_LENA", kind="follow_up", payload=old.payload()
        )
    assert deliver_due(firm.clerk, owner="a") == 1
    (row,) = outbox(firm)
    (posted,) = firm.standin.messages_in(str(row.slack_channel))
    assert row.status is OutboxStatus.SENT and posted["blocks"] == old.blocks


def test_a_queued_follow_up_nothing_can_draw_fails_and_is_reported_once(firm: Harness) -> None:
    with firm.db.unit_of_work("system") as s:
        enqueue(
            s,
            key="followup:9:2026-12-01",
            target="U_LENA",
            kind="follow_up",
            payload={QUEUED_AS: {"client_code": "ACME"}},
        )
    for _ in range(3):
        deliver_due(firm.clerk, owner="a")
    broken, report = outbox(firm)
    assert broken.status is OutboxStatus.FAILED
    assert (broken.last_error or "").startswith("unreadable queued message (KeyError")
    assert (report.kind, report.status) == ("delivery_failure", OutboxStatus.SENT)
    assert len(firm.standin.calls("chat.postMessage")) == 1  # the report, nothing else


def test_the_writer_words_each_day_as_of_its_morning() -> None:
    plan = FollowUpWriter(date(2026, 12, 4)).follow_up
    said = [
        plan(client_code="A", client_name="A", summary="s", due=due)[3:]
        for due in (date(2026, 12, 4), date(2026, 12, 3), date(2026, 11, 4))
    ]
    assert said == [
        ("today", "Fri 4 Dec"),
        ("1 day ago", "Thu 3 Dec"),
        ("30 days ago", "Wed 4 Nov"),
    ]


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=4000)


@given(
    code=st.text(min_size=1, max_size=40),
    name=texts,
    summary=texts,
    when=st.sampled_from(["today", "1 day ago", "12 days ago"]),
)
def test_the_facts_survive_the_outbox_and_always_draw_a_dm_slack_accepts(
    code: str, name: str, summary: str, when: str
) -> None:
    follow_up = FollowUp(code, name, summary, when, "Tue 1 Dec")
    stored = json.loads(json.dumps(follow_up.payload()))  # as the JSON column keeps it
    assert FollowUp.from_queued(stored[QUEUED_AS]) == follow_up
    sent = chat_arguments(stored)
    assert sent == follow_up.render().payload()
    assert len(sent["text"]) <= 300
    blocks.validate(sent["blocks"])
