"""``/client``: add, show the card, find, edit; and the add-client modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.errors import FieldErrors, InvalidInput
from bot.money.amounts import parse_amount
from bot.permissions import Actor, Capability
from bot.services import clients as service
from bot.text import split_words, user_id
from handlers import blocks
from handlers.commands import CommandRequest, Reply, slash_command
from handlers.views import clients as views
from storage.models import ClientKind, ClientStatus, User

ADD_USAGE = (
    '/client add CODE "Full name" [person|org] [lawyer @user] [key] [email E] [phone P] '
    "[credit-limit AMOUNT] [terms N days] [retainer AMOUNT] [cadence N days]"
)
USAGE = blocks.usage(
    "/client: the firm's clients",
    [ADD_USAGE, "/client CODE", "/client find TEXT", "/client edit CODE FIELD VALUE"],
    [
        '/client add ACME "Acme Corporation" org lawyer @lena key',
        "/client find acme",
        "/client edit ACME email legal@acme.com",
    ],
)
KEYWORDS = {
    "person",
    "org",
    "organization",
    "lawyer",
    "key",
    "email",
    "phone",
    "credit-limit",
    "terms",
    "retainer",
    "cadence",
}


def cents(clerk: Clerk, text: str) -> int:
    money = parse_amount(text, default_currency=clerk.settings.currency)
    if money.currency != clerk.settings.currency:
        raise InvalidInput(f"Client amounts are kept in {clerk.settings.currency}; got {text}.")
    return money.cents


def days(words: list[str], i: int, what: str) -> tuple[int, int]:
    """``N days`` at ``words[i]``; returns (N, next index)."""
    if i >= len(words) or not words[i].isdigit() or not 0 < int(words[i]) <= 3650:
        raise InvalidInput(f"`{what}` takes a number of days, e.g. `{what} 30 days`.")
    nxt = i + 1
    if nxt < len(words) and words[nxt].lower() in ("day", "days"):
        nxt += 1
    return int(words[i]), nxt


def lawyer_id(clerk: Clerk, word: str) -> int:
    slack_id = user_id(word)
    if not slack_id:
        raise InvalidInput(f"`{word}` is not a person: mention them, e.g. `lawyer @lena`.")
    return clerk.directory.member(slack_id).user_id


def parse_add(request: CommandRequest) -> service.ClientInput:
    clerk = request.clerk
    words = split_words(request.text)
    if len(words) < 3:
        raise InvalidInput("Give a code and the full name.", usage=ADD_USAGE)
    data = service.ClientInput(code=words[1], name=words[2])
    i = 3
    while i < len(words):
        word = words[i].lower()
        value = words[i + 1] if i + 1 < len(words) else None
        if word not in KEYWORDS:
            raise InvalidInput(
                f"I don't understand `{words[i]}`. If the name has several words, put it in "
                'quotes: /client add ACME "Acme Corporation".',
                usage=ADD_USAGE,
            )
        if word in ("person", "org", "organization"):
            data.kind = ClientKind.PERSON if word == "person" else ClientKind.ORGANIZATION
            i += 1
            continue
        if word == "key":
            data.is_key = True
            i += 1
            continue
        if value is None:
            raise InvalidInput(f"`{word}` needs a value.", usage=ADD_USAGE)
        if word in ("terms", "cadence"):
            n, i = days(words, i + 1, word)
            setattr(data, "terms_days" if word == "terms" else "cadence_days", n)
            continue
        if word == "lawyer":
            data.lawyer_id = lawyer_id(clerk, value)
        elif word == "email":
            data.email = service.check_email(value)
        elif word == "phone":
            data.phone = service.check_phone(value)
        elif word == "credit-limit":
            data.credit_limit_cents = cents(clerk, value)
        elif word == "retainer":
            data.retainer_required_cents = cents(clerk, value)
        i += 2
    return data


def _add(request: CommandRequest) -> Reply:
    request.actor.require(Capability.WRITE_CLIENTS)
    data = parse_add(request)
    return store(request.clerk, request.actor, data)


def store(clerk: Clerk, actor: Actor, data: service.ClientInput) -> blocks.Message:
    with clerk.db.unit_of_work(actor.slack_id) as session:
        similar = service.similar_names(session, data.name)
        client = service.add_client(session, actor=actor, data=data)
        code, name = client.code, client.name
    notes = [f'See it with `/client {code}`; open a matter with `/matter add {code} "Title"`.']
    if similar:
        notes.append(
            f"Note: similar names already exist: {', '.join(similar)}. Did you mean one of them?"
        )
    return blocks.success(f"Added client *{code}* {blocks.escape(name)}.", *notes)


def _card(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.READ_CLIENTS)
    today = clerk.now().astimezone(clerk.settings.tz).date()
    with clerk.db.reading() as session:
        card = service.client_card(session, code=request.words[0], today=today)
        lawyer = session.get(User, card.client.lawyer_id) if card.client.lawyer_id else None
        show = actor.may_see_balance_of(card.client.lawyer_id)
        line = None
        if show:
            from bot.services.receivables import client_balance_line

            line = client_balance_line(
                session, card.client, today, home_currency=clerk.settings.currency
            )
    return views.client_card(
        card,
        lawyer_slack_id=lawyer.slack_id if lawyer else None,
        balance_line=line,
        show_money=show,
        zone=clerk.settings.tz,
    )


def _find(request: CommandRequest) -> Reply:
    request.actor.require(Capability.READ_CLIENTS)
    text = request.text.partition(" ")[2].strip()
    if not text:
        raise InvalidInput("What should I look for? e.g. `/client find acme`")
    with request.clerk.db.reading() as session:
        found = service.find_clients(session, text)
    if not found:
        return blocks.error(f"No client matches `{blocks.escape(text)}`.")
    return views.client_list(f"Clients matching “{text}”", found)


def parse_edit_value(clerk: Clerk, field_name: str, raw: str) -> Any:
    name = field_name.lower()
    if name in ("key", "not-key"):
        return None
    if not raw:
        raise InvalidInput(f"Give a value for {field_name}.", usage="/client edit CODE FIELD VALUE")
    if name == "lawyer":
        return lawyer_id(clerk, raw)
    if name == "kind":
        if raw.lower() not in ("person", "org", "organization"):
            raise InvalidInput("kind is person or org.")
        return ClientKind.PERSON if raw.lower() == "person" else ClientKind.ORGANIZATION
    if name == "email":
        return service.check_email(raw)
    if name == "phone":
        return service.check_phone(raw)
    if name in ("credit-limit", "retainer"):
        return cents(clerk, raw)
    if name in ("terms", "cadence"):
        return days(raw.split(), 0, name)[0]
    if name == "status":
        status, _, reason = raw.partition(" ")
        if status.lower() not in ("active", "former", "prospect"):
            raise InvalidInput("status is active, prospect or former REASON.")
        if status.lower() == "former" and not reason.strip():
            raise InvalidInput("Say why the client is former: `status former matter concluded`.")
        return ClientStatus(status.lower()), reason.strip() or None
    return raw


def _edit(request: CommandRequest) -> Reply:
    parts = request.text.split(" ", 3)
    if len(parts) < 3:
        raise InvalidInput(
            "Usage: /client edit CODE FIELD VALUE",
            usage="e.g. /client edit ACME email legal@acme.com",
        )
    _, code, field_name = parts[:3]
    raw = parts[3].strip().strip('"') if len(parts) > 3 else ""
    request.actor.require(Capability.WRITE_CLIENTS)
    value = parse_edit_value(request.clerk, field_name, raw)
    with request.clerk.db.unit_of_work(request.actor.slack_id) as session:
        client = service.edit_client(
            session, actor=request.actor, code=code, field_name=field_name, value=value
        )
        shown = client.code
    return blocks.success(
        f"Updated *{shown}*: {field_name.lower()}.", f"`/client {shown}` shows the card."
    )


def run(request: CommandRequest) -> Reply:
    word = request.words[0].lower()
    if word == "add":
        return _add(request)
    if word == "find":
        return _find(request)
    if word == "edit":
        return _edit(request)
    if len(request.words) > 1:
        raise InvalidInput(
            f"I don't know `/client {request.words[0]} …`.",
            usage=" · ".join(USAGE.text.split("; ")),
        )
    return _card(request)


def register(app: App, clerk: Clerk) -> None:
    slash_command(
        app, clerk, "/client", run, usage=USAGE, open_modal=lambda _r: views.client_modal()
    )

    @app.view(views.CLIENT_MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values = blocks.view_values(view)
        actor = clerk.directory.actor(body["user"]["id"])
        errors: dict[str, str] = {}
        code = (values.get("code") or "").strip()
        try:
            service.check_code(code)
        except InvalidInput as exc:
            errors["code"] = exc.message
        for key, check in (("email", service.check_email), ("phone", service.check_phone)):
            if values.get(key):
                try:
                    check(values[key] or "")
                except InvalidInput as exc:
                    errors[key] = exc.message
        if errors:
            raise FieldErrors(errors)
        data = service.ClientInput(
            code=code,
            name=values.get("name") or "",
            kind=ClientKind.PERSON if values.get("kind") == "person" else ClientKind.ORGANIZATION,
            lawyer_id=clerk.directory.member(values["lawyer"]).user_id
            if values.get("lawyer")
            else None,
            email=values.get("email") or None,
            phone=values.get("phone") or None,
        )
        with clerk.db.reading() as session:
            if service.code_taken(session, code):
                raise FieldErrors({"code": f"There is already a client {code.upper()}."})
        ack()
        reply = store(clerk, actor, data)
        dm = client.conversations_open(users=actor.slack_id)["channel"]["id"]
        client.chat_postMessage(channel=dm, **reply.payload())
