"""The conflict check of the add-client and open-matter forms: *Proceed* before saving.

``/client add`` and ``/matter add`` ask *Proceed* or *Cancel* when the new name hits
(``handlers.clients.conflicts``); a form must ask the same before it saves. So a submitted
form whose name hits is not stored: its values are kept server-side (``pending_confirmations``,
used at most once, for a day) and a modal listing the hits is pushed over it, with *Proceed*
as its submit button and *Cancel* closing it. The modal carries only the kind and the token:
a forged or replayed one finds nothing, or finds it used, and stores nothing. *Proceed*
stores the form as it was submitted, through the same code as a form with no hits, and the
search is recorded with what it guarded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.clients import conflicts as service
from bot.deadlines import pending
from bot.errors import ClerkError, InvalidInput
from bot.permissions import Actor
from handlers.clients.conflicts import ASKED_SHOWN, hit_line
from handlers.kernel import blocks
from handlers.kernel.errors import reply_for

PROCEED_VIEW = "clerk_conflict_proceed"
CLIENT_FORM = "client-form"
MATTER_FORM = "matter-form"
# kind -> stores the form's values for ``actor`` and returns the reply to DM them
Saver = Callable[[Clerk, Actor, dict[str, Any]], blocks.Message]
_savers: dict[str, Saver] = {}


def saves(kind: str, saver: Saver) -> None:
    """Register how a form of ``kind`` is stored once *Proceed* is pressed."""
    _savers[kind] = saver


def ask_before_saving(
    clerk: Clerk,
    actor: Actor,
    *,
    kind: str,
    values: dict[str, Any],
    name: str,
    exclude_client_id: int | None = None,
) -> dict[str, Any] | None:
    """The modal to push when ``name`` hits (the form's values kept for *Proceed*), or None
    when nothing matches and the form can be saved at once."""
    with clerk.db.reading() as session:
        result = service.search(
            session, actor=actor, name=name, exclude_client_id=exclude_client_id
        )
    if not result.hits:
        return None
    with clerk.db.unit_of_work(actor.slack_id) as session:
        token = pending.create(
            session, kind=kind, actor=actor, payload={"values": values}, now=clerk.now()
        )
    return proceed_view(result, kind=kind, token=token)


def proceed_view(result: service.Result, *, kind: str, token: str) -> dict[str, Any]:
    lines = [hit_line(hit) for hit in result.hits[:ASKED_SHOWN]]
    more = result.total - len(lines)
    if more > 0:
        lines.append(f"…and {more} more: `/conflict {blocks.escape(result.query)}` lists them.")
    what = "client" if kind == CLIENT_FORM else "matter"
    return blocks.modal(
        "Conflict check",
        PROCEED_VIEW,
        [
            blocks.section(
                f":mag: *{result.total} possible conflict(s)* for "
                f"“{blocks.escape(result.query)}”, best first:"
            ),
            blocks.section("\n".join(lines)),
            blocks.context(
                f"Nothing is saved yet. *Proceed* saves the {what} as you filled it in; "
                "*Cancel* saves nothing. The check is recorded either way you answer."
            ),
        ],
        submit="Proceed",
        private_metadata=f"{kind}:{token}",
    )


def _notice(text: str) -> dict[str, Any]:
    return blocks.modal(
        "Conflict check", PROCEED_VIEW + "_done", [blocks.section(text)], submit=None
    )


def register(app: App, clerk: Clerk) -> None:
    @app.view(PROCEED_VIEW)
    def proceed(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        kind, _, token = str(view.get("private_metadata") or "").partition(":")
        try:
            saver = _savers.get(kind)
            if saver is None or not token:
                raise InvalidInput(
                    "That form no longer matches anything Clerk has: fill it in again."
                )
            with clerk.db.unit_of_work(actor.slack_id) as session:
                claim = pending.claim(session, token=token, kind=kind, actor=actor, now=clerk.now())
            if not claim.fresh:
                raise InvalidInput("This form was already saved (Proceed was pressed before).")
            reply = saver(clerk, actor, dict(claim.payload["values"]))
        except ClerkError as error:
            ack(response_action="update", view=_notice(reply_for(error).text))  # Clerk's words
            return
        ack(response_action="clear")
        channel = client.conversations_open(users=actor.slack_id)["channel"]["id"]
        client.chat_postMessage(channel=channel, **reply.payload())
