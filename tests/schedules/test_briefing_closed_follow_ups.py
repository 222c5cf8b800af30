"""A follow-up closed by a colleague is told to its owner in their next briefing, once.

ACME is Lena's client, so a contact Lena logs closes everyone's follow-ups with ACME that are
due (``bot.clients.contacts``); Mark's and Sam's owners hear of it the next morning, in a line
with no buttons. Driven through ``/contact`` over signed HTTP and the briefing job with its
delivery.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from bot.clients.contacts import ContactInput, record_contact
from handlers import scheduled
from handlers.briefing.views import Briefing
from handlers.clients.follow_up_job import ClosedFollowUpItem
from handlers.kernel import blocks
from schedules import jobs
from schedules.delivery import deliver_due
from storage.models import Client, Contact
from tests.deadlines.helpers import last, shown
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, text_of
from tests.schedules.test_reminders import ran_briefing_on

THURSDAY = FRIDAY - timedelta(days=1)
MONDAY = FRIDAY + timedelta(days=3)


def _follow_up(firm: Harness, summary: str, due: date, by: str) -> int:
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


def _at(firm: Harness, when: datetime) -> None:
    firm.clerk.clock.offset += when - firm.clerk.now()


def _briefings(firm: Harness, day: date) -> dict[str, Briefing]:
    with firm.db.reading() as session:
        planned = scheduled.job_named("briefing").build(firm.clerk, session, day)
    return {p.target: p.content for p in planned}  # type: ignore[misc]


def _closed(briefing: Briefing | None) -> list[ClosedFollowUpItem]:
    items = briefing.items if briefing else ()
    return [item for item in items if isinstance(item, ClosedFollowUpItem)]


def test_the_owner_hears_in_the_next_briefing_once(firm: Harness) -> None:
    ran_briefing_on(firm, THURSDAY)
    mark_call = _follow_up(firm, "Call about the <lease> & renewal", THURSDAY, "U_MARK")
    _follow_up(firm, "Send the engagement letter", THURSDAY, "U_SAM")
    _follow_up(firm, "Lena's own call", THURSDAY, "U_LENA")
    _at(firm, datetime.combine(THURSDAY, time(15, 0), tzinfo=NY))
    reply = last(firm.slack.command("U_LENA", "/contact", "ACME call discussed the renewal"))
    assert "(also <@U_MARK>, <@U_SAM>'s)" in shown(reply)  # the reply names whose it closed
    with firm.db.reading() as s:
        closers = dict(s.execute(select(Contact.id, Contact.follow_up_closed_by_id)).all())
    assert closers[mark_call] == firm.user("U_LENA").id

    _at(firm, datetime.combine(FRIDAY, time(8, 0), tzinfo=NY))
    friday = _briefings(firm, FRIDAY)
    (told,) = _closed(friday.get("U_MARK"))
    assert (told.contact_id, told.client_code, told.closed_by) == (mark_call, "ACME", "U_LENA")
    assert [item.summary for item in _closed(friday.get("U_SAM"))] == ["Send the engagement letter"]
    assert _closed(friday.get("U_LENA")) == []  # she closed her own: nothing to tell

    jobs.run_job(firm.clerk, scheduled.job_named("briefing"), FRIDAY)
    _at(firm, datetime.combine(FRIDAY, time(11, 0), tzinfo=NY))  # 08:00 in Mark's Los Angeles
    deliver_due(firm.clerk, owner="test")
    (posted,) = firm.standin.messages_in("DU_MARK")
    blocks.validate(posted["blocks"])
    said = text_of(posted["blocks"])
    assert (
        ":handshake: Your follow-up with *ACME* Acme Corp (Thu 3 Dec) was closed by a "
        "colleague: <@U_LENA> logged a contact with the client." in said
    )
    assert "Call about the &lt;lease&gt; &amp; renewal" in said
    assert "1 follow-up closed by a colleague" in posted["text"]
    assert f"c{mark_call}-buttons" not in str(posted["blocks"])  # nothing left to do

    ran_briefing_on(firm, FRIDAY)
    _at(firm, datetime.combine(MONDAY, time(8, 0), tzinfo=NY))
    assert all(_closed(b) == [] for b in _briefings(firm, MONDAY).values())  # told once


def test_closing_your_own_follow_up_tells_nobody(firm: Harness) -> None:
    ran_briefing_on(firm, THURSDAY)
    own = _follow_up(firm, "Mark's own call", THURSDAY, "U_MARK")
    _at(firm, datetime.combine(THURSDAY, time(15, 0), tzinfo=NY))
    reply = last(firm.slack.command("U_MARK", "/contact", "ACME call done it"))
    assert "This completes the follow-up due Thu 3 Dec 2026." in shown(reply)
    with firm.db.reading() as s:
        assert s.get(Contact, own).follow_up_closed_by_id is None  # type: ignore[union-attr]
    _at(firm, datetime.combine(FRIDAY, time(8, 0), tzinfo=NY))
    assert all(_closed(b) == [] for b in _briefings(firm, FRIDAY).values())


def test_a_closure_after_the_slot_waits_for_the_next_morning(firm: Harness) -> None:
    """Windows meet at the slots: closed at 08:30 Friday, after Friday's briefing was built,
    it is Monday's news, and only Monday's."""
    ran_briefing_on(firm, THURSDAY)
    _follow_up(firm, "Call back", THURSDAY, "U_MARK")
    _at(firm, datetime.combine(FRIDAY, time(8, 30), tzinfo=NY))
    with firm.db.unit_of_work("U_LENA") as s:
        record_contact(
            s,
            actor=firm.clerk.directory.actor("U_LENA"),
            data=ContactInput("ACME", "caught up"),
            now=firm.clerk.now(),
            today=FRIDAY,
        )
    assert _closed(_briefings(firm, FRIDAY).get("U_MARK")) == []
    ran_briefing_on(firm, FRIDAY)
    _at(firm, datetime.combine(MONDAY, time(8, 0), tzinfo=NY))
    assert len(_closed(_briefings(firm, MONDAY).get("U_MARK"))) == 1


def test_a_new_firms_first_briefing_looks_back_a_day(firm: Harness) -> None:
    _follow_up(firm, "Call back", THURSDAY, "U_MARK")
    _at(firm, datetime.combine(THURSDAY, time(17, 0), tzinfo=NY))
    firm.slack.command("U_LENA", "/contact", "ACME call discussed the renewal")
    _at(firm, datetime.combine(FRIDAY, time(8, 0), tzinfo=NY))
    assert len(_closed(_briefings(firm, FRIDAY).get("U_MARK"))) == 1
