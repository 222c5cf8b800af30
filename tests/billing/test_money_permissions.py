"""Who may use each money command , through signed HTTP requests.

Billing, partners and admins see every balance and record invoices, payments and plans.
A lawyer sees the balances of the clients they are responsible for (ACME is Lena's, GLOBEX
is Mark's) and records nothing. Staff see no balance at all, and are refused before the
client is looked up, so the refusal is the same for a client that does not exist.
Every refusal is ephemeral and writes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storage.models import Invoice
from tests.billing.conftest import counts

ALL = ("U_ADMIN", "U_PAUL", "U_LENA", "U_MARK", "U_SAM", "U_BILL")
MONEY_STAFF = ("U_ADMIN", "U_PAUL", "U_BILL")  # billing, partner, admin
REFUSED_WRITERS = ("U_LENA", "U_MARK", "U_SAM")


def seed(h: Any) -> None:
    """ACME (Lena's) and GLOBEX (Mark's) each owe one overdue invoice."""
    with h.db.unit_of_work("test-setup") as s:
        from sqlalchemy import select

        from storage.models import Client

        ids = {c.code: c.id for c in s.scalars(select(Client))}
        s.add_all(
            [
                Invoice(
                    number="INV-1",
                    client_id=ids["ACME"],
                    amount_cents=100_000,
                    currency="USD",
                    issued_on=date(2026, 9, 1),
                    due_on=date(2026, 10, 1),
                ),
                Invoice(
                    number="INV-2",
                    client_id=ids["GLOBEX"],
                    amount_cents=70_000,
                    currency="USD",
                    issued_on=date(2026, 9, 15),
                    due_on=date(2026, 10, 15),
                ),
            ]
        )


def only_reply(ex: Any) -> dict[str, Any]:
    assert ex.status == 200
    assert len(ex.replies) == 1, ex.replies
    reply = ex.replies[0]
    assert reply["response_type"] == "ephemeral"
    assert not ex.calls_to("chat.postMessage")  # nothing posted in a channel
    return reply


BALANCE_SEERS = {
    "U_ADMIN": True,
    "U_PAUL": True,
    "U_BILL": True,
    "U_LENA": True,  # ACME's responsible lawyer
    "U_MARK": False,  # another lawyer
    "U_SAM": False,  # staff
}


def test_balance_of_one_client(clerk_at: Any) -> None:
    seed(clerk_at)
    before = counts(clerk_at.db)
    for user, allowed in BALANCE_SEERS.items():
        reply = only_reply(clerk_at.slack.command(user, "/balance", "ACME"))
        if allowed:
            assert "ACME" in reply["text"] and "$1,000.00" in reply["text"], user
        else:
            assert "confidential" in reply["text"], user
            assert "$1,000.00" not in str(reply), user
    assert counts(clerk_at.db) == before


def test_staff_refusal_does_not_reveal_whether_a_client_exists(clerk_at: Any) -> None:
    seed(clerk_at)
    known = only_reply(clerk_at.slack.command("U_SAM", "/balance", "ACME"))
    unknown = only_reply(clerk_at.slack.command("U_SAM", "/balance", "NOSUCHCLIENT"))
    assert known["text"] == unknown["text"]
    assert "NOSUCHCLIENT" not in str(unknown) and "ACME" not in str(known)


OVERDUE_SEEN = {
    "U_ADMIN": {"ACME", "GLOBEX"},
    "U_PAUL": {"ACME", "GLOBEX"},
    "U_BILL": {"ACME", "GLOBEX"},
    "U_LENA": {"ACME"},  # a lawyer: only their own clients
    "U_MARK": {"GLOBEX"},
    "U_SAM": None,
}


def test_overdue_list(clerk_at: Any) -> None:
    seed(clerk_at)
    for user, sees in OVERDUE_SEEN.items():
        reply = only_reply(clerk_at.slack.command(user, "/balance", "overdue"))
        shown = str(reply.get("blocks"))
        if sees is None:
            assert "confidential" in reply["text"]
            assert "ACME" not in shown and "GLOBEX" not in shown
            continue
        for code in ("ACME", "GLOBEX"):
            assert (f"*{code}*" in shown) is (code in sees), (user, code, shown)


WRITES = [
    ("/invoice", "add ACME INV-9 $2,000 issued Nov 2 terms 30 days"),
    ("/invoice", "dispute INV-1 hours on the September bill contested"),
    ("/invoice", "void INV-1 issued to the wrong client"),
    ("/payment", "add ACME $250"),
    ("/payment", "add ACME $5,000 trust"),
    ("/payment", "plan ACME $250 every month from Dec 1 x 4"),
]


@pytest.mark.parametrize(("command", "text"), WRITES)
def test_money_writes_refused_for_lawyers_and_staff(clerk_at: Any, command: str, text: str) -> None:
    seed(clerk_at)
    before = counts(clerk_at.db)
    for user in REFUSED_WRITERS:
        reply = only_reply(clerk_at.slack.command(user, command, text))
        assert reply["text"].startswith("Sorry, your role"), reply["text"]
        assert "$" not in reply["text"]
    assert counts(clerk_at.db) == before


@pytest.mark.parametrize("user", MONEY_STAFF)
@pytest.mark.parametrize(("command", "text"), WRITES)
def test_money_writes_allowed_for_billing_partner_admin(
    clerk_at: Any, user: str, command: str, text: str
) -> None:
    seed(clerk_at)
    before = counts(clerk_at.db)
    reply = only_reply(clerk_at.slack.command(user, command, text))
    assert ":white_check_mark:" in str(reply["blocks"]), reply
    assert counts(clerk_at.db) != before  # something was stored (and audited)


def test_resolve_is_for_billing_partner_admin_only(clerk_at: Any) -> None:
    seed(clerk_at)
    only_reply(clerk_at.slack.command("U_BILL", "/invoice", "dispute INV-1 contested"))
    before = counts(clerk_at.db)
    for user in REFUSED_WRITERS:
        reply = only_reply(clerk_at.slack.command(user, "/invoice", "resolve INV-1"))
        assert reply["text"].startswith("Sorry, your role")
    assert counts(clerk_at.db) == before
    for user in MONEY_STAFF:
        ok = only_reply(clerk_at.slack.command(user, "/invoice", "resolve INV-1"))
        assert "resolved" in ok["text"]
        only_reply(clerk_at.slack.command(user, "/invoice", "dispute INV-1 contested again"))


def test_balance_sentence_in_a_dm(clerk_at: Any) -> None:
    seed(clerk_at)
    for user, allowed in BALANCE_SEERS.items():
        ex = clerk_at.slack.dm(user, "balance ACME")
        posts = ex.calls_to("chat.postMessage") + ex.calls_to("chat.postEphemeral")
        assert len(posts) == 1, user
        text = posts[0].params["text"]
        assert posts[0].params["channel"].startswith("D")  # answered in the asker's DM only
        if allowed:
            assert "$1,000.00" in text, user
        else:
            assert "confidential" in text and "$1,000.00" not in str(posts[0].params), user


def test_all_roles_are_covered() -> None:
    assert set(MONEY_STAFF) | set(REFUSED_WRITERS) == set(ALL)
    assert set(BALANCE_SEERS) == set(OVERDUE_SEEN) == set(ALL)
