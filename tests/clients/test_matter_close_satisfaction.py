"""`/matter close CODE [satisfaction 1-5] [REASON]`: the score is read only after the keyword,
refused outside 1-5 with nothing written, and closing a client's last open matter puts an
after-care follow-up in its responsible lawyer's morning briefing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from handlers import scheduled
from storage.models import AuditLog, Contact, Deadline, Matter, MatterStatus
from tests.clients.conftest import NOW, audit_rows, reply_text
from tests.harness import Harness


def _close(firm: Harness, user: str, text: str) -> str:
    exchange = firm.slack.command(user, "/matter", f"close {text}")
    assert exchange.replies and exchange.replies[0]["response_type"] == "ephemeral"
    return reply_text(exchange)


def _matter(firm: Harness, code: str) -> Matter:
    with firm.db.reading() as session:
        return session.scalars(select(Matter).where(Matter.code == code)).one()


def _follow_ups(firm: Harness) -> list[Contact]:
    with firm.db.reading() as session:
        return list(
            session.scalars(
                select(Contact).where(Contact.follow_up_on.is_not(None)).order_by(Contact.id)
            )
        )


@pytest.mark.parametrize(
    ("typed", "score", "reason"),
    [
        ("ACME-1 satisfaction 4 settled at mediation", 4, "settled at mediation"),
        ("ACME-1 Satisfaction 5", 5, None),
        ("ACME-1  satisfaction  1   unhappy with fees", 1, "unhappy with fees"),
        ("ACME-1 5 boxes sent to storage", None, "5 boxes sent to storage"),
        ("ACME-1 3", None, "3"),
        ("ACME-1 satisfactory outcome", None, "satisfactory outcome"),
        ("ACME-1", None, None),
    ],
)
def test_the_score_is_read_only_after_the_keyword(
    firm: Harness, typed: str, score: int | None, reason: str | None
) -> None:
    said = _close(firm, "U_LENA", typed)
    assert "Closed matter *ACME-1*" in said
    assert (f"Client satisfaction recorded: {score} of 5" in said) is (score is not None)
    m = _matter(firm, "ACME-1")
    assert (m.status, m.satisfaction, m.close_reason) == (MatterStatus.CLOSED, score, reason)
    if score is not None:
        card = reply_text(firm.slack.command("U_SAM", "/matter", "ACME-1"))
        assert f"{score} of 5" in card


@pytest.mark.parametrize(
    "typed",
    [
        "satisfaction 0 done",
        "satisfaction 6",
        "satisfaction 4.5 settled",
        "satisfaction four",
        "satisfaction -1",
        "satisfaction \u0664",  # an Arabic-Indic four: a digit to Python, not to a partner
        "satisfaction",
    ],
)
def test_a_score_outside_one_to_five_is_refused_and_nothing_is_written(
    firm: Harness, typed: str
) -> None:
    before = audit_rows(firm)
    said = _close(firm, "U_LENA", f"ACME-1 {typed}")
    assert "Satisfaction is a whole number from 1 (very unhappy) to 5 (delighted)" in said
    assert "Closed matter" not in said
    assert audit_rows(firm) == before and _matter(firm, "ACME-1").status is MatterStatus.OPEN


def test_the_score_survives_the_open_deadlines_question(firm: Harness) -> None:
    with firm.db.unit_of_work("test-setup") as session:
        matter = session.scalars(select(Matter).where(Matter.code == "ACME-1")).one()
        session.add(Deadline(matter_id=matter.id, title="Reply brief", due_on=date(2026, 12, 3)))
    asked = firm.slack.command("U_LENA", "/matter", "close ACME-1 satisfaction 2 lost at trial")
    assert _matter(firm, "ACME-1").status is MatterStatus.OPEN
    button = asked.replies[0]["blocks"][1]["elements"][0]
    closed = reply_text(firm.slack.action("U_LENA", button["action_id"], button["value"]))
    assert "Client satisfaction recorded: 2 of 5" in closed
    m = _matter(firm, "ACME-1")
    assert (m.satisfaction, m.close_reason) == (2, "lost at trial")


def test_closing_the_last_open_matter_schedules_after_care_for_its_lawyer(firm: Harness) -> None:
    first = _close(firm, "U_LENA", "ACME-1 satisfaction 4 settled")
    assert "after-care" not in first and _follow_ups(firm) == []  # ACME-2 is still open
    last = _close(firm, "U_SAM", "ACME-2 renewal signed")  # Sam closes Mark's matter
    due = NOW.date() + timedelta(days=30)
    assert "after-care follow-up is in the responsible lawyer's briefing on Fri 18 Dec 2026" in (
        last
    )
    (follow,) = _follow_ups(firm)
    assert (follow.follow_up_on, follow.matter_id, follow.logged_by_id) == (
        due,
        _matter(firm, "ACME-2").id,
        firm.user("U_MARK").id,  # ACME-2's responsible lawyer, not ACME's (Lena) nor Sam
    )
    assert follow.summary.startswith("ACME-2 (Renewal) closed, the client's last open matter")
    with firm.db.reading() as session:
        written = session.scalars(
            select(AuditLog).where(
                AuditLog.entity == "contacts", AuditLog.entity_id == str(follow.id)
            )
        ).one()
    assert written.actor == "U_SAM"  # who closed the matter, in the audit trail


def test_the_after_care_follow_up_is_in_the_lawyers_briefing_that_morning(firm: Harness) -> None:
    _close(firm, "U_LENA", "ACME-1")
    _close(firm, "U_MARK", "ACME-2 \u201cdone\u201d <!channel>")
    due = NOW.date() + timedelta(days=30)
    with firm.db.unit_of_work("test") as session:
        planned = scheduled.job_named("briefing").build(firm.clerk, session, due)
        session.rollback()
    marks = [p for p in planned if p.target == "U_MARK"]
    assert len(marks) == 1
    assert "ACME-2 (Renewal) closed" in str(marks[0].message.payload())
    assert not [p for p in planned if "ACME-2 (Renewal)" in str(p.message.payload())][1:]


def test_the_after_care_delay_is_a_firm_setting_and_zero_turns_it_off(firm: Harness) -> None:
    said = reply_text(
        firm.slack.command("U_ADMIN", "/clerk", "settings post_matter_follow_up_days 10")
    )
    assert "post_matter_follow_up_days" in said
    refused = reply_text(
        firm.slack.command("U_ADMIN", "/clerk", "settings post_matter_follow_up_days soon")
    )
    assert "whole number of days from 0 (off)" in refused
    _close(firm, "U_LENA", "ACME-1")
    _close(firm, "U_LENA", "ACME-2")
    assert [c.follow_up_on for c in _follow_ups(firm)] == [NOW.date() + timedelta(days=10)]
    firm.slack.command("U_ADMIN", "/clerk", "settings post_matter_follow_up_days 0")
    firm.slack.command("U_LENA", "/matter", 'add ACME "Lease renewal"')
    assert "after-care" not in _close(firm, "U_LENA", "ACME-3")
    assert len(_follow_ups(firm)) == 1
