"""`/matter edit MATTER FIELD VALUE` through signed HTTP: each field as typed, who may change
what (budget and lawyer: the matter's responsible lawyer, a partner or an admin), and every
refusal an ephemeral reply that writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from storage.models import AuditLog, Matter, User
from tests.clients.conftest import audit_rows, reply_text
from tests.harness import Harness


def _say(firm: Harness, user: str, text: str) -> str:
    exchange = firm.slack.command(user, "/matter", text)
    assert exchange.replies and exchange.replies[0]["response_type"] == "ephemeral"
    return reply_text(exchange)


def _matter(firm: Harness, code: str = "ACME-1") -> Matter:
    with firm.db.reading() as session:
        return session.scalars(select(Matter).where(Matter.code == code)).one()


def _terms(firm: Harness, code: str = "ACME-1") -> tuple[Any, ...]:
    m = _matter(firm, code)
    return (m.title, m.practice_area, m.fee_arrangement, m.budget_cents, m.lawyer_id, m.status)


def _matter_audits(firm: Harness, code: str = "ACME-1") -> list[AuditLog]:
    matter_id = str(_matter(firm, code).id)
    with firm.db.reading() as session:
        return list(
            session.scalars(
                select(AuditLog)
                .where(AuditLog.entity == "matters", AuditLog.entity_id == matter_id)
                .order_by(AuditLog.id)
            )
        )


def test_each_field_is_stored_as_typed_and_audited_with_who_changed_it(firm: Harness) -> None:
    said = _say(firm, "U_LENA", "edit ACME-1 budget $12,500.50")
    assert "budget is now $12,500.50" in said and "It was —" in said
    said = _say(firm, "U_SAM", "edit ACME-1 practice-area   Mergers <!here> &  acquisitions")
    assert "Mergers &lt;!here&gt; &amp; acquisitions" in said and "<!here>" not in said
    assert "fee arrangement is now pro-bono" in _say(
        firm, "U_SAM", "edit ACME-1 fee-arrangement Pro bono"
    )
    said = _say(firm, "U_SAM", "edit  ACME-1  title  \u201cLease *dispute* <@U_PAUL>\u201d")
    assert "Lease *dispute* &lt;@U_PAUL&gt;" in said
    assert "lawyer is now <@U_MARK>" in _say(firm, "U_LENA", "edit ACME-1 lawyer <@U_MARK|mark>")
    mark = firm.user("U_MARK").id
    assert _terms(firm)[:5] == (
        "Lease *dispute* <@U_PAUL>",
        "Mergers <!here> & acquisitions",
        "pro-bono",
        1_250_050,
        mark,
    )
    changes = [(a.actor, a.before, a.after) for a in _matter_audits(firm)[1:]]  # [0]: opened
    assert [(actor, sorted(after)) for actor, _before, after in changes] == [
        ("U_LENA", ["budget_cents"]),
        ("U_SAM", ["practice_area"]),
        ("U_SAM", ["fee_arrangement"]),
        ("U_SAM", ["title"]),
        ("U_LENA", ["lawyer_id"]),
    ]
    assert changes[0][1:] == ({"budget_cents": None}, {"budget_cents": 1_250_050})
    card = _say(firm, "U_PAUL", "ACME-1")
    assert "Mergers &lt;!here&gt; &amp; acquisitions" in card and "pro-bono" in card
    assert "<!here>" not in card


def test_a_value_is_cleared_with_a_dash(firm: Harness) -> None:
    _say(firm, "U_LENA", "edit ACME-1 budget 5000")
    _say(firm, "U_LENA", "edit ACME-1 practice-area Tax")
    _say(firm, "U_LENA", "edit ACME-1 fee-arrangement hourly")
    for field in ("budget", "practice-area", "fee-arrangement"):
        assert "is now —" in _say(firm, "U_LENA", f"edit ACME-1 {field} -")
    assert _terms(firm)[1:4] == (None, None, None)


# (who, what they type, allowed). ACME-1 is Lena's matter, ACME-2 Mark's; ACME is Lena's.
WHO = [
    ("U_SAM", "edit ACME-1 title Lease", True),
    ("U_SAM", "edit ACME-1 practice-area Real estate", True),
    ("U_SAM", "edit ACME-1 fee-arrangement fixed", True),
    ("U_SAM", "edit ACME-1 budget 100", False),
    ("U_SAM", "edit ACME-1 lawyer <@U_SAM|sam>", False),
    ("U_MARK", "edit ACME-1 practice-area Leasing", True),
    ("U_MARK", "edit ACME-1 budget 100", False),
    ("U_MARK", "edit ACME-2 budget 100", True),
    ("U_MARK", "edit ACME-2 lawyer <@U_LENA|lena>", True),
    ("U_LENA", "edit ACME-2 budget 100", False),  # the client's lawyer, not the matter's
    ("U_PAUL", "edit ACME-2 budget 100", True),
    ("U_ADMIN", "edit ACME-1 lawyer <@U_MARK|mark>", True),
    ("U_BILL", "edit ACME-1 practice-area Tax", False),
    ("U_BILL", "edit ACME-1 budget 100", False),
]


@pytest.mark.parametrize(("user", "text", "allowed"), WHO)
def test_who_may_change_what(firm: Harness, user: str, text: str, allowed: bool) -> None:
    code = text.split()[1]
    before, audits = _terms(firm, code), audit_rows(firm)
    said = _say(firm, user, text)
    if allowed:
        assert "Updated" in said and _terms(firm, code) != before
        assert audit_rows(firm) > audits
    else:
        assert "does not allow" in said and "Updated" not in said
        assert (_terms(firm, code), audit_rows(firm)) == (before, audits)


def test_the_clients_lawyer_answers_for_a_matter_that_names_none(firm: Harness) -> None:
    with firm.db.unit_of_work("test-setup") as session:
        session.scalars(select(Matter).where(Matter.code == "ACME-1")).one().lawyer_id = None
    assert "does not allow" in _say(firm, "U_MARK", "edit ACME-1 budget 100")
    assert "budget is now $100.00" in _say(firm, "U_LENA", "edit ACME-1 budget 100")


BAD = [
    ("edit ACME-9 budget 100", "There is no matter"),
    ("edit ACME budget 100", "Say which matter, field and value"),
    ("edit ACME-1 budget", "Say which matter, field and value"),
    ("edit ACME-1 colour blue", "not something `/matter edit` changes"),
    ("edit ACME-1 budget -500", "negative amount"),
    ("edit ACME-1 budget 0", "more than zero"),
    ("edit ACME-1 budget 12.500", "12.500"),  # twelve and a half, or twelve thousand?
    ("edit ACME-1 budget 12,50", "12,50"),
    ("edit ACME-1 budget 2m", "2m"),
    ("edit ACME-1 budget EUR 500", "kept in USD"),
    ("edit ACME-1 budget lots", "lots"),
    ("edit ACME-1 fee-arrangement barter", "hourly, fixed, capped, contingency, retainer"),
    ("edit ACME-1 title -", "Give the matter a title"),
    ("edit ACME-1 title " + "x" * 301, "the most is 300"),
    ("edit ACME-1 practice-area " + "y" * 121, "at most 120 characters"),
    ("edit ACME-1 lawyer bob", "is not a person"),
    ("edit ACME-1 lawyer -", "always has a responsible lawyer"),
    ("edit ACME-1 lawyer <@U_GHOST|ghost>", "U_GHOST"),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[t[:40] for t, _ in BAD])
def test_bad_edits_are_refused_clearly_and_write_nothing(
    firm: Harness, text: str, expected: str
) -> None:
    before, audits, people = _terms(firm), audit_rows(firm), firm.count(User)
    said = _say(firm, "U_LENA", text)
    assert expected in said and "Updated" not in said
    assert (_terms(firm), audit_rows(firm), firm.count(User)) == (before, audits, people)


def test_a_closed_matter_takes_no_budget_but_its_title_can_be_corrected(firm: Harness) -> None:
    _say(firm, "U_MARK", "close ACME-2 done")
    before, audits = _terms(firm, "ACME-2"), audit_rows(firm)
    for typed in ("budget 1000", "budget -"):
        said = _say(firm, "U_PAUL", f"edit ACME-2 {typed}")
        assert "ACME-2 is closed: a closed matter takes no budget" in said
    assert (_terms(firm, "ACME-2"), audit_rows(firm)) == (before, audits)
    assert "title is now Renewal 2027" in _say(firm, "U_MARK", "edit ACME-2 title Renewal 2027")


def test_a_refused_lawyer_change_looks_no_one_up(firm: Harness) -> None:
    """Staff may not hand a matter over: refused before the new lawyer's mention is looked up
    in Slack, so not even a user row for a member Clerk has not met is written."""
    firm.standin.add_user("U_NEWBIE", "newbie", tz="America/New_York", real_name="Nia Newbie")
    before, people = audit_rows(firm), firm.count(User)
    assert "does not allow" in _say(firm, "U_SAM", "edit ACME-1 lawyer <@U_NEWBIE|newbie>")
    assert (audit_rows(firm), firm.count(User)) == (before, people)


def test_a_forged_request_changes_nothing(firm: Harness) -> None:
    before, audits = _terms(firm), audit_rows(firm)
    exchange = firm.slack.command(
        "U_PAUL", "/matter", "edit ACME-1 budget 1", signature="v0=" + "0" * 64
    )
    assert exchange.status == 401 and exchange.replies == []
    assert (_terms(firm), audit_rows(firm)) == (before, audits)
