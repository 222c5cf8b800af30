"""What the money handlers share: the home currency, reading a date that may need a question
first, queueing the warnings and stage-change DMs of a command in its own unit of work, and
delivering a modal's receipt.

Kept apart from ``handlers.billing.invoices`` so the ``/invoice`` subcommands can live in
more than one module without an import circle.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.billing.money_changes import Outcome
from bot.billing.stage_recipients import stage_recipients
from bot.clerk import Clerk
from bot.deadlines.dates import decide
from bot.errors import NeedsConfirmation
from bot.permissions import Actor
from handlers.billing import views
from handlers.deadlines.rulesets import choice_value
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest
from handlers.kernel.errors import confirmation_message
from handlers.kernel.replies import reply_privately
from schedules.outbox import enqueue


def home(clerk: Clerk) -> str:
    return clerk.settings.currency


def read_day(
    request: CommandRequest,
    text: str,
    *,
    prefer: Literal["future", "past"],
    allow_past: bool,
    relative_to: date | None = None,
) -> date | blocks.Message:
    """The day ``text`` names, or the question to ask first (ambiguous, or past when not
    allowed). ``relative_to`` reads it from another day (a due date from the issue date)."""
    clerk = request.clerk
    zone = clerk.settings.tz
    now = clerk.now() if relative_to is None else datetime.combine(relative_to, time(12), zone)
    parsed = clerk.dates.parse(text, now=now, prefer=prefer)
    decided = decide(
        parsed,
        now=clerk.now(),
        zone=zone,
        confirmed=request.confirmed,
        choice=choice_value(request),
        allow_past=allow_past,
    )
    if isinstance(decided, NeedsConfirmation):
        return confirmation_message(decided)
    return decided.day


def queue_messages(session: Session, outcome: Outcome, actor: Actor) -> None:
    """The responsible lawyer's warnings and the stage-change DMs, sent once (outbox keys).

    A stage change is told to the responsible lawyer under ``stage:{client}:{event}``, and,
    when the account reaches stage 3 or 4, to the partners and admins who must act on it
    (``bot.billing.stage_recipients``) under the same key with their Slack id added. Never
    to whoever typed the command: they are reading its receipt.
    """
    for notice in outcome.notices:
        if notice.target:
            enqueue(
                session,
                key=notice.key,
                target=notice.target,
                kind=notice.kind,
                payload=views.notice_payload(
                    notice, by=actor.slack_id, client_code=outcome.client.code
                ),
            )
    for person, changes in sorted(stage_recipients(session, outcome.changes).items()):
        if person == actor.slack_id:
            continue
        for change in changes:
            key = f"stage:{change.client_id}:{change.event_id}"
            enqueue(
                session,
                key=key if person == change.lawyer_slack_id else f"{key}:{person}",
                target=person,
                kind="stage_change",
                payload=views.stage_change_payload(change),
            )


def deliver(client: WebClient, actor: Actor, channel: str, reply: blocks.Message) -> None:
    """A money modal's receipt, seen only by who filled it in."""
    reply_privately(client, actor.slack_id, channel, reply)
