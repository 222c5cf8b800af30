"""The buttons on reminder DMs: *Mark done*, *Snooze reminder 1 day*, *Reassign*.

Each goes through the deadlines service (which checks the presser's role and that the
deadline is still open), then rewrites the original DM with ``chat.update`` so it shows what
happened instead of stale buttons. A refusal leaves the DM as it was and answers ephemerally.

Only a reminder DM Clerk sent for that very deadline is rewritten (its outbox row says where
it went, ``handlers.kernel.posted``), and it is redrawn from what Clerk sent, not from the
blocks a payload carries: a press whose payload names another message (the digest, the
billing post) is answered ephemerally and rewrites nothing. The *Reassign* form carries the
deadline and the DM it came from under Clerk's seal (``handlers.kernel.sealed``).
"""

from __future__ import annotations

from dataclasses import dataclass
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
from handlers.deadlines.reminder_views import (
    OUTBOX_KIND,
    QUEUED_AS,
    Reminder,
    ReminderAction,
    outbox_prefix,
)
from handlers.kernel import blocks, posted, sealed
from handlers.kernel.commands import send

SNOOZE = timedelta(days=1)


def _deadline_id(value: Any) -> int:
    text = str(value or "")
    if not text.isdigit():
        raise InvalidInput("That button is no longer valid: use `/deadline list` instead.")
    return int(text)


@dataclass(frozen=True)
class OwnDM:
    """A reminder DM Clerk sent: where it is, and what it said (without its buttons)."""

    channel: str
    ts: str
    kept: list[blocks.Block_]


def _own_dm(clerk: Clerk, body: dict[str, Any], deadline_id: int) -> OwnDM | None:
    """The reminder DM for ``deadline_id`` the button was pressed on, as Clerk sent it; None
    when the payload names any other message."""
    with clerk.db.reading() as session:
        row = posted.clerk_message(
            session, body, kinds=[OUTBOX_KIND], key_prefix=outbox_prefix(deadline_id)
        )
        if row is None or not row.slack_channel or not row.slack_ts:
            return None
        facts = row.payload.get(QUEUED_AS)
        drawn = (
            Reminder.from_queued(facts).render().blocks
            if facts is not None
            else list(row.payload.get("blocks") or [])  # queued as blocks by an older Clerk
        )
        kept = [b for b in drawn if b.get("type") != "actions"][:45]
        return OwnDM(row.slack_channel, row.slack_ts, kept)


def _show(client: WebClient, respond: Respond, dm: OwnDM | None, outcome: str) -> None:
    """Replace the DM's buttons with the outcome, keeping what the reminder said."""
    if dm is None:
        send(respond, blocks.success(outcome))
        return
    message = blocks.message(outcome, *dm.kept, blocks.context(outcome))
    client.chat_update(channel=dm.channel, ts=dm.ts, **message.payload())


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
        outcome = (
            f":white_check_mark: #{number} {blocks.escape(title)}: marked done by "
            f"{blocks.mention(actor.slack_id)}."
        )
        _show(client, respond, _own_dm(clerk, body, number), outcome)

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
        _show(client, respond, _own_dm(clerk, body, number), outcome)

    @app.action(ReminderAction.REASSIGN.value)
    def reassign(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        deadline_id = _deadline_id(action.get("value"))
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.MANAGE_DEADLINES)
        with clerk.db.reading() as session:
            title = get_deadline(session, deadline_id).title
        dm = _own_dm(clerk, body, deadline_id)
        where = {"ch": dm.channel, "ts": dm.ts} if dm is not None else {}
        view = blocks.modal(
            "Reassign deadline",
            ReminderAction.REASSIGN_MODAL.value,
            [
                blocks.section(f"Who should handle *#{deadline_id}* {blocks.escape(title)}?"),
                blocks.user_input("assignee", "Assign to", optional=False),
            ],
            submit="Reassign",
            private_metadata=sealed.seal(clerk, {"d": deadline_id, **where}),
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(ReminderAction.REASSIGN_MODAL.value)
    def reassigned(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        assignee = blocks.view_values(view).get("assignee")
        if not assignee:
            raise FieldErrors({"assignee": "Pick who should handle it."})
        meta = sealed.unseal(clerk, view.get("private_metadata"))
        channel, ts = str(meta.get("ch") or ""), str(meta.get("ts") or "")
        actor = clerk.directory.actor(body["user"]["id"])
        member = clerk.directory.member(assignee)
        with clerk.db.unit_of_work(actor.slack_id) as session:
            deadline = reassign_deadline(
                session,
                actor=actor,
                deadline_id=_deadline_id(meta.get("d")),
                assignee_slack_id=member.slack_id,
            )
            title, number = deadline.title, deadline.id
        ack()
        if channel and ts:
            text = (
                f":busts_in_silhouette: #{number} {blocks.escape(title)}: reassigned to "
                f"{blocks.mention(member.slack_id)} by {blocks.mention(actor.slack_id)}."
            )
            client.chat_update(channel=channel, ts=ts, **blocks.message(text).payload())
