"""``/contact``: log a call, email, meeting, letter or message; list a client's contacts.

Also the *Log as client contact* message shortcut, the log-contact modal, and the DM or
@mention sentence ``log call with ACME: agreed to mediation``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clerk import Clerk
from bot.clients import contact_text as text_reader
from bot.clients import contacts as service
from bot.clients.lookup import get_client, get_matter
from bot.dates.format import format_day
from bot.errors import InvalidInput
from bot.permissions import Actor, Capability
from handlers.clients import contact_views as views
from handlers.clients.commands import dm
from handlers.clients.forms import ContactForm, read_contact_form
from handlers.kernel import blocks, sealed
from handlers.kernel.commands import CommandRequest, Reply, send, slash_command

DEFAULT_LIST = 10


def log(clerk: Clerk, actor: Actor, data: service.ContactInput) -> blocks.Message:
    """Store one contact (audited) and say what was logged."""
    with clerk.db.unit_of_work(actor.slack_id) as session:
        result = service.record_contact(
            session, actor=actor, data=data, now=clerk.now(), today=clerk.today()
        )
        return views.logged(result, clerk.settings.tz)


def _past_follow_up(clerk: Clerk, follow: text_reader.FollowUp | None) -> bool:
    return follow is not None and follow.parsed.day < clerk.today()


def _log_command(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.LOG_CONTACTS)
    rest, follow = text_reader.split_follow_up(request.text, dates=clerk.dates, now=clerk.now())
    words = text_reader.parse_command(rest)
    with clerk.db.reading() as session:
        get_client(session, words.client_code)  # an unknown code is refused before any question
        if words.matter_code:
            get_matter(session, words.matter_code)
    if not words.summary.strip():
        raise InvalidInput(
            "Say what the contact was about, e.g. `/contact ACME call discussed settlement`.",
            usage=text_reader.LOG_USAGE,
        )
    if follow is not None and _past_follow_up(clerk, follow):
        request.confirm(
            "past-follow-up",
            f"The follow-up date {format_day(follow.parsed.day)} is in the past, so the "
            "reminder would be due at once. Keep it anyway?",
            "Yes, keep it",
        )
    data = service.ContactInput(
        client_code=words.client_code,
        matter_code=words.matter_code,
        kind=words.kind,
        summary=words.summary,
        follow_up_on=follow.parsed.day if follow else None,
    )
    return log(clerk, actor, data)


def _list(request: CommandRequest) -> Reply:
    words = request.words
    if len(words) < 2 or len(words) > 3 or (len(words) == 3 and not words[2].isdigit()):
        raise InvalidInput(
            "Say whose contacts, e.g. `/contact list ACME` or `/contact list ACME-1 20`.",
            usage="/contact list CLIENT|MATTER [N]",
        )
    limit = int(words[2]) if len(words) == 3 else DEFAULT_LIST
    if limit < 1:
        raise InvalidInput("Ask for at least one contact, e.g. `/contact list ACME 5`.")
    with request.clerk.db.reading() as session:
        listing = service.recent_contacts(session, actor=request.actor, code=words[1], limit=limit)
        return views.contact_list(listing, request.clerk.settings.tz)


def run(request: CommandRequest) -> Reply:
    if request.words[0].lower() == "list":
        return _list(request)
    return _log_command(request)


def read_sentence(
    *, clerk: Clerk, actor: Actor, text: str, reply: Any, event: dict[str, Any]
) -> bool:
    """``log call with ACME[ yesterday]: ...[; follow up DATE]`` in a DM or @mention."""
    if event.get("files"):
        return False  # a file sent to Clerk is an import, not a sentence
    sentence = text_reader.parse_sentence(text)
    if sentence is None:
        return False
    actor.require(Capability.LOG_CONTACTS)
    now = clerk.now()
    source = f"{event.get('channel')}:{event.get('ts')}" if event.get("ts") else None
    if source:
        with clerk.db.reading() as session:
            if service.already_logged(session, source):
                return True  # the same message delivered twice (a DM that also @mentions)
    summary, follow = text_reader.split_follow_up(sentence.summary, dates=clerk.dates, now=now)
    if follow is not None and _past_follow_up(clerk, follow):
        raise InvalidInput(
            f"The follow-up date {format_day(follow.parsed.day)} is in the past. Give a date "
            "still to come, or use `/contact` to keep a past one.",
            usage=text_reader.SENTENCE_USAGE,
        )
    data = service.ContactInput(
        client_code=sentence.client_code,
        matter_code=sentence.matter_code,
        kind=sentence.kind,
        summary=summary,
        occurred_at=text_reader.occurred_at(
            sentence.when, dates=clerk.dates, now=now, zone=clerk.settings.tz
        ),
        follow_up_on=follow.parsed.day if follow else None,
        source_key=source,
    )
    reply(log(clerk, actor, data))
    return True


def _permalink(client: WebClient, channel: str, ts: str) -> str:
    """The message's link, or "" when Slack won't give one (a channel Clerk is not in)."""
    try:
        found = client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError:
        return ""
    return str(found.get("permalink") or "")


def _carried(clerk: Clerk, view: dict[str, Any]) -> dict[str, str]:
    """The message link and key a form opened from a message carries, as Clerk sealed them;
    nothing for a form opened alone. Refused (nothing stored) when the seal does not hold:
    a link in the contact log is one Slack gave Clerk, never one typed into a payload."""
    raw = view.get("private_metadata") or ""
    if not raw:
        return {}
    data = sealed.unseal(clerk, raw)
    return {k: v for k, v in data.items() if k in ("permalink", "source") and isinstance(v, str)}


def open_contact_modal(clerk: Clerk, request: CommandRequest) -> dict[str, Any]:
    """``/contact`` alone: the log form, only for roles that may log contacts."""
    request.actor.require(Capability.LOG_CONTACTS)
    return views.contact_modal(today=clerk.today())


def contact_from_form(
    clerk: Clerk,
    view: dict[str, Any],
    *,
    permalink: str | None = None,
    source_key: str | None = None,
) -> tuple[ContactForm, service.ContactInput]:
    """The contact a submitted contact form describes (from the shortcut, the overdue post or
    a briefing line): a form with no occurred date means now, in the firm's time zone."""
    with clerk.db.reading() as session:
        form = read_contact_form(session, blocks.view_values(view), today=clerk.today())
    now = clerk.now()
    occurred: datetime = (
        text_reader.day_time(form.occurred_on, now=now, zone=clerk.settings.tz)
        if form.occurred_on
        else now
    )
    data = service.ContactInput(
        client_code=form.client_code,
        matter_code=form.matter_code,
        kind=form.kind,
        summary=form.summary,
        occurred_at=occurred,
        follow_up_on=form.follow_up_on,
        permalink=permalink,
        source_key=source_key,
    )
    return form, data


