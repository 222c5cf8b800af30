"""A slash command whose text holds the word "payload" is still a command.

Slack posts commands as forms; bolt takes any body containing the letters ``payload`` for an
interaction and, finding no ``payload`` field, dropped the command with a 404
(``bot.slack_request``). Driven over signed HTTP, as Slack sends them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.slack_request import form_fields
from storage.models import Client, Contact
from tests.harness import Harness


@pytest.mark.parametrize(
    "summary",
    ["call about the payload schedule", "payload", "PAYLOAD=1&payload", "payload={}"],
)
def test_a_command_saying_payload_is_carried_out(harness: Harness, summary: str) -> None:
    harness.slack.command("U_LENA", "/client", 'add ACME "Acme Corporation"')

    exchange = harness.slack.command("U_LENA", "/contact", f"ACME call {summary}")

    assert exchange.status == 200
    with harness.db.reading() as session:
        stored = session.scalars(
            select(Contact.summary).join(Client).where(Client.code == "ACME")
        ).all()
    assert any(summary in text for text in stored), stored


def test_a_client_code_named_payload_is_found(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", 'add PAYLOAD "Payload Logistics"')

    exchange = harness.slack.command("U_LENA", "/client", "payload")

    assert exchange.status == 200
    assert any("Payload Logistics" in text for text in exchange.texts), exchange.texts


def test_a_forged_unsigned_command_saying_payload_is_still_refused(harness: Harness) -> None:
    status, _ = harness.slack.post(
        b"command=%2Fcontact&text=ACME+payload&user_id=U_LENA",
        "application/x-www-form-urlencoded",
        signature="v0=forged",
    )

    assert status == 401


def test_only_an_interaction_form_is_left_to_bolt() -> None:
    assert form_fields("command=%2Fcontact&text=the+payload") == {
        "command": "/contact",
        "text": "the payload",
    }
    assert form_fields('payload={"type":"block_actions"}') is None
    assert form_fields('{"type":"event_callback","payload":1}') is None
    assert form_fields("") is None
