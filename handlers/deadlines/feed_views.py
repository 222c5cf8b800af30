"""What Slack shows when someone asks for a calendar feed URL (always only to the asker).

The URL is a secret: it is shown once, in an ephemeral reply, and never posted or sent by DM.
"""

from __future__ import annotations

from bot.dates.format import format_day
from bot.deadlines.feeds import Grant
from bot.settings import Settings
from handlers.kernel import blocks

DEADLINE_USAGE = "/deadline calendar [reset]"
MATTER_USAGE = "/matter calendar MATTER [reset]"
HOW_TO_SUBSCRIBE = (
    "Subscribe to it from your calendar: Outlook *Add calendar → Subscribe from web*, "
    "Google *Other calendars → From URL*, Apple *File → New Calendar Subscription*. "
    "It updates by itself when a deadline is added, moved, done or cancelled."
)
KEEP_IT_PRIVATE = "Anyone with this link can read these deadlines: don't share it."


def _what(grant: Grant) -> str:
    if grant.matter_code is None:
        return "your open deadlines"
    return f"{blocks.escape(grant.matter_code)}'s open deadlines"


def _reset_command(grant: Grant) -> str:
    if grant.matter_code is None:
        return "/deadline calendar reset"
    return f"/matter calendar {blocks.escape(grant.matter_code)} reset"


def feed_blocks(grant: Grant, settings: Settings) -> tuple[str, list[blocks.Block_]]:
    """The feed part of a reply: the new URL, or where the live one stands."""
    if grant.token is None:
        since = format_day(grant.live_since.date()) if grant.live_since else "earlier"
        text = (
            f"You already have a calendar subscription URL for {_what(grant)} (since {since}). "
            "Clerk keeps only a fingerprint of it, so it can't show it again: "
            f"`{_reset_command(grant)}` gives you a new one and stops the old one."
        )
        return text, [blocks.section(f":calendar: {text}")]
    url = settings.calendar_url(grant.token)
    lead = f"Your calendar subscription URL for {_what(grant)}"
    if grant.revoked:
        lead = (
            f"Your new calendar subscription URL for {_what(grant)} (the old one no longer works)"
        )
    text = f"{lead}: {url}"
    return text, [
        blocks.section(f":calendar: {lead}:\n```{url}```"),
        blocks.context(HOW_TO_SUBSCRIBE, KEEP_IT_PRIVATE),
    ]


def matter_feed_reply(grant: Grant, settings: Settings) -> blocks.Message:
    text, shown = feed_blocks(grant, settings)
    return blocks.message(text, shown)
