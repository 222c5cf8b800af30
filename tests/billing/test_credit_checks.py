"""``/client credit-check`` through signed Slack requests: who may, what is stored and shown,
the limit-below-owed question and its *Proceed*, the declined client's ``/matter add``, and
every bad input refused with nothing written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from handlers.clients.credit import CreditAction
from storage.models import (
    AuditLog,
    Client,
    CreditCheck,
    CreditDecision,
    Matter,
    PendingConfirmation,
)
from tests.billing.helpers import said
from tests.deadlines.helpers import button, last, shown
from tests.harness import Harness

EVIL = "<!channel> see <http://x|y>"
TYPED = EVIL.replace("<", "&lt;").replace(">", "&gt;")  # as Slack sends typed text
ESCAPED = "&lt;!channel&gt; see &lt;http://x|y&gt;"


def _checks(h: Harness) -> list[CreditCheck]:
    with h.db.reading() as s:
        return list(s.scalars(select(CreditCheck).order_by(CreditCheck.id)))


def _rows(h: Harness) -> tuple[int, int, int]:
    with h.db.reading() as s:
        return (
            int(s.scalar(select(func.count()).select_from(CreditCheck)) or 0),
            int(s.scalar(select(func.count()).select_from(AuditLog)) or 0),
            int(s.scalar(select(func.count()).select_from(Matter)) or 0),
        )


def _client(h: Harness, code: str) -> Client:
    with h.db.reading() as s:
        return s.scalars(select(Client).where(Client.code == code)).one()


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        ("U_ADMIN", True),
        ("U_PAUL", True),
        ("U_BILL", True),
        ("U_LENA", False),
        ("U_MARK", False),
        ("U_SAM", False),
    ],
)
def test_the_permission_matrix(clerk_at: Harness, user: str, allowed: bool) -> None:
    h = clerk_at
    before = _rows(h)
    text = said(h, user, "/client", "credit-check ACME approved limit $30,000 clean report")
    if allowed:
        assert "Credit check recorded for ACME: *approved* · limit $30,000.00" in text
        (check,) = _checks(h)
        assert (check.decision, check.limit_cents, check.checked_by) == (
            CreditDecision.APPROVED,
            3_000_000,
            user,
        )
        assert _client(h, "ACME").credit_limit_cents == 3_000_000
    else:
        assert "does not allow" in text
        assert _rows(h) == before


def test_recorded_audited_and_shown_escaped_on_card_and_balance(clerk_at: Harness) -> None:
    h = clerk_at
    card = said(h, "U_PAUL", "/client", "GLOBEX")
    assert "No credit check on record" in card
    text = said(h, "U_BILL", "/client", f"credit-check GLOBEX conditional retainer $2,500 {TYPED}")
    assert "*conditional* · retainer $2,500.00" in text and ESCAPED in text
    assert "<!channel>" not in text
    (check,) = _checks(h)
    assert check.note == EVIL and check.limit_cents is None and check.retainer_cents == 250_000
    assert _client(h, "GLOBEX").retainer_required_cents == 250_000
    with h.db.reading() as s:
        audited = s.scalars(
            select(AuditLog).where(AuditLog.entity == "credit_checks", AuditLog.actor == "U_BILL")
        ).all()
    assert audited
    for where in (said(h, "U_PAUL", "/client", "GLOBEX"), said(h, "U_BILL", "/balance", "GLOBEX")):
        assert "Credit conditional* · retainer $2,500.00 · by <@U_BILL>" in where
        assert ESCAPED in where and "<!channel>" not in where
        assert "Payment behaviour, last 12 months:* no invoices issued" in where
    # staff see the card without money: no credit line, no behaviour
    staff_card = said(h, "U_SAM", "/client", "GLOBEX")
    assert "Credit conditional" not in staff_card and "Payment behaviour" not in staff_card


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("credit-check NOSUCH approved fine", "There is no client `NOSUCH`"),
        ("credit-check ACME maybe fine", "is not a decision"),
        ("credit-check ACME approved", "Add a note"),
        ("credit-check ACME approved limit", "needs an amount"),
        ("credit-check ACME approved limit $1,2,3 fine", "1,2,3"),
        ("credit-check ACME approved limit EUR 500 fine", "billed in USD"),
        ("credit-check ACME approved limit $5 limit $6 fine", "given twice"),
        ("credit-check", "Say which client"),
        (f"credit-check ACME {TYPED} fine", "is not a decision"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    clerk_at: Harness, text: str, expected: str
) -> None:
    h = clerk_at
    before = _rows(h)
    reply = said(h, "U_BILL", "/client", text)
    assert expected in reply, reply
    assert "<!channel>" not in reply
    assert _rows(h) == before


def _owing(h: Harness) -> None:
    said(h, "U_BILL", "/invoice", "add ACME INV-9 $5,000 issued Sep 1")


def test_a_limit_below_what_is_owed_asks_and_proceed_stores_it_once(clerk_at: Harness) -> None:
    h = clerk_at
    _owing(h)
    before = _rows(h)
    reply = last(h.slack.command("U_BILL", "/client", "credit-check ACME approved limit $1,000 ok"))
    assert "already owes $5,000.00, more than the limit of $1,000.00" in shown(reply)
    assert _rows(h) == before and _client(h, "ACME").credit_limit_cents == 2_000_000
    proceed = button(reply, CreditAction.PROCEED)
    # the button carries only a token: what to store is kept server-side
    assert "1,000" not in proceed["value"] and "ACME" not in proceed["value"]
    # someone else pressing it (even a partner) is refused
    other = h.slack.action("U_PAUL", CreditAction.PROCEED, proceed["value"])
    assert "can answer it" in shown(last(other))
    # a forged token stores nothing
    forged = h.slack.action("U_BILL", CreditAction.PROCEED, "forged-token")
    assert "no longer matches" in shown(last(forged))
    assert _checks(h) == []
    done = last(h.slack.action("U_BILL", CreditAction.PROCEED, proceed["value"]))
    assert "Credit check recorded for ACME" in shown(done) and "over the new limit" in shown(done)
    assert _client(h, "ACME").credit_limit_cents == 100_000
    again = last(h.slack.action("U_BILL", CreditAction.PROCEED, proceed["value"]))
    assert "already recorded" in shown(again)
    assert len(_checks(h)) == 1
    with h.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(PendingConfirmation)) == 1


def _confirm_value(reply: dict[str, object]) -> str:
    return str(button(reply, "clerk_confirm_reading")["value"])


def test_declined_credit_needs_a_partners_proceed_for_a_new_matter(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/client", "credit-check GLOBEX declined two judgments outstanding")
    before = _rows(h)
    lawyer = said(h, "U_MARK", "/matter", 'add GLOBEX "New lease"')
    assert "needs a partner's approval" in lawyer and _rows(h) == before
    asked = last(h.slack.command("U_PAUL", "/matter", 'add GLOBEX "New lease"'))
    assert "Credit for GLOBEX was declined by <@U_BILL>" in shown(asked)
    assert _rows(h) == before
    value = _confirm_value(asked)
    # the same button value pressed by a lawyer (forged or passed on) does nothing
    forged = h.slack.action("U_MARK", "clerk_confirm_reading", value)
    assert "needs a partner's approval" in shown(last(forged))
    assert _rows(h) == before
    done = h.slack.action("U_PAUL", "clerk_confirm_reading", value)
    assert "GLOBEX-2" in shown(last(done)), shown(last(done))
    # approved again: no question any more
    said(h, "U_PAUL", "/client", "credit-check GLOBEX approved paid up")
    assert "GLOBEX-3" in said(h, "U_MARK", "/matter", 'add GLOBEX "Another"')


def test_the_open_matter_form_refuses_a_declined_client(clerk_at: Harness) -> None:
    from handlers.clients.views import matter_modal

    h = clerk_at
    said(h, "U_BILL", "/client", "credit-check GLOBEX declined no")
    before = _rows(h)
    answer = h.slack.view_submission(
        "U_PAUL", matter_modal(), {"client": "GLOBEX", "title": "Form matter"}
    )
    errors = json.dumps(answer.json())
    assert "was declined" in errors and "/matter add" in errors, errors
    assert _rows(h) == before
    lawyer = h.slack.view_submission(
        "U_MARK", matter_modal(), {"client": "GLOBEX", "title": "Form matter"}
    )
    assert "needs a partner" in json.dumps(lawyer.json())
    assert _rows(h) == before
