"""``/deadline calendar [reset]`` and ``/matter calendar MATTER [reset]``: calendar feeds.

``/deadline calendar`` gives both ways into a calendar: the one-off ``.ics`` file in the
asker's DM (as before) and the subscription URL that stays current. The file and the feed
are drawn by the same builder (``bot.deadlines.calendar``), so an event imported from the
file and the same event in the feed carry the same UID.
"""

from __future__ import annotations

from bot.clients.lookup import looks_like_matter_code
from bot.deadlines import feeds
from bot.deadlines.calendar import FILENAME, build_calendar
from bot.errors import InvalidInput
from handlers.deadlines.feed_views import (
    DEADLINE_USAGE,
    MATTER_USAGE,
    feed_blocks,
    matter_feed_reply,
)
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply

RESET = "reset"


def _reset(extra: list[str], command: str, usage: str) -> bool:
    """Whether the words after the command ask for a new URL; anything else is refused."""
    if not extra:
        return False
    if len(extra) == 1 and extra[0].lower() == RESET:
        return True
    said = blocks.escape(blocks.truncate(" ".join(extra), 60))
    raise InvalidInput(f"`{command}` takes only `reset` after it, not `{said}`.", usage=usage)


def deadline_calendar(request: CommandRequest) -> Reply:
    """The asker's feed URL (new, or where it stands) and, unless resetting, the file."""
    clerk, actor = request.clerk, request.actor
    reset = _reset(request.words[1:], "/deadline calendar", DEADLINE_USAGE)
    with clerk.db.unit_of_work(actor.slack_id) as session:
        grant = feeds.grant(session, actor=actor, now=clerk.now(), matter_code=None, reset=reset)
    text, shown = feed_blocks(grant, clerk.settings)
    if reset:
        return blocks.message(text, shown)
    with clerk.db.reading() as session:
        entries = feeds.open_entries(session, user_id=actor.user_id)
        steps = clerk.firm.get("reminder_days", session)
    count = len(entries)
    if count == 0:
        lead = "You have no open deadlines, so there is no calendar to send."
        return blocks.message(f"{lead} {text}", blocks.section(lead), shown)
    content = build_calendar(
        entries,
        zone=clerk.settings.tz,
        stamp=clerk.now(),
        domain=clerk.settings.calendar_domain,
        alarm_days=steps,
    )
    dm = request.client.conversations_open(users=actor.slack_id)["channel"]["id"]
    plural = "s" if count != 1 else ""
    request.client.files_upload_v2(
        channel=dm,
        filename=FILENAME,
        title="Clerk deadlines",
        content=content,
        initial_comment=(
            f"Your {count} open deadline{plural}. Import the file into your calendar; "
            "importing a newer one updates these events rather than duplicating them."
        ),
    )
    lead = f"Sent {FILENAME} ({count} open deadline{plural}) to your DM with Clerk."
    return blocks.message(f"{lead} {text}", blocks.section(f":white_check_mark: {lead}"), shown)


def matter_calendar(request: CommandRequest) -> Reply:
    """``/matter calendar MATTER [reset]``: one matter's feed, for anyone who may see it."""
    clerk, actor = request.clerk, request.actor
    words = request.words[1:]
    if not words:
        raise InvalidInput("Which matter? e.g. `/matter calendar ACME-1`.", usage=MATTER_USAGE)
    code = words[0]
    if not looks_like_matter_code(code):
        raise InvalidInput(
            f"`{blocks.escape(blocks.truncate(code, 40))}` is not a matter code: matters look "
            "like ACME-1.",
            usage=MATTER_USAGE,
        )
    reset = _reset(words[1:], "/matter calendar MATTER", MATTER_USAGE)
    with clerk.db.unit_of_work(actor.slack_id) as session:
        grant = feeds.grant(session, actor=actor, now=clerk.now(), matter_code=code, reset=reset)
    return matter_feed_reply(grant, clerk.settings)
