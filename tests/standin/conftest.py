"""A started stand-in with a small firm, and a real slack-sdk client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.tools.standin.server import SlackStandIn

TOKEN = "xoxb-test"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        running.add_user("U_LENA", "lena", tz="America/New_York", real_name="Lena Lawyer")
        running.add_user("U_MARK", "mark", tz="America/Los_Angeles", real_name="Mark Lawyer")
        running.add_channel("C_DEADLINES", "deadlines")
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    # No retry handlers unless a test adds them: a retry must be something a test asked for.
    return WebClient(token=TOKEN, base_url=standin.url, retry_handlers=[])
