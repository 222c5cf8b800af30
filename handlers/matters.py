"""``/matter``: open (``add``), show and close matters."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import select

from bot.clerk import Clerk
from bot.errors import InvalidInput
from bot.permissions import Capability
from bot.services import clients as service
from bot.services.lookup import get_matter
from bot.text import split_words, user_id
from handlers import blocks
from handlers.commands import CommandRequest, Reply, slash_command
from handlers.views import clients as views
from storage.models import Client, Deadline, DeadlineStatus, User

ADD_USAGE = '/matter add CLIENT "Title" [lawyer @user]'
USAGE = blocks.usage(
    "/matter: a client's matters",
    [ADD_USAGE, "/matter CODE", "/matter close CODE [REASON]"],
    ['/matter add ACME "Supply contract dispute" lawyer @lena', "/matter close ACME-1 settled"],
)


def _today(clerk: Clerk) -> Any:
    return clerk.now().astimezone(clerk.settings.tz).date()


def _open(request: CommandRequest, client_code: str, title: str, lawyer: int | None) -> Reply:
    clerk = request.clerk
    with clerk.db.unit_of_work(request.actor.slack_id) as session:
        matter = service.add_matter(
            session,
            actor=request.actor,
            client_code=client_code,
            title=title,
            lawyer_id=lawyer,
            today=_today(clerk),
        )
        code, title = matter.code, matter.title
    return blocks.success(
        f"Opened matter *{code}* {blocks.escape(title)}.",
        f"Add deadlines with `/deadline {code} TITLE on DATE`.",
    )


def _add(request: CommandRequest) -> Reply:
    request.actor.require(Capability.WRITE_MATTERS)
    words = split_words(request.text)
    if len(words) < 3:
        raise InvalidInput("Give the client code and a title.", usage=ADD_USAGE)
    lawyer = None
    rest = words[3:]
    if rest:
        if rest[0].lower() != "lawyer" or len(rest) != 2 or not user_id(rest[1]):
            raise InvalidInput(
                'Put a title of several words in quotes: /matter add ACME "Lease dispute".',
                usage=ADD_USAGE,
            )
        lawyer = request.clerk.directory.member(user_id(rest[1]) or "").user_id
    return _open(request, words[1], words[2], lawyer)


def _close(request: CommandRequest) -> Reply:
    parts = request.text.split(" ", 2)
    if len(parts) < 2:
        raise InvalidInput("Usage: /matter close CODE [REASON]")
    reason = parts[2].strip() if len(parts) > 2 else None
    with request.clerk.db.unit_of_work(request.actor.slack_id) as session:
        matter = service.close_matter(
            session, actor=request.actor, code=parts[1], reason=reason, today=_today(request.clerk)
        )
        code = matter.code
    return blocks.success(f"Closed matter *{code}*.", "Its history stays; nothing is deleted.")


def _show(request: CommandRequest) -> Reply:
    request.actor.require(Capability.READ_CLIENTS)
    with request.clerk.db.reading() as session:
        matter = get_matter(session, request.words[0])
        client = session.get(Client, matter.client_id)
        lawyer = session.get(User, matter.lawyer_id) if matter.lawyer_id else None
        open_deadlines = session.scalars(
            select(Deadline)
            .where(Deadline.matter_id == matter.id, Deadline.status == DeadlineStatus.OPEN)
            .order_by(Deadline.due_on)
            .limit(10)
        ).all()
    assert client is not None
    lines = [
        f"• `#{d.id}` {d.due_on:%a %-d %b %Y} · {blocks.escape(d.title)}" for d in open_deadlines
    ]
    return views.matter_card(matter, client, lawyer.slack_id if lawyer else None, lines)


def run(request: CommandRequest) -> Reply:
    word = request.words[0].lower()
    if word == "add":
        return _add(request)
    if word == "close":
        request.actor.require(Capability.WRITE_MATTERS)
        return _close(request)
    if len(request.words) > 1:
        raise InvalidInput(f"I don't know `/matter {request.words[0]} …`.", usage=ADD_USAGE)
    return _show(request)


def register(app: App, clerk: Clerk) -> None:
    slash_command(
        app, clerk, "/matter", run, usage=USAGE, open_modal=lambda _r: views.matter_modal()
    )

    @app.view(views.MATTER_MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values = blocks.view_values(view)
        actor = clerk.directory.actor(body["user"]["id"])
        lawyer = clerk.directory.member(values["lawyer"]).user_id if values.get("lawyer") else None
        with clerk.db.unit_of_work(actor.slack_id) as session:
            matter = service.add_matter(
                session,
                actor=actor,
                client_code=values.get("client") or "",
                title=values.get("title") or "",
                lawyer_id=lawyer,
                today=_today(clerk),
            )
            code = matter.code
        ack()
        dm = client.conversations_open(users=actor.slack_id)["channel"]["id"]
        client.chat_postMessage(channel=dm, **blocks.success(f"Opened matter *{code}*.").payload())
