"""A real ``clerk run`` in Socket Mode against the stand-in, and Slack's envelope payloads.

Socket Mode has no signed HTTP requests to send: Slack pushes the same payloads inside
envelopes over the websocket Clerk opened. These builders give each kind the shape Slack
puts in an envelope (a slash command's fields as strings, an interaction as an object, an
event callback whole), so the test reads like the HTTP-mode ones in ``tests/trust``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from bot.tools.demo_firm import CHANNELS
from bot.tools.standin.driver import APP_ID, TEAM_ID
from bot.tools.standin.server import SlackStandIn
from tests.foundation.test_cli_run import _env as cli_env

APP_TOKEN = "xapp-1-A_CLERK-test"
# Start-up (migrations checked, date parser warmed) and every wait below: generous, because
# two test suites share two cores in CI; nothing here measures speed.
PATIENCE_S = 120.0


@dataclass
class SocketClerk:
    """One ``clerk run`` child in Socket Mode, with its log."""

    popen: subprocess.Popen[str]
    log: Path
    out: IO[str]

    def tail(self) -> str:
        self.out.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def until(self, what: str, ready: Callable[[], bool], patience: float = PATIENCE_S) -> None:
        """Poll ``ready``; fail with the process's log if it never holds or the process died."""
        give_up = time.monotonic() + patience
        while not ready():
            if self.popen.poll() is not None:
                pytest.fail(
                    f"clerk run exited ({self.popen.returncode}) before {what}\n{self.tail()}"
                )
            if time.monotonic() > give_up:
                pytest.fail(f"gave up waiting for {what}\n{self.tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, SIGKILL if that is not enough (for the fixture's clean-up)."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=30)
        self.out.close()


def launch(database_url: str, standin: SlackStandIn, directory: Path, *args: str) -> SocketClerk:
    """``clerk run`` with an app-level token and no signing secret: Socket Mode needs none."""
    env = cli_env(
        database_url,
        standin,
        SLACK_APP_TOKEN=APP_TOKEN,
        CLERK_ADMINS="U0ADA",
        **{f"CLERK_{name.upper()}_CHANNEL": cid for cid, name in CHANNELS.items()},
    )
    env.pop("SLACK_SIGNING_SECRET")
    log = directory / "clerk-socket-mode.log"
    out = log.open("w", encoding="utf-8")
    popen = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", *args],
        env=env,
        cwd=directory,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return SocketClerk(popen, log, out)


# -- what Slack puts in an envelope's payload --------------------------------------------------


def command(standin: SlackStandIn, name: str, user: str, slash: str, text: str) -> dict[str, str]:
    """A ``slash_commands`` payload; its reply goes to the stand-in's response_url ``name``."""
    return {
        "token": "deprecated",
        "team_id": TEAM_ID,
        "team_domain": "clerk-firm",
        "channel_id": "C_GENERAL",
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": slash,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": standin.response_url(name),
        "trigger_id": f"{name}.trigger",
    }


def button(
    standin: SlackStandIn, name: str, user: str, action_id: str, value: str
) -> dict[str, Any]:
    """An ``interactive`` payload: a ``block_actions`` press on an ephemeral reply."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "clerk-firm"},
        "api_app_id": APP_ID,
        "token": "deprecated",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "container": {"type": "message", "channel_id": "C_GENERAL", "is_ephemeral": True},
        "trigger_id": f"{name}.trigger",
        "channel": {"id": "C_GENERAL", "name": "general"},
        "response_url": standin.response_url(name),
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "actions",
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


def direct_message(user: str, text: str, event_id: str) -> dict[str, Any]:
    """An ``events_api`` payload: the event callback for a DM to Clerk."""
    return {
        "token": "deprecated",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
            "client_msg_id": f"msg-{event_id}",
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": "U_CLERK", "is_bot": True}],
    }


def buttons(reply: dict[str, Any], action_id: str) -> list[str]:
    """The values of a reply's buttons with ``action_id``."""
    return [
        element["value"]
        for block in reply.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("action_id") == action_id
    ]


def stored(reply: dict[str, Any]) -> bool:
    """Whether a reply is Clerk's success message (``blocks.success``)."""
    first = (reply.get("blocks") or [{}])[0]
    return str((first.get("text") or {}).get("text", "")).startswith(":white_check_mark:")
