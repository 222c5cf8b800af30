"""The morning briefing as a whole: one DM per person, worst first, within Slack's limits,
queued as facts and drawn whole at delivery, exactly once."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.tools.standin.blockcheck import block_problems
from handlers import scheduled
from handlers.briefing.views import MAX_ITEMS, QUEUED_AS, Briefing, worst_first
from handlers.clients.cadence_job import KeyClientItem
from handlers.clients.follow_up_job import FollowUpItem
from handlers.deadlines.reminder_views import Reminder
from handlers.kernel import blocks
from handlers.scheduled import chat_arguments
from schedules import jobs
from schedules.delivery import deliver_due
from storage.models import Client, Contact, OutboxStatus
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, add_deadline, outbox, text_of
from tests.schedules.test_reminders import ran_briefing_on

MONDAY = date(2026, 12, 7)


def _follow_up(firm: Harness, summary: str, due: date, by: str = "U_LENA") -> int:
    with firm.db.unit_of_work("test") as s:
        contact = Contact(
            client_id=s.scalars(select(Client.id).where(Client.code == "ACME")).one(),
            summary=summary,
            occurred_at=datetime(2026, 11, 20, 10, 0, tzinfo=NY),
            follow_up_on=due,
            logged_by_id=firm.user(by).id,
        )
        s.add(contact)
        s.flush()
        return contact.id


def _build(firm: Harness, day: date) -> list[jobs.Planned]:
    with firm.db.reading() as session:
        return scheduled.job_named("briefing").build(firm.clerk, session, day)


def test_one_briefing_per_person_lists_their_items_worst_first(firm: Harness) -> None:
    """Everything Lena has to hear on Monday, after a Wednesday to Friday outage."""
    ran_briefing_on(firm, FRIDAY - timedelta(days=3))  # last briefing Tuesday 1 Dec
    firm.clerk.clock.offset += timedelta(days=3)  # Monday 7 Dec, 08:00
    with firm.db.unit_of_work("test") as s:
        s.add(
            Client(code="KEY", name="Key Holdings", lawyer_id=firm.user("U_LENA").id, is_key=True)
        )
    add_deadline(firm, "Step 7", MONDAY + timedelta(days=7))
    add_deadline(firm, "Due today", MONDAY)
    add_deadline(firm, "Missed in the outage", FRIDAY)
    add_deadline(firm, "Tomorrow", MONDAY + timedelta(days=1), assignee="U_MARK")
    _follow_up(firm, "Late call", FRIDAY - timedelta(days=1))
    _follow_up(firm, "Today's call", MONDAY)
    planned = _build(firm, MONDAY)
    assert [(p.key, p.target) for p in planned] == [
        ("briefing:U_LENA:2026-12-07", "U_LENA"),
        ("briefing:U_MARK:2026-12-07", "U_MARK"),
    ]
    lena = planned[0].content
    assert isinstance(lena, Briefing)
    assert [type(i).__name__ for i in lena.items] == [
        "Reminder",  # missed
        "FollowUpItem",  # late
        "Reminder",  # today
        "FollowUpItem",  # today
        "Reminder",  # tomorrow
        "Reminder",  # in 7 days
        "KeyClientItem",  # never contacted: last
    ]
    shown = planned[0].message
    blocks.validate(shown.blocks)
    assert block_problems(shown.blocks) == []
    assert shown.text == (
        "Your morning: 4 deadlines (1 missed, 1 due today) · 2 follow-ups · 1 key client"
    )
    lines = [b["text"]["text"] for b in shown.blocks if b["type"] == "section"]
    assert lines[0].startswith(":sunrise: *Your morning, Mon 7 Dec 2026*")
    assert "Missed in the outage was due *Fri 4 Dec 2026*: missed" in lines[1]
    assert "Late call" in lines[2] and "was due *4 days ago*" in lines[2]
    assert "Due today is due *today*" in lines[3]
    assert len(shown.blocks) == 1 + 2 * 7  # the greeting, then a line and its buttons each


def test_nothing_due_means_no_dm(firm: Harness) -> None:
    add_deadline(firm, "Far off", FRIDAY + timedelta(days=40))
    assert _build(firm, FRIDAY) == []
    assert jobs.run_job(firm.clerk, scheduled.job_named("briefing"), FRIDAY) == []
    assert outbox(firm) == []


def test_no_briefing_on_weekends_or_holidays(firm: Harness) -> None:
    add_deadline(firm, "Due Saturday", FRIDAY + timedelta(days=1))
    assert _build(firm, FRIDAY + timedelta(days=1)) == []
    assert _build(firm, date(2026, 11, 26)) == []  # Thanksgiving
    assert scheduled.job_named("briefing").runs_on(FRIDAY + timedelta(days=1)) is False


def test_a_busy_morning_shows_the_most_urgent_in_50_blocks_and_says_how_many_more(
    firm: Harness,
) -> None:
    for n in range(30):
        add_deadline(
            firm, f"Filing {n:02d} " + "x" * 150, FRIDAY + timedelta(days=(0, 3, 7)[n % 3])
        )
    for n in range(10):
        _follow_up(firm, f"Call {n} " + "y" * 500, FRIDAY)
    (planned,) = _build(firm, FRIDAY)
    assert isinstance(planned.content, Briefing) and len(planned.content.items) == 40
    message = planned.message
    blocks.validate(message.blocks)
    assert len(message.blocks) <= blocks.MAX_BLOCKS_MESSAGE
    assert block_problems(message.blocks) == []
    assert sum(len(json.dumps(b)) for b in message.blocks) < 40_000
    shown = [b for b in message.blocks if b["type"] == "section"][1:]
    assert len(shown) == MAX_ITEMS
    assert "is due *today*" in shown[0]["text"]["text"]  # the most urgent kept
    tail = message.blocks[-1]
    assert tail["type"] == "context"
    assert tail["elements"][0]["text"] == (
        f"…and {40 - MAX_ITEMS} more: `/deadline list mine` and Clerk's App Home list them all."
    )


def test_the_briefing_is_queued_as_facts_and_slack_gets_the_whole_dm(firm: Harness) -> None:
    add_deadline(firm, "Reply <brief> & exhibits", FRIDAY + timedelta(days=3))
    _follow_up(firm, "Send <the> letter", FRIDAY)
    (planned,) = jobs.run_job(firm.clerk, scheduled.job_named("briefing"), FRIDAY)
    (row,) = outbox(firm)
    assert (row.key, row.kind, row.target) == ("briefing:U_LENA:2026-12-04", "briefing", "U_LENA")
    assert list(row.payload) == [QUEUED_AS]
    assert len(json.dumps(row.payload)) < 600  # the Block Kit it stands for is ~2.5 KB
    assert deliver_due(firm.clerk, owner="a") == 1
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.SENT and row.slack_channel == "DU_LENA"
    (posted,) = firm.standin.messages_in("DU_LENA")
    shown = planned.message.payload()
    assert (posted["text"], posted["blocks"]) == (shown["text"], shown["blocks"])
    assert "Reply &lt;brief&gt; &amp; exhibits" in text_of(posted["blocks"])
    assert firm.standin.calls("conversations.open") == []


def test_the_dry_run_shows_at_most_one_morning_dm_per_person(firm: Harness) -> None:
    from schedules.dryrun import plan

    for n in range(5):
        add_deadline(firm, f"Filing {n}", FRIDAY + timedelta(days=(0, 1, 3, 7, 14)[n]))
        _follow_up(firm, f"Call {n}", FRIDAY, by="U_SAM")
    found = plan(firm.clerk, datetime(2026, 12, 4, 9, 0, tzinfo=NY))
    dms = [(when.strftime("%H:%M"), item.target) for when, item in found if item.is_dm]
    assert sorted(dms) == [("08:00", "U_LENA"), ("09:00", "U_SAM")]  # 08:00 in Chicago


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=3000)
reminders = st.builds(
    Reminder,
    st.integers(1, 2**40),
    st.text(min_size=1, max_size=40),
    texts,
    st.just("Mon 7 Dec 2026"),
    st.sampled_from(["", "9:00 AM"]),
    st.none() | texts,
    st.none() | st.from_regex(r"U[A-Z0-9]{8}", fullmatch=True),
    st.integers(-30, 60),
)
follow_ups = st.builds(
    FollowUpItem,
    st.integers(1, 2**40),
    st.integers(1, 2**40),
    st.text(min_size=1, max_size=40),
    texts,
    texts,
    st.integers(-30, 3),
    st.just("Mon 7 Dec"),
)
key_clients = st.builds(
    KeyClientItem,
    st.integers(1, 2**40),
    st.text(min_size=1, max_size=40),
    texts,
    st.none() | st.integers(0, 999),
    st.integers(1, 365),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(reminders | follow_ups | key_clients, max_size=40, unique_by=lambda i: i[0]))
def test_the_facts_survive_the_outbox_and_always_draw_a_dm_slack_accepts(items: list) -> None:
    briefing = Briefing("Mon 7 Dec 2026", worst_first(items))
    stored = json.loads(json.dumps(briefing.payload()))  # as the JSON column keeps it
    assert Briefing.from_queued(stored[QUEUED_AS]) == briefing
    sent = chat_arguments(stored)
    assert sent == briefing.render().payload()
    assert len(sent["text"]) <= 300
    blocks.validate(sent["blocks"])
    assert block_problems(sent["blocks"]) == []
    characters = sum(len(t) for t in text_of(sent["blocks"]).split("\n"))
    assert characters < 12_000


EVIL = "<!channel> <http://evil.example|click> & co"


def test_typed_text_in_a_briefing_cannot_mention_or_link(firm: Harness) -> None:
    """Titles, summaries and client names are what people typed: escaped in every line."""
    with firm.db.unit_of_work("test") as s:
        lena = firm.user("U_LENA").id
        s.add(Client(code="EVILKEY", name=EVIL, lawyer_id=lena, is_key=True))
    add_deadline(firm, EVIL, MONDAY, citation=EVIL)
    _follow_up(firm, EVIL, MONDAY)
    firm.clerk.clock.offset += timedelta(days=3)
    (planned,) = _build(firm, MONDAY)
    sent = chat_arguments(json.loads(json.dumps(planned.content.payload())))
    shown = text_of(sent["blocks"]) + sent["text"]
    assert "<!channel" not in shown and "<http" not in shown
    assert shown.count("&lt;!channel&gt;") >= 4  # title, citation, summary, name


def test_a_briefing_caught_up_late_says_the_day_it_is_read_on(firm: Harness) -> None:
    """Friday's briefing sent on Saturday (Clerk was down): its lines say "today" of Saturday,
    so its head does too, and names the morning it was meant for."""
    add_deadline(firm, "Due Saturday", FRIDAY + timedelta(days=1))
    on_time = _build(firm, FRIDAY)
    firm.clerk.clock.offset += timedelta(days=1)  # Sat 5 Dec, 08:00
    late = _build(firm, FRIDAY)
    heads = [
        text_of(chat_arguments(p.content.payload())["blocks"][:1]) for p in (on_time[0], late[0])
    ]
    assert "Your morning, Fri 4 Dec 2026" in heads[0] and "sent late" not in heads[0]
    assert "Your morning, Sat 5 Dec 2026 (the briefing of Fri 4 Dec 2026, sent late)" in heads[1]
    assert "*today*" in text_of(chat_arguments(late[0].content.payload())["blocks"])
