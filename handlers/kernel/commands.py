"""How a slash command is served, written once for every command family.

Each family (``/client``, ``/deadline``...) supplies a ``run`` function that reads the text,
calls a service and returns messages. This module does the rest the same way everywhere:
acknowledge at once (Slack allows 3 seconds), refuse over-long text, print usage for
``help``, open the family's modal when there are no arguments, resolve the asker, and send
replies ephemerally through ``response_url``. A reading that needs confirming (a past date,
an ambiguous 3/4) comes back as buttons that re-run the same command with the reading
confirmed, so nothing is stored before the user says yes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.clerk import Clerk
from bot.errors import InvalidInput, NeedsConfirmation
from bot.permissions import Actor
from bot.slack_retry import slack_retry_handlers
from bot.text import MAX_COMMAND_TEXT, clean, unescape
from handlers.kernel import blocks
from handlers.kernel.errors import reply_for
from handlers.kernel.events import first_interaction
from handlers.kernel.ids import Action

Reply = blocks.Message | Sequence[blocks.Message] | None
RESPONSE_URL_TIMEOUT_S = 10
log = logging.getLogger("clerk.replies")
REPLAYED = (
    "Clerk already received this very command, so it was not run a second time and nothing "
    "more was saved. To do it again, type it again."
)


@dataclass(frozen=True)
class CommandRequest:
    clerk: Clerk
    actor: Actor
    command: str
    text: str
    channel_id: str
    client: WebClient
    trigger_id: str | None = None
    # Readings the user already confirmed with a button ("past-date", "date-order"...).
    confirmed: frozenset[str] = field(default_factory=frozenset)

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def confirm(self, key: str, question: str, label: str) -> None:
        """Stop and ask, unless the user already pressed the button for ``key``.

        The button re-runs this very command with ``key`` confirmed.
        """
        if key in self.confirmed:
            return
        value = json.dumps(
            {"c": self.command, "t": self.text, "k": sorted({*self.confirmed, key})},
            separators=(",", ":"),
        )
        if len(value) > blocks.MAX_BUTTON_VALUE:
            raise InvalidInput("That command is too long to confirm; please shorten it.")
        raise NeedsConfirmation(question=question, choices=[(label, value)])


Runner = Callable[[CommandRequest], Reply]
ModalOpener = Callable[[CommandRequest], dict[str, Any]]


def send(respond: Respond, reply: Reply, *, replace_original: bool = False) -> None:
    """Answer through ``response_url``, riding out Slack's 429s and 5xx blips.

    bolt's ``respond()`` tries once: a reply refused by a busy Slack would be lost while the
    write it reports stands, and the user might type it again. The same retry policy as the
    Web API client applies here; a reply still refused after it is logged (without its text).
    """
    if reply is None:
        return
    messages = [reply] if isinstance(reply, blocks.Message) else list(reply)
    webhook = (
        WebhookClient(
            respond.response_url,
            timeout=RESPONSE_URL_TIMEOUT_S,
            proxy=respond.proxy,
            ssl=respond.ssl,
            retry_handlers=slack_retry_handlers(),
        )
        if respond.response_url
        else None
    )
    for index, msg in enumerate(messages):
        body = {
            **msg.payload(),
            "response_type": "in_channel" if msg.in_channel else "ephemeral",
            "replace_original": replace_original and index == 0,
        }
        if webhook is None:
            respond(**body)  # bolt explains the missing response_url
            continue
        answer = webhook.send_dict(body)
        if answer.status_code >= 400:
            log.warning("Slack refused a reply (HTTP %s) after retries", answer.status_code)


def slash_command(
    app: App,
    clerk: Clerk,
    name: str,
    run: Runner,
    *,
    usage: blocks.Message,
    open_modal: ModalOpener | None = None,
) -> None:
    """Register ``name`` with the shared serving logic above."""
    clerk.commands.add(name)
    clerk.runners[name] = run

    @app.command(name)
    def serve(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        # Slack escapes &, < and > in what was typed; mentions (<@U1|lena>) arrive as markup.
        # Undone here, once, so every family stores "Smith & Jones", never "Smith &amp; Jones".
        text = clean(unescape(command.get("text") or ""))
        if len(text) > MAX_COMMAND_TEXT:
            raise InvalidInput(
                f"That is {len(text):,} characters; Clerk reads at most {MAX_COMMAND_TEXT:,}. "
                "Put long notes in the modal (type the command alone)."
            )
        if text.split(" ", 1)[0].lower() in ("help", "?", "-h", "--help"):
            send(respond, usage)
            return
        actor = clerk.directory.actor(command["user_id"])
        request = CommandRequest(
            clerk=clerk,
            actor=actor,
            command=name,
            text=text,
            channel_id=command.get("channel_id", ""),
            client=client,
            trigger_id=command.get("trigger_id"),
        )
        if not text and open_modal is not None:
            client.views_open(trigger_id=command["trigger_id"], view=open_modal(request))
            return
        send(respond, run(request))


def once_per_trigger(clerk: Clerk) -> Callable[..., BoltResponse | None]:
    """A middleware that lets each slash command, button press, shortcut and form
    submission run once (``handlers.kernel.events``); bolt has verified the signature first.

    A replayed command is answered in the acknowledgement itself (Slack shows it to the
    person ephemerally); a replayed click or submission is acknowledged and dropped.
    """

    def middleware(body: dict[str, Any], next: Callable[[], Any]) -> BoltResponse | None:  # noqa: A002
        trigger = body.get("trigger_id") if isinstance(body, dict) else None
        if not isinstance(trigger, str) or not trigger or body.get("type") == "event_callback":
            return next()
        team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
        if first_interaction(clerk.db, str(team), trigger):
            return next()
        log.warning("refused a replayed %s", "command" if body.get("command") else "interaction")
        if not body.get("command"):
            return BoltResponse(status=200, body="")
        answer = {"response_type": "ephemeral", "text": REPLAYED}
        return BoltResponse(
            status=200,
            body=json.dumps(answer),
            headers={"content-type": ["application/json"]},
        )

    return middleware


def register(app: App, clerk: Clerk) -> None:
    """Replays refused, and the buttons that answer a ``NeedsConfirmation`` question."""
    app.middleware(once_per_trigger(clerk))

    @app.action(Action.CONFIRM_READING)
    def confirm_reading(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        data = _button_data(action.get("value", ""))
        run = clerk.runners.get(data.get("c", ""))
        if run is None:
            raise InvalidInput("That button is from an older version of Clerk; please retype.")
        request = CommandRequest(
            clerk=clerk,
            actor=clerk.directory.actor(body["user"]["id"]),
            command=data["c"],
            text=data["t"],
            channel_id=(body.get("channel") or {}).get("id", ""),
            client=client,
            confirmed=frozenset(data.get("k", [])),
        )
        try:
            reply = run(request)
        except NeedsConfirmation as another:
            # A second question (e.g. the date is ambiguous *and* in the past): ask it in place.
            reply = reply_for(another)
        send(respond, reply, replace_original=True)

    @app.action(Action.CANCEL_READING)
    def cancel_reading(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Cancelled: nothing was saved.", replace_original=True)


def _button_data(value: str) -> dict[str, Any]:
    """A confirmation button's value, refusing anything Clerk did not write itself."""
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise InvalidInput("That button is no longer valid; please retype the command.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise InvalidInput("That button is no longer valid; please retype the command.")
    return data


def with_confirmed(request: CommandRequest, *keys: str) -> CommandRequest:
    return replace(request, confirmed=request.confirmed | set(keys))
