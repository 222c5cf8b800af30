"""/matter through signed HTTP: numbering, the matter card, closing; and bad input."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import Deadline, Matter, MatterStatus
from tests.clients.conftest import audit_rows, reply_text
from tests.harness import Harness


def _matter(harness: Harness, code: str) -> Matter:
    with harness.db.reading() as session:
        return session.scalars(select(Matter).where(Matter.code == code)).one()


def test_matters_are_numbered_per_client_and_take_the_clients_lawyer(firm: Harness) -> None:
    first, second = _matter(firm, "ACME-1"), _matter(firm, "ACME-2")
    assert (first.number, second.number) == (1, 2)
    assert first.lawyer_id == firm.user("U_LENA").id  # the client's lawyer by default
    assert second.lawyer_id == firm.user("U_MARK").id
    assert first.opened_on == date(2026, 11, 18)  # the firm's today
    firm.slack.command("U_LENA", "/client", 'add GLOBEX "Globex Holdings"')
    other = firm.slack.command("U_SAM", "/matter", 'add globex "Harbor Street lease" lawyer @mark')
    assert "Opened matter *GLOBEX-1* Harbor Street lease" in reply_text(other)
    assert _matter(firm, "GLOBEX-1").lawyer_id == firm.user("U_MARK").id


def test_numbers_are_never_reused_after_a_close(firm: Harness) -> None:
    firm.slack.command("U_LENA", "/matter", "close ACME-2 merged into ACME-1")
    third = firm.slack.command("U_LENA", "/matter", 'add ACME "Third"')
    assert "*ACME-3*" in reply_text(third)


def test_the_matter_card(firm: Harness) -> None:
    firm.slack.command("U_LENA", "/contact", "ACME-1 meeting walked the site with the GC")
    with firm.db.unit_of_work("test-setup") as session:
        matter = session.scalars(select(Matter).where(Matter.code == "ACME-1")).one()
        session.add(Deadline(matter_id=matter.id, title="Reply brief", due_on=date(2026, 12, 3)))
    card = firm.slack.command("U_BILL", "/matter", "acme-1")
    text = reply_text(card)
    assert card.replies[0]["response_type"] == "ephemeral"
    assert "ACME-1 · Lease dispute" in text and "Acme Corporation" in text
    assert "Thu 3 Dec 2026 · Reply brief" in text and "walked the site" in text


def test_closing_keeps_history_and_asks_when_deadlines_are_open(firm: Harness) -> None:
    with firm.db.unit_of_work("test-setup") as session:
        matter = session.scalars(select(Matter).where(Matter.code == "ACME-1")).one()
        session.add(Deadline(matter_id=matter.id, title="Reply brief", due_on=date(2026, 12, 3)))
    before = audit_rows(firm)
    asked = firm.slack.command("U_LENA", "/matter", "close ACME-1 settled")
    assert "still has 1 open deadline(s) (next: Thu 3 Dec 2026)" in reply_text(asked)
    assert audit_rows(firm) == before and _matter(firm, "ACME-1").status is MatterStatus.OPEN
    button = asked.replies[0]["blocks"][1]["elements"][0]
    closed = firm.slack.action("U_LENA", button["action_id"], button["value"])
    assert "Closed matter *ACME-1*" in reply_text(closed)
    assert "1 open deadline(s) stay open" in reply_text(closed)
    matter = _matter(firm, "ACME-1")
    assert matter.status is MatterStatus.CLOSED and matter.close_reason == "settled"
    assert matter.closed_on == date(2026, 11, 18)
    # a matter without open deadlines closes at once
    direct = firm.slack.command("U_SAM", "/matter", "close ACME-2")
    assert "Closed matter *ACME-2*" in reply_text(direct)
    shown = reply_text(firm.slack.command("U_SAM", "/matter", "ACME-1"))
    assert "closed on Wed 18 Nov 2026 (settled)" in shown


BAD_INPUTS = [
    ("U_LENA", "ACME-9", "There is no matter `ACME-9`"),
    ("U_LENA", "NOPE-1", "There is no matter `NOPE-1`"),
    ("U_LENA", "ACME", "not a matter code"),
    ("U_LENA", 'add NOPE "Title"', "There is no client `NOPE`"),
    ("U_LENA", 'add ACMEE "Title"', "Did you mean `ACME`"),
    ("U_LENA", "add ACME Lease dispute two", "put it in quotes"),
    ("U_LENA", 'add ACME "Title" lawyer <@U_GHOST|ghost>', "not an active member"),
    ("U_LENA", "add ACME", "Give the client code and a title"),
    ("U_LENA", 'add ACME ""', "Give the matter a title"),
    ("U_LENA", "close ACME-9", "There is no matter `ACME-9`"),
    ("U_LENA", "close", "Say which matter"),
    ("U_BILL", 'add ACME "Billing cannot"', "does not allow"),
    ("U_BILL", "close ACME-1", "does not allow"),
    ("U_LENA", "ACME-1 extra", "I don't know `/matter ACME-1"),
]


def test_bad_input_gets_a_clear_ephemeral_reply_and_writes_nothing(firm: Harness) -> None:
    firm.slack.command("U_LENA", "/matter", "close ACME-2 done")
    cases = [*BAD_INPUTS, ("U_LENA", "close ACME-2", "already closed on Wed 18 Nov 2026")]
    for who, text, expected in cases:
        before = audit_rows(firm)
        exchange = firm.slack.command(who, "/matter", text)
        (reply,) = exchange.replies
        assert reply["response_type"] == "ephemeral", text
        assert expected in reply["text"], (text, reply["text"])
        assert audit_rows(firm) == before, text
