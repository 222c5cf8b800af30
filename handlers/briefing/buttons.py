"""The buttons on a briefing's lines: *Mark done*, *Snooze reminder 1 day*, *Reassign* on a
deadline, *Log contact* on a follow-up or a key client.

Each goes through its service (which checks the presser's role and that the deadline is
still open), then rewrites the line it was pressed on, and only that line: the briefing is
redrawn from the facts Clerk queued, with that line showing what was done instead of its
buttons, and every other line as it was, buttons and all. What each button did is kept with
the briefing's outbox row, under a lock, so two lines acted on one after the other (or at
once, from two devices) both keep their outcome. A refusal leaves the briefing as it was and
answers privately.

Only a briefing Clerk sent, holding that very line, is rewritten (its outbox row says where
it went, ``handlers.kernel.posted``); a press whose payload names another message is
answered privately and rewrites nothing. The forms carry the line and the briefing under
Clerk's seal (``handlers.kernel.sealed``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.clerk import Clerk
from bot.dates.format import format_day
from bot.deadlines.service import (
    complete_deadline,
    get_deadline,
    reassign_deadline,
    snooze_reminders,
)
from bot.errors import FieldErrors, InvalidInput, NotFound
from bot.permissions import Capability
from handlers.briefing.views import OUTBOX_KIND, OUTCOMES, QUEUED_AS, Briefing, BriefingAction
from handlers.clients import contact_views
from handlers.clients.commands import dm
from handlers.clients.contacts import contact_from_form, log
from handlers.kernel import blocks, posted, sealed
from handlers.kernel.commands import send
from schedules.delivery import METADATA_TYPE
from storage.models import Client, Contact, OutboxMessage, OutboxStatus

logger = logging.getLogger("clerk.briefing")

SNOOZE = timedelta(days=1)
STALE = "That button is no longer valid: use `/deadline list mine` instead."


@dataclass(frozen=True)
class Briefed:
    """The briefing a button was pressed on: its outbox row, and where Slack shows it."""

    row_id: int
    channel: str
    ts: str

    def sealed(self) -> dict[str, Any]:
        return {"r": self.row_id, "ch": self.channel, "ts": self.ts}


def _line(value: Any, *tags: str) -> tuple[str, int]:
    """A button's line (``d42``): its tag and number; stale or forged values are refused."""
    text = str(value or "")
    if text[:1] not in tags or not text[1:].isdigit():
        raise InvalidInput(STALE)
    return text, int(text[1:])


def _pressed_on(clerk: Clerk, body: dict[str, Any], line: str) -> Briefed | None:
    """The briefing holding ``line`` that the button was pressed on, as Clerk sent it."""
    with clerk.db.reading() as session:
        row = posted.clerk_message(session, body, kinds=[OUTBOX_KIND], key_prefix="briefing:")
        if row is None or not row.slack_channel or not row.slack_ts:
            return None
        facts = row.payload.get(QUEUED_AS)
        if facts is None or line not in Briefing.from_queued(facts).ids():
            return None
        return Briefed(row.id, row.slack_channel, row.slack_ts)


def _from_form(meta: dict[str, Any]) -> Briefed | None:
    """The briefing a form was opened from, as Clerk sealed it into the form."""
    if not meta.get("r"):
        return None
    return Briefed(int(meta["r"]), str(meta.get("ch") or ""), str(meta.get("ts") or ""))


def _rewrite(
    clerk: Clerk, client: WebClient, briefed: Briefed | None, line: str, said: str
) -> bool:
    """Show ``said`` on ``line`` of the briefing, keeping every other line as it is; False
    when there is no briefing of Clerk's to rewrite."""
    if briefed is None:
        return False
    with clerk.db.unit_of_work("system") as session:
        row = session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.id == briefed.row_id,
                OutboxMessage.kind == OUTBOX_KIND,
                OutboxMessage.status == OutboxStatus.SENT,
                OutboxMessage.slack_channel == briefed.channel,
                OutboxMessage.slack_ts == briefed.ts,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one_or_none()
        if row is None or QUEUED_AS not in row.payload:
            return False
        outcomes = {**(row.payload.get(OUTCOMES) or {}), line: said}
        row.payload = {**row.payload, OUTCOMES: outcomes}
        drawn = Briefing.from_queued(row.payload[QUEUED_AS]).render(outcomes)
        try:
            client.chat_update(
                channel=briefed.channel,
                ts=briefed.ts,
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": row.key}},
                **drawn.payload(),
            )
        except SlackApiError as exc:  # gone from Slack: the outcome is kept all the same
            logger.warning("could not rewrite a briefing: %s", exc.response.get("error"))
    return True


