"""Messages and the modal of the contact log (pure builders)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.clients.contact_text import LOG_USAGE
from bot.clients.contacts import ContactListing, LoggedContact
from bot.dates.format import format_day
from handlers.kernel import blocks
from storage.models import Contact

MAX_SUMMARY_SHOWN = 600
MAX_SUMMARY_REPLY = 1500
MODAL_SUMMARY_LIMIT = 3000  # what a Slack text input holds
KIND_OPTIONS = [
    ("Call", "call"),
    ("Email", "email"),
    ("Meeting", "meeting"),
    ("Letter", "letter"),
    ("Message", "message"),
]


class ContactIds(StrEnum):
    MODAL = "contacts_log_modal"
    SHORTCUT = "log_client_contact"


USAGE = blocks.usage(
    "/contact: the client contact log",
    [LOG_USAGE, "/contact list CLIENT|MATTER [N]"],
    [
        "/contact ACME call discussed settlement range; follow up next Tuesday",
        "/contact ACME ACME-2 email sent the draft lease",
        "/contact list ACME 5",
    ],
)


def day(value: date | None) -> str:
    return f"{format_day(value)}" if value else "—"


def follow_up_note(contact: Contact) -> str:
    if not contact.follow_up_on:
        return ""
    done = " (done)" if contact.follow_up_done_at else ""
    return f" · follow up {day(contact.follow_up_on)}{done}"


def contact_line(
    contact: Contact,
    matter_code: str | None,
    zone: ZoneInfo,
    *,
    logged_by: str | None = None,
    limit: int = MAX_SUMMARY_SHOWN,
) -> str:
    """``*Fri 20 Nov 2026* · call · ACME-1 · follow up ...`` then the summary, shortened."""
    when = contact.occurred_at.astimezone(zone)
    matter = f" · {matter_code}" if matter_code else ""
    who = f" · by {blocks.mention(logged_by)}" if logged_by else ""
    link = f" · <{contact.permalink}|message>" if contact.permalink else ""
    summary = blocks.truncate(blocks.escape(contact.summary), limit)
    return (
        f"*{format_day(when)}* · {contact.kind.value}{matter}{follow_up_note(contact)}{who}"
        f"{link}\n{summary}"
    )


def contact_list(listing: ContactListing, zone: ZoneInfo) -> list[blocks.Message]:
    rows = [blocks.section(contact_line(c, m, zone, logged_by=u)) for c, m, u in listing.rows]
    if not rows:
        rows = [blocks.section(f"_No contacts logged with {listing.title_code} yet._")]
    lead = [blocks.context(f"Newest first · {len(listing.rows)} shown · visible only to you")]
    return blocks.paginate(f"Contacts with {listing.title_code}", rows, lead=lead)


def logged(result: LoggedContact, zone: ZoneInfo) -> blocks.Message:
    contact = result.contact
    where = result.client_code + (f" ({result.matter_code})" if result.matter_code else "")
    summary = blocks.truncate(blocks.escape(contact.summary), MAX_SUMMARY_REPLY)
    notes = []
    when = contact.occurred_at.astimezone(zone)
    notes.append(f"On {format_day(when)}.")
    if contact.follow_up_on:
        notes.append(f"I'll remind you to follow up on {day(contact.follow_up_on)}.")
    else:
        notes.append("No follow-up set (add `; follow up DATE` to set one).")
    if result.completed_follow_ups:
        dates = ", ".join(day(d) for d in result.completed_follow_ups)
        if result.closed_for:
            whose = ", ".join(blocks.mention(slack_id) for slack_id in result.closed_for)
            notes.append(f"This completes the follow-up due {dates} (also {whose}'s).")
        else:
            notes.append(f"This completes the follow-up due {dates}.")
    kind = contact.kind.value
    article = "an" if kind[0] in "aeiou" else "a"
    return blocks.success(f"Logged {article} {kind} with *{where}*: {summary}", *notes)


def already_logged(client_code: str, when: str) -> blocks.Message:
    return blocks.error(
        f"That message is already logged as a contact with {client_code} ({when}); "
        f"see `/contact list {client_code}`."
    )


def metadata(permalink: str = "", source: str = "") -> dict[str, str]:
    """What a form opened from a message carries back: the message's link and its key.
    The handler seals it (``handlers.kernel.sealed``): a link is stored only as Slack gave it."""
    return {"permalink": permalink, "source": source}


def contact_modal(
    *,
    summary: str = "",
    permalink: str = "",
    client: str = "",
    today: date | None = None,
    carried: str = "",
) -> dict[str, Any]:
    """The log-contact form; from a message it shows the message's link and carries it and
    the message's key (``carried``: :func:`metadata` as the handler sealed it; empty for a
    form opened alone)."""
    items: list[blocks.Block_] = []
    if permalink:
        items.append(blocks.context(f":link: From <{permalink}|this message>."))
    if len(summary) > MODAL_SUMMARY_LIMIT:
        items.append(
            blocks.context(
                f"The message is {len(summary):,} characters; a form holds "
                f"{MODAL_SUMMARY_LIMIT:,}, so the summary starts with its beginning and the "
                "link keeps the rest."
            )
        )
    items += [
        blocks.text_input(
            "client",
            "Client or matter code",
            initial=client,
            placeholder="ACME or ACME-1",
            max_length=48,
        ),
        blocks.select_input("kind", "Kind", KIND_OPTIONS, initial="call"),
        blocks.text_input(
            "summary",
            "What was said",
            initial=summary[:MODAL_SUMMARY_LIMIT],
            multiline=True,
            max_length=MODAL_SUMMARY_LIMIT,
        ),
        blocks.date_input(
            "occurred",
            "When",
            initial=today.isoformat() if today else None,
            optional=True,
        ),
        blocks.date_input("follow_up", "Follow up on (optional)"),
    ]
    return blocks.modal(
        "Log a contact",
        ContactIds.MODAL,
        items,
        submit="Log",
        private_metadata=carried,
    )
