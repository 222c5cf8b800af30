"""``/balance CLIENT``, ``/balance overdue`` (paged) and balance sentences, through HTTP.

The clock is Wed 18 Nov 2026. ACME is Lena's client (credit limit $20,000, retainer
required $5,000); GLOBEX is Mark's.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from handlers.billing.overdue_views import PER_PAGE, MoneyAction
from storage.models import Client, Invoice, User
from tests.billing.conftest import TODAY, counts


def say(h: Any, command: str, text: str, user: str = "U_BILL") -> dict[str, Any]:
    ex = h.slack.command(user, command, text)
    assert ex.status == 200 and len(ex.replies) == 1, ex.replies
    assert ex.replies[0]["response_type"] == "ephemeral"
    return ex.replies[0]


def day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def test_the_balance_card_shows_everything_a_billing_clerk_asks_about(clerk_at: Any) -> None:
    h = clerk_at
    say(h, "/invoice", f"add ACME ACME-1 INV-1 $1,000 issued {day(75)} due {day(45)}")
    say(h, "/invoice", f"add ACME INV-2 $250.50 issued {day(5)} due {day(-25)}")
    say(h, "/payment", f"add ACME $2,000 trust on {day(3)}")
    say(h, "/payment", f"add ACME $200 invoice INV-1 on {day(2)}")
    before = counts(h.db)
    card = say(h, "/balance", "acme")  # codes are case-insensitive
    shown = json.dumps(card["blocks"])
    assert "Acme Corporation" in shown
    assert "$1,050.50" in shown  # outstanding: 800 + 250.50
    assert "$800.00" in shown  # overdue, in the 31-60 bucket
    assert "31-60" in shown and "90+" in shown  # every bucket is named
    assert "$2,000.00" in shown  # trust held
    assert "$3,000.00" in shown  # retainer short of the $5,000 required
    assert "$20,000.00" in shown  # the credit limit, with its use
    assert "$200.00" in shown  # the last payment
    assert "formal notice" in shown  # stage 2 (45 days overdue)
    assert "INV-1" in shown and "INV-2" in shown
    assert counts(h.db) == before  # looking writes nothing


def test_a_client_who_owes_nothing(clerk_at: Any) -> None:
    card = say(clerk_at, "/balance", "GLOBEX")
    assert "GLOBEX" in card["text"]
    assert "$0.00" in json.dumps(card["blocks"]) or "nothing" in json.dumps(card["blocks"])


def test_unknown_client_and_bad_words(clerk_at: Any) -> None:
    assert "no client" in say(clerk_at, "/balance", "NOSUCH")["text"].lower()
    assert ":warning:" in json.dumps(say(clerk_at, "/balance", "ACME GLOBEX")["blocks"])
    assert ":warning:" in json.dumps(say(clerk_at, "/balance", "overdue sideways")["blocks"])


def seed_many(h: Any, n: int) -> list[str]:
    """``n`` clients, each with one overdue invoice, ``i + 1`` days late; half are Lena's."""
    with h.db.unit_of_work("test-setup") as s:
        lena = s.scalar(select(User.id).where(User.slack_id == "U_LENA"))
        s.execute(
            insert(Client),
            [
                {"code": f"K{i:03d}", "name": f"Client {i}", "lawyer_id": lena if i % 2 else None}
                for i in range(n)
            ],
        )
        ids = dict(s.execute(select(Client.code, Client.id)).all())
        s.execute(
            insert(Invoice),
            [
                {
                    "number": f"K-{i}",
                    "client_id": ids[f"K{i:03d}"],
                    "amount_cents": 10_000 + i,
                    "currency": "USD",
                    "issued_on": TODAY - timedelta(days=i + 31),
                    "due_on": TODAY - timedelta(days=i + 1),
                }
                for i in range(n)
            ],
        )
    # worst first: the latest invoice is the oldest
    return [f"K{i:03d}" for i in reversed(range(n))]


def codes_in(reply: dict[str, Any]) -> list[str]:
    return re.findall(r"\*(K\d{3})\*", json.dumps(reply["blocks"]))


def page_value(reply: dict[str, Any], label: str) -> str | None:
    for block in reply["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element.get("action_id") == MoneyAction.OVERDUE_PAGE and label in str(element):
                return str(element["value"])
    return None


def test_overdue_list_is_paged_worst_first_with_buttons(clerk_at: Any) -> None:
    h = clerk_at
    worst_first = seed_many(h, PER_PAGE * 2 + 5)
    first = say(h, "/balance", "overdue")
    seen = codes_in(first)
    assert seen == worst_first[:PER_PAGE]
    assert page_value(first, "Previous") is None
    reply = first
    while (value := page_value(reply, "Next")) is not None:
        ex = h.slack.action("U_BILL", MoneyAction.OVERDUE_PAGE, value)
        assert ex.status == 200 and len(ex.replies) == 1
        reply = ex.replies[0]
        assert reply.get("replace_original") is True
        seen += codes_in(reply)
    assert seen == worst_first  # every account once, in order, across the pages
    assert page_value(reply, "Previous") is not None
    # the same page by typing it
    assert codes_in(say(h, "/balance", "overdue page 2")) == worst_first[PER_PAGE : PER_PAGE * 2]


def test_a_lawyer_sees_only_their_own_overdue_clients_and_staff_none(clerk_at: Any) -> None:
    h = clerk_at
    worst_first = seed_many(h, 10)
    lenas = [c for c in worst_first if int(c[1:]) % 2]
    mine = say(h, "/balance", "overdue", user="U_LENA")
    assert codes_in(mine) == lenas
    assert "Your clients" in mine["text"]
    assert "none" in say(h, "/balance", "overdue", user="U_MARK")["text"]
    staff = say(h, "/balance", "overdue", user="U_SAM")
    assert "confidential" in staff["text"] and not codes_in(staff)
    pressed = h.slack.action("U_SAM", MoneyAction.OVERDUE_PAGE, '{"p":1}')
    assert pressed.replies and not codes_in(pressed.replies[0])


def test_balance_sentences_in_a_dm(clerk_at: Any) -> None:
    h = clerk_at
    say(h, "/invoice", f"add ACME INV-1 $1,234.56 issued {day(40)} due {day(10)}")
    for sentence in ("balance ACME", "what does ACME owe?", "balance of acme", "bal ACME."):
        ex = h.slack.dm("U_LENA", sentence)
        posts = ex.calls_to("chat.postMessage")
        assert len(posts) == 1, sentence
        assert "$1,234.56" in posts[0].params["text"], sentence


def test_a_balance_asked_by_mention_in_a_channel_is_shown_only_to_the_asker(
    clerk_at: Any,
) -> None:
    h = clerk_at
    say(h, "/invoice", f"add ACME INV-1 $1,234.56 issued {day(40)} due {day(10)}")
    ex = h.slack.event(
        {
            "type": "app_mention",
            "channel": "C_BILLING",
            "user": "U_BILL",
            "text": "<@U_CLERK> balance ACME",
            "ts": f"{time.time():.6f}",
        }
    )
    assert not ex.calls_to("chat.postMessage")  # nothing in the channel for all to see
    (shown,) = ex.calls_to("chat.postEphemeral")
    assert shown.params["user"] == "U_BILL" and shown.params["channel"] == "C_BILLING"
    assert "$1,234.56" in shown.params["text"]