def _client_code(clerk: Clerk, tag: str, number: int) -> str:
    """The client a follow-up's contact or a key client's line is about."""
    with clerk.db.reading() as session:
        if tag == "f":
            contact = session.get(Contact, number)
            client = session.get(Client, contact.client_id) if contact else None
        else:
            client = session.get(Client, number)
    if client is None:
        raise NotFound("That client is no longer in Clerk: `/client find` shows who is.")
    return client.code


def register(app: App, clerk: Clerk) -> None:
    @app.action(BriefingAction.DONE.value)
    def done(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        line, number = _line(action.get("value"), "d")
        actor = clerk.directory.actor(body["user"]["id"])
        with clerk.db.unit_of_work(actor.slack_id) as session:
            title = complete_deadline(session, actor=actor, deadline_id=number).title
        said = (
            f":white_check_mark: #{number} {blocks.escape(title)}: marked done by "
            f"{blocks.mention(actor.slack_id)}."
        )
        if not _rewrite(clerk, client, _pressed_on(clerk, body, line), line, said):
            send(respond, blocks.success(said))

    @app.action(BriefingAction.SNOOZE.value)
    def snooze(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        line, number = _line(action.get("value"), "d")
        actor = clerk.directory.actor(body["user"]["id"])
        with clerk.db.unit_of_work(actor.slack_id) as session:
            due = snooze_reminders(
                session, actor=actor, deadline_id=number, until=clerk.now() + SNOOZE
            ).due_on
        said = (
            f":zzz: Reminders for #{number} snoozed until tomorrow morning; "
            f"the deadline itself stays {format_day(due)}."
        )
        if not _rewrite(clerk, client, _pressed_on(clerk, body, line), line, said):
            send(respond, blocks.success(said))

    @app.action(BriefingAction.REASSIGN.value)
    def reassign(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        line, number = _line(action.get("value"), "d")
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.MANAGE_DEADLINES)
        with clerk.db.reading() as session:
            title = get_deadline(session, number).title
        briefed = _pressed_on(clerk, body, line)
        view = blocks.modal(
            "Reassign deadline",
            BriefingAction.REASSIGN_MODAL.value,
            [
                blocks.section(f"Who should handle *#{number}* {blocks.escape(title)}?"),
                blocks.user_input("assignee", "Assign to", optional=False),
            ],
            submit="Reassign",
            private_metadata=sealed.seal(
                clerk, {"l": line, **(briefed.sealed() if briefed else {})}
            ),
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(BriefingAction.REASSIGN_MODAL.value)
    def reassigned(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        assignee = blocks.view_values(view).get("assignee")
        if not assignee:
            raise FieldErrors({"assignee": "Pick who should handle it."})
        meta = sealed.unseal(clerk, view.get("private_metadata"))
        line, number = _line(meta.get("l"), "d")
        actor = clerk.directory.actor(body["user"]["id"])
        member = clerk.directory.member(assignee)
        with clerk.db.unit_of_work(actor.slack_id) as session:
            title = reassign_deadline(
                session, actor=actor, deadline_id=number, assignee_slack_id=member.slack_id
            ).title
        ack()
        said = (
            f":busts_in_silhouette: #{number} {blocks.escape(title)}: reassigned to "
            f"{blocks.mention(member.slack_id)} by {blocks.mention(actor.slack_id)}."
        )
        if not _rewrite(clerk, client, _from_form(meta), line, said):
            dm(client, actor, blocks.success(said))

    @app.action(BriefingAction.LOG_CONTACT.value)
    def log_contact(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        line, number = _line(action.get("value"), "f", "k")
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.LOG_CONTACTS)
        code = _client_code(clerk, line[0], number)
        briefed = _pressed_on(clerk, body, line)
        view = contact_views.contact_modal(client=code, today=clerk.today())
        view["callback_id"] = BriefingAction.CONTACT_MODAL.value
        view["private_metadata"] = sealed.seal(
            clerk, {"l": line, **(briefed.sealed() if briefed else {})}
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(BriefingAction.CONTACT_MODAL.value)
    def contact_logged(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.LOG_CONTACTS)
        meta = sealed.unseal(clerk, view.get("private_metadata"))
        line, _number = _line(meta.get("l"), "f", "k")
        form, data = contact_from_form(clerk, view)
        reply = log(clerk, actor, data)
        ack()
        said = (
            f":telephone_receiver: {form.kind.value.capitalize()} with *{form.client_code}* "
            f"logged by {blocks.mention(actor.slack_id)}: "
            f"{blocks.escape(blocks.truncate(form.summary, 200))}"
        )
        if not _rewrite(clerk, client, _from_form(meta), line, said):
            dm(client, actor, reply)
