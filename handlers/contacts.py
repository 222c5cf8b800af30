"""``/contact``: log a call, email, meeting, letter or message; list a client's contacts.

Also the *Log as client contact* message shortcut and the DM sentence
``log call with ACME: agreed to mediation``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.errors import FieldErrors, InvalidInput
from bot.permissions import Actor, Capability
from bot.services import contacts as service
from bot.services.lookup import looks_like_matter_code
from handlers import blocks
from handlers.commands import CommandRequest, Reply, slash_command
from handlers.views import clients as views
from storage.models import ContactKind

LOG_USAGE = (
    "/contact CLIENT[ MATTER] [call|email|meeting|letter|message] SUMMARY [; follow up DATE]"
)
USAGE = blocks.usage(
    "/contact: the client contact log",
    [LOG_USAGE, "/contact list CLIENT [N]"],
    [
        "/contact ACME call discussed settlement range; follow up next Tuesday",
        "/contact list ACME 5",
    ],
)
FOLLOW_UP = re.compile(r";\s*follow[ -]?up(?:\s+(?:on|by))?\s+(?P<date>.+)$", re.IGNORECASE)
SENTENCE = re.compile(
    r"^log\s+(?:an?\s+)?(?P<kind>call|email|e-mail|meeting|letter|message)\s+with\s+"
    r"(?P<code>[A-Za-z0-9-]+)\s*[:,-]\s*(?P<summary>.+)$",
    re.IGNORECASE | re.DOTALL,
)
SHORTCUT = "log_client_contact"


def split_follow_up(clerk: Clerk, text: str, confirm: Any) -> tuple[str, date | None]:
    """The summary and the follow-up date after ``; follow up``, read as a future date."""
    found = FOLLOW_UP.search(text)
    if not found:
        return text, None
    parsed = clerk.dates.parse(found.group("date"), now=clerk.now(), prefer="future")
    today = clerk.now().astimezone(clerk.settings.tz).date()
    if parsed.alternatives:
        raise InvalidInput(
            f"`{found.group('date')}` could be {parsed.day:%a %-d %b} or "
            f"{parsed.alternatives[0]:%a %-d %b}; write the month as a word, e.g. Dec 3."
        )
    if parsed.day < today:
        confirm(
            "past-follow-up",
            f"The follow-up date {parsed.day:%a %-d %b %Y} is in the past. Keep it anyway?",
            "Yes, keep it",
        )
    return text[: found.start()].rstrip(), parsed.day


def log(
    clerk: Clerk, actor: Actor, data: service.ContactInput, *, when: datetime | None = None
) -> blocks.Message:
    with clerk.db.unit_of_work(actor.slack_id) as session:
        contact = service.log_contact(session, actor=actor, data=data, now=when or clerk.now())
        follow = contact.follow_up_on
    notes = [f"Follow-up reminder on {follow:%a %-d %b %Y}." if follow else "No follow-up set."]
    return blocks.success(
        f"Logged a {data.kind.value} with *{data.client_code.upper()}*"
        + (f" ({data.matter_code.upper()})" if data.matter_code else "")
        + f": {blocks.truncate(blocks.escape(data.summary), 500)}",
        *notes,
    )


def _log_command(request: CommandRequest) -> Reply:
    request.actor.require(Capability.LOG_CONTACTS)
    words = request.text.split(" ")
    client_code, rest = words[0], words[1:]
    matter_code = None
    if rest and looks_like_matter_code(rest[0]):
        matter_code, rest = rest[0], rest[1:]
    if looks_like_matter_code(client_code):
        matter_code, client_code = client_code, client_code.rsplit("-", 1)[0]
    kind = ContactKind.CALL
    if rest and rest[0].lower() in service.KIND_WORDS:
        kind, rest = service.KIND_WORDS[rest[0].lower()], rest[1:]
    summary, follow_up = split_follow_up(request.clerk, " ".join(rest), request.confirm)
    if not summary.strip():
        raise InvalidInput("Say what the contact was about.", usage=LOG_USAGE)
    data = service.ContactInput(
        client_code=client_code,
        matter_code=matter_code,
        kind=kind,
        summary=summary,
        follow_up_on=follow_up,
    )
    return log(request.clerk, request.actor, data)


def _list(request: CommandRequest) -> Reply:
    words = request.words
    if len(words) < 2 or len(words) > 3 or (len(words) == 3 and not words[2].isdigit()):
        raise InvalidInput("Usage: /contact list CLIENT [N]")
    limit = int(words[2]) if len(words) == 3 else 10
    with request.clerk.db.reading() as session:
        client, rows = service.recent_contacts(
            session, actor=request.actor, client_code=words[1], limit=limit
        )
        code = client.code
    zone = request.clerk.settings.tz
    lines = [
        blocks.section(views.contact_line(c, m, zone) + f"\n_logged by {blocks.mention(u)}_")
        for c, m, u in rows
    ] or [blocks.section("_No contacts logged yet._")]
    return blocks.paginate(f"Contacts with {code}", lines)


def run(request: CommandRequest) -> Reply:
    if request.words[0].lower() == "list":
        return _list(request)
    return _log_command(request)


def read_sentence(
    *, clerk: Clerk, actor: Actor, text: str, reply: Any, event: dict[str, Any]
) -> bool:
    found = SENTENCE.match(text.strip())
    if not found:
        return False
    code = found.group("code")
    matter = code if looks_like_matter_code(code) else None
    client_code = code.rsplit("-", 1)[0] if matter else code
    summary, follow_up = split_follow_up(clerk, found.group("summary"), _no_confirm)
    data = service.ContactInput(
        client_code=client_code,
        matter_code=matter,
        kind=service.KIND_WORDS[found.group("kind").lower()],
        summary=summary,
        follow_up_on=follow_up,
        source_key=f"{event.get('channel')}:{event.get('ts')}" if event.get("ts") else None,
    )
    reply(log(clerk, actor, data))
    return True


def _no_confirm(key: str, question: str, label: str) -> None:
    raise InvalidInput(question.replace("Keep it anyway?", "Use /contact to confirm a past date."))


def register(app: App, clerk: Clerk) -> None:
    slash_command(
        app, clerk, "/contact", run, usage=USAGE, open_modal=lambda _r: views.contact_modal()
    )
    clerk.sentence_handlers.append(("contacts", read_sentence))

    @app.shortcut(SHORTCUT)
    def from_message(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        ack()
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id", "")
        permalink = ""
        if channel and message.get("ts"):
            permalink = client.chat_getPermalink(channel=channel, message_ts=message["ts"]).get(
                "permalink", ""
            )
        view = views.contact_modal(summary=message.get("text", ""), permalink=permalink)
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)

    @app.view(views.CONTACT_MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values = blocks.view_values(view)
        actor = clerk.directory.actor(body["user"]["id"])
        code = (values.get("client") or "").strip()
        summary = (values.get("summary") or "").strip()
        errors = {}
        if not code:
            errors["client"] = "Which client or matter?"
        if not summary:
            errors["summary"] = "Say what was discussed."
        if errors:
            raise FieldErrors(errors)
        matter = code if looks_like_matter_code(code) else None
        follow = values.get("follow_up")
        data = service.ContactInput(
            client_code=code.rsplit("-", 1)[0] if matter else code,
            matter_code=matter,
            kind=service.KIND_WORDS.get(values.get("kind") or "call", ContactKind.CALL),
            summary=summary,
            follow_up_on=date.fromisoformat(follow) if follow else None,
            permalink=view.get("private_metadata") or None,
        )
        message = log(clerk, actor, data)
        ack()
        dm = client.conversations_open(users=actor.slack_id)["channel"]["id"]
        client.chat_postMessage(channel=dm, **message.payload())
