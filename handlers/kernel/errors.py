"""The single error handler: domain errors become ephemeral replies, the rest are logged.

No handler catches exceptions itself. A ``ClerkError`` raised anywhere in a listener is
shown to the person who asked (ephemeral, via ``response_url`` or ``chat.postEphemeral``);
modal field errors keep the modal open; anything unexpected is logged with a reference the
user can quote, and never shown as a traceback. The unit of work has already rolled back.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_bolt import Ack, App, BoltContext, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy.exc import DBAPIError

from bot.clerk import Clerk
from bot.errors import ClerkError, FieldErrors, NeedsConfirmation
from handlers.kernel import blocks
from handlers.kernel.ids import Action

log = logging.getLogger("clerk.errors")


def confirmation_message(question: NeedsConfirmation) -> blocks.Message:
    buttons = [
        blocks.button(label, Action.CONFIRM_READING, value, style="primary" if i == 0 else None)
        for i, (label, value) in enumerate(question.choices)
    ]
    buttons.append(blocks.button("Cancel", Action.CANCEL_READING, "cancel"))
    return blocks.message(
        question.question,
        blocks.section(f":question: {question.question}"),
        blocks.actions(*buttons),
    )


BUSY = (
    "Clerk's database is busy with other work and nothing was saved. Please try again in a moment."
)
DISCONNECTED = (
    "Clerk lost its connection to the database and nothing was saved. Please try again in a moment."
)


def database_trouble(error: Exception) -> str | None:
    """What to tell the user when the database, not Clerk, failed the command.

    SQLite locked past its busy timeout, or a PostgreSQL connection dropped mid-transaction
    (restart, failover, an administrator's ``pg_terminate_backend``): the unit of work rolled
    back, and trying again is the right advice. Other database errors are Clerk's bugs.
    """
    if not isinstance(error, DBAPIError):
        return None
    if error.connection_invalidated:
        return DISCONNECTED
    if "database is locked" in str(error.orig):
        return BUSY
    return None


def slack_trouble(error: Exception) -> bool:
    """Whether Slack, not Clerk or its database, failed: a timeout, a refused call.

    Such a failure usually comes *after* the unit of work committed (the answer is sent
    last), so "nothing was saved" would be false and would invite a second, duplicate write.
    """
    return isinstance(error, SlackClientError | URLError | TimeoutError | ConnectionError)


def reply_for(error: Exception) -> blocks.Message:
    if isinstance(error, NeedsConfirmation):
        return confirmation_message(error)
    if isinstance(error, ClerkError):
        return blocks.error(error.message, error.usage)
    trouble = database_trouble(error)
    if trouble is not None:
        log.warning("database unavailable: %s", type(getattr(error, "orig", error)).__name__)
        return blocks.error(trouble)
    reference = uuid.uuid4().hex[:8]
    if slack_trouble(error):
        log.warning("Slack call failed %s: %s", reference, type(error).__name__)
        return blocks.error(
            "Slack did not take Clerk's answer in time, so part of it may be missing. "
            "What you asked may already be saved: check before trying again "
            f"(reference {reference})."
        )
    log.error("unexpected error %s: %s", reference, type(error).__name__, exc_info=error)
    return blocks.error(
        "Something went wrong on Clerk's side and nothing was saved. "
        f"Please try again; if it keeps happening, tell your admin (reference {reference})."
    )


def _deliver(
    reply: blocks.Message, body: dict[str, Any], respond: Respond | None, client: WebClient
) -> None:
    if respond is not None and body.get("response_url") or _has_response_urls(body):
        assert respond is not None
        respond(**reply.payload(), response_type="ephemeral", replace_original=False)
        return
    event = body.get("event") or {}
    user = event.get("user") or (body.get("user") or {}).get("id") or body.get("user_id")
    channel = event.get("channel") or (body.get("channel") or {}).get("id")
    if not user:
        return
    if channel and channel.startswith("D"):
        client.chat_postMessage(channel=channel, **reply.payload())
    elif channel:
        client.chat_postEphemeral(channel=channel, user=user, **reply.payload())
    else:
        dm = client.conversations_open(users=user)["channel"]["id"]
        client.chat_postMessage(channel=dm, **reply.payload())


def _has_response_urls(body: dict[str, Any]) -> bool:
    return bool(body.get("response_urls"))


class StickyAck(Ack):
    """An ``ack`` whose answer, once given, stays given.

    bolt's thread runner, when a listener raises *after* calling ``ack()``, writes
    ``ack.response = None`` before the request thread has read the answer; if that happens
    within its 10 ms polling interval, Slack gets a 404 three seconds later and shows the
    user a failed command, although Clerk's ephemeral refusal was sent. Refusing to forget
    an answer fixes that for every listener at once.
    """

    @property  # type: ignore[override]
    def response(self) -> BoltResponse | None:
        return self.__dict__.get("_answer")

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is None and self.__dict__.get("_answer") is not None:
            return
        self.__dict__["_answer"] = value


def _sticky_ack(context: BoltContext, next: Callable[[], Any]) -> Any:  # noqa: A002
    context["ack"] = StickyAck()
    return next()


def register(app: App, clerk: Clerk) -> None:
    app.middleware(_sticky_ack)

    @app.error
    def handle_error(
        error: Exception,
        body: dict[str, Any],
        response: BoltResponse | None,
        respond: Respond | None,
        client: WebClient,
    ) -> BoltResponse | None:
        is_view = body.get("type") == "view_submission"
        if is_view and response is not None:
            # Not yet acknowledged: answer the submission itself so the modal stays open.
            if isinstance(error, FieldErrors):
                errors = dict(error.errors)
            else:
                message = reply_for(error).text
                errors = {_first_input_block(body): blocks.truncate(message, 150)}
            return BoltResponse(
                status=200,
                body=json.dumps({"response_action": "errors", "errors": errors}),
                headers={"content-type": ["application/json"]},
            )
        reply = reply_for(error)
        try:
            _deliver(reply, body, respond, client)
        except Exception as delivery_error:  # noqa: BLE001 - last resort: log, never raise
            log.error("could not deliver an error reply: %s", delivery_error)
        if response is not None:
            # The listener failed before ack(): answer Slack with 200 so it doesn't show a
            # generic failure (the ephemeral reply explains what happened).
            return BoltResponse(status=200, body="")
        return None


def _first_input_block(body: dict[str, Any]) -> str:
    for block in (body.get("view") or {}).get("blocks", []):
        if block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return "value"
