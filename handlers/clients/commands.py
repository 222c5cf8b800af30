"""``/client``: add, show the card, find, edit, list (``handlers.clients.client_list``); and the
add-client modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.billing.receivables import client_balance_line
from bot.clerk import Clerk
from bot.clients import edit as client_edit
from bot.clients import grammar as client_grammar
from bot.clients import profile
from bot.clients import service as clients
from bot.clients.lookup import looks_like_matter_code
from bot.deadlines.lists import user_by_handle
from bot.errors import InvalidInput
from bot.firm.users import slack_ids_by_id
from bot.permissions import Actor, Capability
from bot.text import user_id
from handlers.clients import client_form, client_list, conflicts, credit, form_conflicts, views
from handlers.clients.forms import read_client_form
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply, slash_command


def user_resolver(clerk: Clerk) -> client_grammar.UserResolver:
    """``<@U123|lena>``, ``U123`` or ``@lena`` typed as text -> the member's users.id.

    Someone who is not an active member of the workspace is refused (NotFound), so a client
    is never assigned to a departed lawyer or a typo.
    """

    def resolve(word: str) -> int:
        slack_id = user_id(word)
        if slack_id is None and word.startswith("@") and len(word) > 1:
            with clerk.db.reading() as session:
                slack_id = user_by_handle(session, word[1:])
        if slack_id is None:
            raise InvalidInput(
                f"`{word}` is not a person: mention them with @, e.g. `lawyer @lena`."
            )
        return clerk.directory.member(slack_id).user_id

    return resolve


def dm(client: WebClient, actor: Actor, reply: blocks.Message) -> None:
    """Send the result of a modal to the person who submitted it (only they see it)."""
    channel = client.conversations_open(users=actor.slack_id)["channel"]["id"]
    client.chat_postMessage(channel=channel, **reply.payload())


def _add(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.WRITE_CLIENTS)
    data = client_grammar.parse_add(
        request.text, currency=clerk.settings.currency, resolve_user=user_resolver(clerk)
    )
    clients.require_may_add(actor, data)  # before asking anything about the client
    with clerk.db.reading() as session:
        clients.require_code_free(session, data.code)  # before asking about similar names
        similar = clients.similar_clients(session, data.name)
    similar_question = views.similar_question(data.code, data.name, similar) if similar else ""
    # One question for both: a similar client is also a conflict-check hit.
    checked = conflicts.check(request, data.name, lead=similar_question, also=["similar-name"])
    if similar:
        request.confirm("similar-name", similar_question, f"Yes, add {data.code}")
    with clerk.db.unit_of_work(actor.slack_id) as session:
        client = clients.add_client(session, actor=actor, data=data)
        conflicts.record(session, request, checked, "client add")
        return conflicts.note(views.added(client, similar), checked)


def _card(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.READ_CLIENTS)
    today = clerk.today()
    with clerk.db.reading() as session:
        card = clients.client_card(session, actor=actor, code=request.words[0], today=today)
        show_money = actor.may_see_balance_of(card.client.lawyer_id)
        line = None
        credit_terms = None
        if show_money:
            line = client_balance_line(
                session, card.client, today, home_currency=clerk.settings.currency
            )
            credit_terms = credit.credit_section(session, card.client, clerk)
        profile_lines = profile.card_lines(session, card.client, private=show_money)
    return views.client_card(
        card,
        balance_line=line,
        show_money=show_money,
        zone=clerk.settings.tz,
        home_currency=clerk.settings.currency,
        credit=credit_terms,
        profile_lines=profile_lines,
    )


def _find(request: CommandRequest) -> Reply:
    request.actor.require(Capability.READ_CLIENTS)
    text = request.text.partition(" ")[2].strip().strip('"')
    if not text:
        raise InvalidInput("What should I look for? e.g. `/client find acme`")
    with request.clerk.db.reading() as session:
        found = clients.find_clients(session, text, limit=views.MAX_FOUND_SHOWN)
        lawyers = slack_ids_by_id(session, (c.lawyer_id for c in found))
    if not found:
        return views.no_match(text)
    return views.client_list(text, found, lawyers)


def _edit(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    code, field_name, raw = client_grammar.split_edit(request.text)
    client_edit.require_may_change(actor, field_name)
    change = client_grammar.read_change(field_name, raw, resolve_user=user_resolver(clerk))
    with clerk.db.unit_of_work(actor.slack_id) as session:
        result = client_edit.edit_client(session, actor=actor, code=code, change=change)
    return views.edited(result)


def run(request: CommandRequest) -> Reply:
    word = request.words[0].lower()
    if word == "add":
        return _add(request)
    if word == "find":
        return _find(request)
    if word == "edit":
        return _edit(request)
    if word == "list":
        return client_list.list_command(request)
    if word == "credit-check":
        return credit.credit_check(request)
    if len(request.words) > 1:
        raise InvalidInput(
            f"I don't know `/client {request.words[0]} …`. Type `/client help` for the commands.",
            usage=client_grammar.ADD_USAGE,
        )
    if looks_like_matter_code(request.words[0]):
        code = request.words[0].upper()
        raise InvalidInput(
            f"`{code}` is a matter code: `/matter {code}` shows the matter, "
            f"`/client {code.rsplit('-', 1)[0]}` its client."
        )
    return _card(request)


def open_client_modal(request: CommandRequest) -> dict[str, Any]:
    """``/client`` alone: the add form, only for roles that may add (billing reads only)."""
    request.actor.require(Capability.WRITE_CLIENTS)
    return client_form.client_modal()


def register(app: App, clerk: Clerk) -> None:
    slash_command(
        app,
        clerk,
        "/client",
        run,
        usage=views.CLIENT_USAGE,
        open_modal=open_client_modal,
    )

    form_conflicts.saves(form_conflicts.CLIENT_FORM, save_client_form)

    client_form.register_kind_switch(app)

    @app.view(client_form.CLIENT_MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.WRITE_CLIENTS)
        values = blocks.view_values(view)
        with clerk.db.reading() as session:
            data = _read_form(clerk, session, values)
        ask = form_conflicts.ask_before_saving(
            clerk, actor, kind=form_conflicts.CLIENT_FORM, values=values, name=data.name
        )
        if ask is not None:  # a possible conflict: Proceed or Cancel before anything is saved
            ack(response_action="push", view=ask)
            return
        reply = save_client_form(clerk, actor, values)
        ack()
        dm(client, actor, reply)


def _read_form(clerk: Clerk, session: Any, values: dict[str, Any]) -> clients.ClientInput:
    return read_client_form(
        session,
        values,
        currency=clerk.settings.currency,
        today=clerk.today(),
        member_id=lambda slack_id: clerk.directory.member(slack_id).user_id,
    )


def save_client_form(clerk: Clerk, actor: Actor, values: dict[str, Any]) -> blocks.Message:
    """Store the add-client form (checked again: the store may have moved since); the search
    that guarded it is recorded with it."""
    actor.require(Capability.WRITE_CLIENTS)
    with clerk.db.reading() as session:
        data = _read_form(clerk, session, values)
        similar = clients.similar_clients(session, data.name)
    with clerk.db.unit_of_work(actor.slack_id) as session:
        added = clients.add_client(session, actor=actor, data=data)
        checked = conflicts.check_after_form(session, actor, added.id, "client add")
        return conflicts.note(views.added(added, similar), checked)
