"""The buttons on reminder DMs: *Mark done*, *Snooze reminder 1 day*, *Reassign*.

Each goes through the deadlines service (which checks the presser's role and that the
deadline is still open), then rewrites the original DM with ``chat.update`` so it shows what
happened instead of stale buttons. A refusal leaves the DM as it was and answers ephemerally.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.dates.format import format_day
from bot.deadlines.service import (
    complete_deadline,
    get_deadline,
    reassign_deadline,
    snooze_reminders,
)
from bot.errors import FieldErrors, InvalidInput
from bot.permissions import Capability
from handlers.deadlines.reminder_views import ReminderAction
from handlers.kernel import blocks
from handlers.kernel.commands import send

SNOOZE = timedelta(days=1)


def _deadline_id(value: Any) -> int:
    text = str(value or "")
    if not text.isdigit():
        raise InvalidInput("That button is no longer valid: use `/deadline list` instead.")
    return int(text)


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("message_ts") or (body.get("message") or {}).get("ts")


def _show(client: WebClient, respond: Respond, body: dict[str, Any], outcome: str) -> None:
    """Replace the DM's buttons with the outcome, keeping what the reminder said."""
    channel, ts = _where(body)
    original = (body.get("message") or {}).get("blocks") or []
    kept = [b for b in original if b.get("type") != "actions"][:45]
    message = blocks.message(outcome, *kept, blocks.context(outcome))
    if channel and ts:
        client.chat_update(channel=channel, ts=ts, **message.payload())
    else:
        send(respond, blocks.success(outcome))


def register(app: App, clerk: Clerk) -> None:
    @app.action(ReminderAction.DONE.value)
    def done(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        with clerk.db.unit_of_work(actor.slack_id) as session:
            deadline = complete_deadline(
                session, actor=actor, deadline_id=_deadline_id(action.get("value"))
            )
            title, number = deadline.title, deadline.id
        outcome = f":white_check_mark: #{number} {title}: marked done by <@{actor.slack_id}>."
        _show(client, respond, body, outcome)

    @app.action(ReminderAction.SNOOZE.value)
    def snooze(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        until = clerk.now() + SNOOZE
        with clerk.db.unit_of_work(actor.slack_id) as session:
            deadline = snooze_reminders(
                session, actor=actor, deadline_id=_deadline_id(action.get("value")), until=until
            )
            due, number = deadline.due_on, deadline.id
        outcome = (
            f":zzz: Reminders for #{number} snoozed until tomorrow morning; "
            f"the deadline itself stays {format_day(due)}."
        )
        _show(client, respond, body, outcome)

    @app.action(ReminderAction.REASSIGN.value)
    def reassign(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        deadline_id = _deadline_id(action.get("value"))
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.MANAGE_DEADLINES)
        with clerk.db.reading() as session:
            title = get_deadline(session, deadline_id).title
        channel, ts = _where(body)
        view = blocks.modal(
            "Reassign deadline",
            ReminderAction.REASSIGN_MODAL.value,
            [
                blocks.section(f"Who should handle *#{deadline_id}* {blocks.escape(title)}?"),
                blocks.user_input("assignee", "Assign to", optional=False),
            ],
            submit="Reassign",
            private_metadata=f"{deadline_id}|{channel or ''}|{ts or ''}",
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(ReminderAction.REASSIGN_MODAL.value)
    def reassigned(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        assignee = blocks.view_values(view).get("assignee")
        if not assignee:
            raise FieldErrors({"assignee": "Pick who should handle it."})
        deadline_text, channel, ts = ((view.get("private_metadata") or "") + "||").split("|")[:3]
        actor = clerk.directory.actor(body["user"]["id"])
        member = clerk.directory.member(assignee)
        with clerk.db.unit_of_work(actor.slack_id) as session:
            deadline = reassign_deadline(
                session,
                actor=actor,
                deadline_id=_deadline_id(deadline_text),
                assignee_slack_id=member.slack_id,
            )
            title, number = deadline.title, deadline.id
        ack()
        if channel and ts:
            text = (
                f":busts_in_silhouette: #{number} {title}: reassigned to <@{member.slack_id}> "
                f"by <@{actor.slack_id}>."
            )
            client.chat_update(channel=channel, ts=ts, **blocks.message(text).payload())
