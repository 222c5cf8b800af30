"""The buttons on reminder DMs: *Mark done*, *Snooze reminder 1 day*, *Reassign*.

Each checks the presser's permission through the deadlines service, then updates the
original message (``chat.update``) so the DM shows what happened instead of stale buttons.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.errors import FieldErrors, InvalidInput
from bot.services.deadlines import complete_deadline, reassign_deadline, snooze_reminders
from handlers import blocks

REASSIGN_MODAL = "reminder_reassign_modal"


def _deadline_id(action: dict[str, Any]) -> int:
    value = str(action.get("value", ""))
    if not value.isdigit():
        raise InvalidInput("That button is no longer valid.")
    return int(value)


def _update(client: WebClient, body: dict[str, Any], text: str) -> None:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts")
    original = (body.get("message") or {}).get("blocks") or []
    kept = [b for b in original if b.get("type") != "actions"]
    message = blocks.message(text, *kept, blocks.context(text))
    if channel and ts:
        client.chat_update(channel=channel, ts=ts, **message.payload())


def register(app: App, clerk: Clerk) -> None:
    @app.action("reminder_done")
    def done(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        with clerk.db.unit_of_work(actor.slack_id) as session:
            deadline = complete_deadline(session, actor=actor, deadline_id=_deadline_id(action))
            title = deadline.title
        _update(client, body, f":white_check_mark: Marked done by <@{actor.slack_id}>: {title}")

    @app.action("reminder_snooze")
    def snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        until = clerk.now() + timedelta(days=1)
        with clerk.db.unit_of_work(actor.slack_id) as session:
            deadline = snooze_reminders(
                session, actor=actor, deadline_id=_deadline_id(action), until=until
            )
            due = deadline.due_on
        _update(
            client,
            body,
            f"Reminder snoozed until tomorrow; the deadline stays {due:%a %-d %b %Y}.",
        )

    @app.action("reminder_reassign")
    def reassign(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        deadline_id = _deadline_id(action)
        container = body.get("container") or {}
        view = blocks.modal(
            "Reassign deadline",
            REASSIGN_MODAL,
            [blocks.user_input("assignee", "Assign to", optional=False)],
            private_metadata=f"{deadline_id}|{container.get('channel_id', '')}|"
            f"{container.get('message_ts', '')}",
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(REASSIGN_MODAL)
    def reassigned(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        assignee = blocks.view_values(view).get("assignee")
        if not assignee:
            raise FieldErrors({"assignee": "Pick who should handle it."})
        deadline_id, channel, ts = (view.get("private_metadata") or "||").split("|")[:3]
        actor = clerk.directory.actor(body["user"]["id"])
        member = clerk.directory.member(assignee)
        with clerk.db.unit_of_work(actor.slack_id) as session:
            deadline = reassign_deadline(
                session, actor=actor, deadline_id=int(deadline_id), assignee_user_id=member.user_id
            )
            title = deadline.title
        ack()
        if channel and ts:
            text = f"Reassigned to <@{member.slack_id}> by <@{actor.slack_id}>: {title}"
            client.chat_update(channel=channel, ts=ts, **blocks.message(text).payload())
