"""The manifest declares exactly the commands Clerk serves, and only the scopes it uses."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.harness import Harness

MANIFEST = yaml.safe_load((Path(__file__).parents[2] / "app_manifest.yml").read_text())
PINNED = {
    "/client",
    "/matter",
    "/contact",
    "/deadline",
    "/balance",
    "/invoice",
    "/payment",
    "/clerk",
    "/conflict",
}


def test_manifest_commands_are_the_pinned_ones() -> None:
    declared = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert declared == PINNED
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["description"] and command["usage_hint"]


def test_every_registered_command_is_in_the_manifest_and_the_reverse(harness: Harness) -> None:
    declared = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert harness.clerk.commands == declared


def test_every_declared_command_answers(harness: Harness) -> None:
    for command in sorted(PINNED):
        exchange = harness.slack.command("U_ADMIN", command, "help")
        assert exchange.status == 200, command
        assert exchange.replies, f"{command} help printed nothing"


def test_manifest_has_shortcut_home_events_interactivity_and_socket_mode() -> None:
    features = MANIFEST["features"]
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["shortcuts"][0]["callback_id"] == "log_client_contact"
    assert features["shortcuts"][0]["type"] == "message"
    assert features["shortcuts"][1]["callback_id"] == "file_to_matter"
    assert features["shortcuts"][1]["type"] == "message"
    settings = MANIFEST["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_mention",
        "message.im",
        "user_change",  # a member deactivated in Slack loses their Clerk role at once
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert "socket_mode_enabled" in settings


def test_scopes_are_only_those_clerk_uses() -> None:
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "app_mentions:read",  # app_mention events
        "channels:history",  # was a cut-off post delivered? (its key in message metadata)
        "groups:history",  # the same, in a private billing or reports channel
        "chat:write",  # replies, digests, DMs
        "commands",  # slash commands
        "files:read",  # CSV imports sent in a DM
        "files:write",  # .ics calendars and report charts
        "im:history",  # message.im events, and the cut-off check in DMs
        "im:write",  # conversations.open for DMs
        "users:read",  # users.info: names and time zones; user_change events
    }