def register(app: App, clerk: Clerk) -> None:
    slash_command(
        app,
        clerk,
        "/contact",
        run,
        usage=views.USAGE,
        open_modal=lambda request: open_contact_modal(clerk, request),
    )
    clerk.sentence_handlers.append(("contacts", read_sentence))

    @app.shortcut(views.ContactIds.SHORTCUT)
    def from_message(
        ack: Ack, shortcut: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        actor = clerk.directory.actor(shortcut["user"]["id"])
        actor.require(Capability.LOG_CONTACTS)
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id", "")
        ts = message.get("ts") or shortcut.get("message_ts") or ""
        source = f"{channel}:{ts}" if channel and ts else ""
        summary = text_reader.plain_text(message.get("text") or "")
        with clerk.db.reading() as session:
            found = service.already_logged(session, source) if source else None
            guess = service.guess_code(session, summary)
        if found:
            when = f"{format_day(found[1].astimezone(clerk.settings.tz))}"
            send(respond, views.already_logged(found[0], when))
            return
        permalink = _permalink(client, channel, ts) if source else ""
        view = views.contact_modal(
            summary=summary,
            permalink=permalink,
            client=guess,
            today=clerk.today(),
            carried=sealed.seal(clerk, views.metadata(permalink, source)) if source else "",
        )
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)

    @app.view(views.ContactIds.MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.LOG_CONTACTS)
        meta = _carried(clerk, view)
        _form, data = contact_from_form(
            clerk,
            view,
            permalink=meta.get("permalink") or None,
            source_key=meta.get("source") or None,
        )
        reply = log(clerk, actor, data)
        ack()
        dm(client, actor, reply)
