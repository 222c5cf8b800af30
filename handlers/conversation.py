"""DMs and @mentions: plain sentences for the daily jobs, and usage for anything else.

Feature modules add sentence readers to ``clerk.sentence_handlers``; this module tries them
in order and, when none understands, answers with what Clerk can read, never silence.
Event deliveries are deduplicated before any listener runs.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.text import clean, unescape
from handlers.kernel import blocks
from handlers.kernel.events import first_delivery

log = logging.getLogger("clerk.events")

LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9_]+(?:\|[^>]*)?>[:,]?\s*")

SENTENCE_USAGE = blocks.usage(
    "What I can read in a message",
    [
        "log call with CLIENT: what was said  (also: email, meeting, letter)",
        "MATTER title due DATE    e.g. ACME-1 reply brief due next Friday",
        "balance CLIENT",
    ],
    ["log call with ACME: agreed to mediation", "ACME-1 reply brief due next Friday"],
)


def _dedupe(clerk: Clerk) -> Any:
    def middleware(body: dict[str, Any], next: Any, request: Any) -> BoltResponse | None:  # noqa: A002
        if body.get("type") == "event_callback" and body.get("event_id"):
            retry = request.headers.get("x-slack-retry-num", [None])[0]
            if retry:
                log.info(
                    "event %s retry %s (%s)",
                    body["event_id"],
                    retry,
                    request.headers.get("x-slack-retry-reason", ["?"])[0],
                )
            if not first_delivery(clerk.db, body.get("team_id", ""), body["event_id"]):
                return BoltResponse(status=200, body="")
        return next()

    return middleware


def register(app: App, clerk: Clerk) -> None:
    app.middleware(_dedupe(clerk))

    def handle(event: dict[str, Any], client: WebClient, *, in_dm: bool) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return  # edits, joins and bots (including Clerk itself) are not requests
        text = clean(unescape(LEADING_MENTION.sub("", event.get("text") or "")))
        actor = clerk.directory.actor(event["user"])
        channel = event["channel"]

        def reply(message: blocks.Message) -> None:
            if in_dm:
                client.chat_postMessage(channel=channel, **message.payload())
            else:
                # Mentions happen in shared channels: answer only the person who asked.
                client.chat_postEphemeral(channel=channel, user=actor.slack_id, **message.payload())

        for _name, reader in clerk.sentence_handlers:
            if reader(clerk=clerk, actor=actor, text=text, reply=reply, event=event):
                return
        reply(SENTENCE_USAGE)

    @app.event("app_mention")
    def on_mention(ack: Ack, event: dict[str, Any], client: WebClient) -> None:
        ack()
        handle(event, client, in_dm=False)

    @app.event({"type": "message", "channel_type": "im"})
    def on_dm(ack: Ack, event: dict[str, Any], client: WebClient) -> None:
        ack()
        handle(event, client, in_dm=True)


def register_fallback(app: App) -> None:
    """Acknowledge any other event so Slack does not retry it (an unmatched event is a 404)."""

    @app.event(re.compile(r".*"))
    def ignore_other_events(ack: Ack) -> None:
        ack()
