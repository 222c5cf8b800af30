"""``/payment list CLIENT [N]``: a client's payments, newest first, for who may see its money.

Through signed HTTP for what a reader sees; the refusal table goes to the same runner the
command uses (``tests.billing.helpers.refused``), each case checked to write nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from bot.billing.payment_history import MAX_SHOWN, payment_history
from storage.models import Client, Payment, User
from tests.billing.conftest import actor
from tests.billing.helpers import refused, said
from tests.deadlines.helpers import last
from tests.harness import Harness


def _ids(h: Harness) -> tuple[dict[str, int], dict[str, int]]:
    with h.db.reading() as s:
        clients = {c.code: c.id for c in s.scalars(select(Client))}
        users = {u.slack_id: u.id for u in s.scalars(select(User))}
    return clients, users


def _payments(h: Harness, code: str, count: int, *, first: date = date(2026, 1, 5)) -> None:
    """``count`` fee payments of $10.00 + n cents, a day apart, as an import would leave them."""
    clients, users = _ids(h)
    with h.db.unit_of_work("test-setup") as s:
        s.add_all(
            Payment(
                client_id=clients[code],
                amount_cents=1_000 + n,
                currency="USD",
                received_on=first + timedelta(days=n),
                created_by_id=users["U_BILL"],
            )
            for n in range(count)
        )


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("• ")]


def test_the_history_is_newest_first_with_invoice_kind_and_who(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1 2026")
    said(h, "U_BILL", "/invoice", "add ACME INV-2 $500 issued Sep 10 2026")
    said(h, "U_BILL", "/payment", "add ACME $400 invoice INV-1 on Oct 3")
    said(h, "U_PAUL", "/payment", "add ACME $1,300 on Oct 20")  # INV-1's rest, INV-2, credit
    said(h, "U_BILL", "/payment", "add ACME $5,000 trust on Nov 2")
    text = said(h, "U_LENA", "/payment", "list ACME")  # Lena is ACME's responsible lawyer
    assert "ACME · Acme Corporation: payments" in text
    assert _lines(text) == [
        "• *Mon 2 Nov 2026* · *$5,000.00* · trust deposit · recorded by <@U_BILL>",
        "• *Tue 20 Oct 2026* · *$1,300.00* · fees → INV-1, INV-2 + $200.00 unapplied · "
        "recorded by <@U_PAUL>",
        "• *Sat 3 Oct 2026* · *$400.00* · fees → INV-1 · recorded by <@U_BILL>",
    ]
    assert "All 3 payments, newest first." in text


def test_a_voided_invoice_leaves_its_payment_unapplied(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-9 $1,000 issued Sep 1 2026")
    said(h, "U_BILL", "/payment", "add ACME $400 invoice INV-9 on Oct 3")
    said(h, "U_BILL", "/invoice", "void INV-9 billed to the wrong client")
    (line,) = _lines(said(h, "U_BILL", "/payment", "list ACME"))
    assert "*$400.00* · fees unapplied (named INV-9) ·" in line


def test_n_pages_the_history_and_says_how_many_there_are(clerk_at: Harness) -> None:
    h = clerk_at
    _payments(h, "GLOBEX", 12)
    text = said(h, "U_BILL", "/payment", "list GLOBEX")  # 10 by default
    lines = _lines(text)
    assert len(lines) == 10 and "*Fri 16 Jan 2026* · *$10.11*" in lines[0]  # the 12th, newest
    assert "Showing 10 of 12 payments, newest first. `/payment list GLOBEX 12` shows 12." in text
    five = said(h, "U_MARK", "/payment", "list globex 5")  # GLOBEX is Mark's
    assert len(_lines(five)) == 5 and "Showing 5 of 12 payments" in five
    assert "All 12 payments" in said(h, "U_PAUL", "/payment", "list GLOBEX 40")


def test_a_huge_n_shows_the_most_one_reply_holds(clerk_at: Harness) -> None:
    h = clerk_at
    _payments(h, "ACME", MAX_SHOWN + 5)
    text = said(h, "U_ADMIN", "/payment", "list ACME 100000000000000000000000")
    assert len(_lines(text)) == MAX_SHOWN
    assert f"Showing {MAX_SHOWN} of {MAX_SHOWN + 5} payments, newest first." in text
    assert f"{MAX_SHOWN} is the most one reply shows." in text


def test_the_page_is_read_with_a_limit(clerk_at: Harness) -> None:
    h = clerk_at
    _payments(h, "ACME", 30)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(h.db.engine, "before_cursor_execute", seen)
    try:
        with h.db.reading() as s:
            history = payment_history(s, actor=actor(h.db, "U_BILL"), code="ACME", limit=7)
    finally:
        event.remove(h.db.engine, "before_cursor_execute", seen)
    assert len(history.lines) == 7 and history.total == 30
    (page,) = [q for q in statements if "FROM payments" in q and "ORDER BY" in q]
    assert "LIMIT" in page


def test_no_payments_is_a_friendly_reply_with_the_name_escaped(clerk_at: Harness) -> None:
    h = clerk_at
    with h.db.unit_of_work("test-setup") as s:
        s.add(Client(code="MARKUP", name="<!channel> & <@U_ADMIN> Ltd"))
    reply = last(h.slack.command("U_BILL", "/payment", "list MARKUP"))
    assert reply["response_type"] == "ephemeral"
    section = reply["blocks"][0]["text"]["text"]
    assert "No payments from *MARKUP* &lt;!channel&gt; &amp; &lt;@U_ADMIN&gt; Ltd" in section
    assert "<!channel>" not in str(reply)


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        ("U_BILL", "list", "Whose payments?"),
        ("U_BILL", "list ACME 5 more", "Whose payments?"),
        ("U_BILL", "list ACMEE", "There is no client `ACMEE`. Did you mean `ACME`?"),
        ("U_BILL", "list ACME ten", "N is how many payments to show"),
        ("U_BILL", "list ACME 0", "a whole number from 1 to 50"),
        ("U_BILL", "list ACME -3", "a whole number from 1 to 50"),
        ("U_BILL", "list ACME 2.5", "a whole number from 1 to 50"),
        ("U_BILL", "list ACME ²", "a whole number from 1 to 50"),
        ("U_SAM", "list ACME", "does not show balances: money is confidential"),
        ("U_SAM", "list NOSUCH", "does not show balances: money is confidential"),
        ("U_MARK", "list ACME", "Balances are confidential"),  # ACME is Lena's, not Mark's
        ("U_LENA", "list GLOBEX", "Balances are confidential"),
    ],
)
def test_bad_input_and_roles_that_may_not_are_refused(
    clerk_at: Harness, user: str, text: str, expected: str
) -> None:
    said(clerk_at, "U_BILL", "/payment", "add ACME $100")  # something to hide
    shown = refused(clerk_at, user, "/payment", text, expected)
    assert "$100.00" not in shown


def test_a_refusal_over_http_is_ephemeral_and_shows_no_money(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/payment", "add ACME $100")
    text = refused(h, "U_MARK", "/payment", "list ACME", "Balances are confidential", http=True)
    assert "$100.00" not in text
