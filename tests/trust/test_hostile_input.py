"""Hostile and malformed input through signed HTTP: never a 500, never a traceback.

Every command gets random text, unicode, control characters, Slack-escaped forms, SQL-looking
strings and 4,000-character inputs, with and without its subcommand words. An unexpected
exception anywhere shows up as Clerk's "Something went wrong" reply, so its absence across
all examples is the property under test. Never a partial write either: a refused input
leaves every table (the audit log included) as it was, and an accepted one leaves no new
row without its audit row.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.tools.standin.driver import Exchange
from tests.harness import Harness
from tests.trust.rows import grown, row_counts, unaudited_rows

COMMANDS = {
    "/client": ["", "add", "find", "edit", "ACME"],
    "/matter": ["", "add", "close", "ACME-1"],
    "/contact": ["", "list", "ACME", "ACME ACME-1 call"],
    "/deadline": ["", "list", "done", "move", "cancel", "rules", "apply", "ACME-1", "calendar"],
    "/balance": ["", "overdue", "ACME"],
    "/invoice": ["", "add", "dispute", "resolve", "void"],
    "/payment": ["", "add", "plan"],
    "/clerk": ["", "role", "settings", "holiday add", "audit", "whoami"],
}
NASTY = [
    "'; DROP TABLE clients; --",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<@U_NOBODY|ghost> <#C_NOWHERE|void> <!channel>",
    '"unterminated quote',
    "\u0000\u0007\u001b[31m\u202e",
    "ACME-99999999999999999999",
    "$-1,00.0.0 EUR USD",
    "Feb 30 2027 25:61",
    "😀" * 50,
    "Ω≈ç√∫˜µ≤≥÷ 中文 ελληνικά",
    "9" * 4000,
]
words = (
    st.sampled_from(NASTY)
    | st.text(max_size=200)
    | st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40)
)


def _refused(exchange: Exchange) -> bool:
    """The reply is a refusal (``:warning:``) or a question asked before storing anything."""
    sections = [
        str((block.get("text") or {}).get("text", ""))
        for reply in exchange.replies
        for block in reply.get("blocks") or []
        if block.get("type") == "section"
    ]
    return any(text.startswith((":warning:", ":question:")) for text in sections)


def _assert_no_partial_write(
    exchange: Exchange, before: dict[str, int], after: dict[str, int]
) -> None:
    if _refused(exchange):
        assert after == before, f"a refused input wrote {grown(before, after)}"
    else:
        assert not unaudited_rows(before, after), f"rows without audit: {grown(before, after)}"


def _assert_answered_sanely(exchange: object) -> None:
    status = exchange.status  # type: ignore[attr-defined]
    assert status == 200, status
    shown = json.dumps(exchange.replies) + json.dumps(  # type: ignore[attr-defined]
        [c.params for c in exchange.calls]  # type: ignore[attr-defined]
    )
    assert "Something went wrong" not in shown
    assert "Traceback" not in shown
    answered = exchange.replies or exchange.calls  # type: ignore[attr-defined]
    assert answered, "every command gets an answer (a reply or a modal)"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_random_text_never_breaks_a_command(harness: Harness, command: str) -> None:
    # ACME and ACME-1 exist, so inputs that start with them reach the writing paths.
    harness.slack.command("U_LENA", "/client", 'add ACME "Acme Corporation"')
    harness.slack.command("U_LENA", "/matter", 'add ACME "Lease dispute"')

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        prefix=st.sampled_from(COMMANDS[command]),
        rest=words,
        who=st.sampled_from(["U_ADMIN", "U_LENA", "U_SAM", "U_BILL"]),
    )
    def run(prefix: str, rest: str, who: str) -> None:
        text = f"{prefix} {rest}".strip() if prefix else rest
        before = row_counts(harness.db)
        exchange = harness.slack.command(who, command, text)
        _assert_answered_sanely(exchange)
        _assert_no_partial_write(exchange, before, row_counts(harness.db))

    run()


def test_malformed_interaction_payloads_are_refused_without_a_500(harness: Harness) -> None:
    before = row_counts(harness.db)
    for body in [
        urlencode({"payload": "{not json"}).encode(),
        urlencode({"payload": json.dumps({"type": "block_actions"})}).encode(),
        urlencode({"payload": json.dumps({"type": "view_submission", "view": {}})}).encode(),
        b"\xff\xfe\x00garbage",
        b"",
    ]:
        status, _ = harness.slack.post(body, "application/x-www-form-urlencoded")
        assert status < 500, body
    assert row_counts(harness.db) == before


def test_malformed_event_bodies_are_refused_without_a_500(harness: Harness) -> None:
    before = row_counts(harness.db)
    for body in [b"{", b"[]", json.dumps({"type": "event_callback"}).encode()]:
        status, _ = harness.slack.post(body, "application/json")
        assert status < 500, body
    assert row_counts(harness.db) == before


def test_unknown_buttons_and_forged_values_are_harmless(harness: Harness) -> None:
    before = row_counts(harness.db)
    for action_id, value in [
        ("clerk_confirm_reading", "not json"),
        ("clerk_confirm_reading", json.dumps({"c": "/nope", "t": "x", "k": []})),
        ("no_such_action", "x"),
    ]:
        exchange = harness.slack.action("U_LENA", action_id, value)
        assert exchange.status < 500
        assert "Traceback" not in json.dumps(exchange.replies)
    assert row_counts(harness.db) == before
