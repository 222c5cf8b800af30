"""Reading a contact from text: ``/contact ...``, a DM sentence, or a Slack message.

``/contact CLIENT[ MATTER] [call|email|meeting|letter|message] SUMMARY [; follow up DATE]``
and ``log call with ACME[ yesterday]: agreed to mediation[; follow up Friday]``.

Dates go through the firm's date engine: a follow-up is still to come (prefer the future), a
contact already happened (prefer the past). Whether a past follow-up may be kept is the
caller's question to ask; this module only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.clients.contacts import split_code
from bot.dates.format import format_day
from bot.errors import InvalidInput
from bot.text import unescape
from storage.models import ContactKind

if TYPE_CHECKING:
    from bot.dates.engine import DateEngine, ParsedDate

LOG_USAGE = (
    "/contact CLIENT[ MATTER] [call|email|meeting|letter|message] SUMMARY [; follow up DATE]"
)
SENTENCE_USAGE = "log call|email|meeting|letter|message with CLIENT[-N] [DATE]: what was said"
COMMAND_KINDS = {
    "call": ContactKind.CALL,
    "email": ContactKind.EMAIL,
    "e-mail": ContactKind.EMAIL,
    "meeting": ContactKind.MEETING,
    "letter": ContactKind.LETTER,
    "message": ContactKind.MESSAGE,
}
# "; follow up DATE" is the grammar; ". Follow up DATE" is how people also write it, and is
# read only when DATE really is a date (otherwise it is part of the summary).
FOLLOW_UP = re.compile(
    r"(?P<sep>[;.,])\s*\bfollow[ -]?up(?:\s+(?:on|by))?\s+(?P<date>[^;]+?)\s*\.?$",
    re.IGNORECASE,
)
SENTENCE = re.compile(
    r"^log(?:ged)?\s+(?:an?\s+|the\s+)?(?P<kind>phone\s+call|call|e-?mail|meeting|letter|message)"
    r"\s+(?:with|to|from|for)\s+(?P<code>[A-Za-z0-9][A-Za-z0-9-]*)"
    r"(?P<when>[^:]*?)\s*(?::|\s[-\u2013\u2014]{1,2}\s)\s*(?P<summary>.+)$",
    re.IGNORECASE | re.DOTALL,
)
LOOKS_LIKE_LOG = re.compile(r"^log(?:ged)?\b", re.IGNORECASE)
NOON = time(12, 0)


@dataclass(frozen=True)
class ContactWords:
    client_code: str
    matter_code: str | None
    kind: ContactKind
    summary: str


@dataclass(frozen=True)
class FollowUp:
    text: str  # what the user wrote after "follow up"
    parsed: ParsedDate


def split_follow_up(text: str, *, dates: DateEngine, now: datetime) -> tuple[str, FollowUp | None]:
    """The summary and the follow-up date written at its end, read as a future date."""
    found = FOLLOW_UP.search(text)
    if not found:
        return text.strip(), None
    strict = found.group("sep") == ";"
    phrase = found.group("date").strip()
    try:
        parsed = dates.parse(phrase, now=now, prefer="future")
    except InvalidInput:
        if strict:
            raise InvalidInput(
                f"I couldn't read the follow-up date `{phrase}`. Write it like "
                "`; follow up next Tuesday`, `; follow up Dec 3` or `; follow up in 2 weeks`.",
                usage=LOG_USAGE,
            ) from None
        return text.strip(), None
    if parsed.alternatives:
        options = " or ".join(f"{format_day(d)}" for d in (parsed.day, *parsed.alternatives))
        raise InvalidInput(
            f"The follow-up date `{phrase}` could be {options}. Write the month as a word, "
            "e.g. `Dec 3`, so nobody is reminded on the wrong day."
        )
    return text[: found.start()].rstrip(" ;,."), FollowUp(phrase, parsed)


def parse_command(text: str) -> ContactWords:
    """``ACME[ ACME-2] [kind] SUMMARY`` (the follow-up already split off)."""
    words = text.split()
    if not words:
        raise InvalidInput("Say which client and what was said.", usage=LOG_USAGE)
    client_code, matter_code = split_code(words[0])
    rest = words[1:]
    if matter_code is None and rest:
        candidate_client, candidate_matter = split_code(rest[0])
        if candidate_matter is not None:
            if candidate_client.upper() != client_code.upper():
                raise InvalidInput(
                    f"{candidate_matter.upper()} is not a matter of {client_code.upper()}.",
                    usage=LOG_USAGE,
                )
            matter_code, rest = candidate_matter, rest[1:]
    kind = ContactKind.CALL
    if rest and rest[0].lower() in COMMAND_KINDS:
        kind, rest = COMMAND_KINDS[rest[0].lower()], rest[1:]
    return ContactWords(client_code, matter_code, kind, " ".join(rest))


@dataclass(frozen=True)
class Sentence:
    client_code: str
    matter_code: str | None
    kind: ContactKind
    when: str  # "" for now
    summary: str  # may still end with "; follow up DATE"


def parse_sentence(text: str) -> Sentence | None:
    """``log call with ACME: ...``; None when the text is not a log sentence at all.

    Raises InvalidInput (with the sentence usage) when it starts like one but can't be read.
    """
    found = SENTENCE.match(text.strip())
    if not found:
        if LOOKS_LIKE_LOG.match(text.strip()):
            raise InvalidInput(
                "I couldn't read that as a contact to log. Write it like "
                "`log call with ACME: agreed to mediation`.",
                usage=SENTENCE_USAGE,
            )
        return None
    kind_word = re.sub(r"\s+", " ", found.group("kind").lower())
    kind = {"phone call": "call", "e-mail": "email"}.get(kind_word, kind_word)
    client_code, matter_code = split_code(found.group("code"))
    return Sentence(
        client_code=client_code,
        matter_code=matter_code,
        kind=ContactKind(kind),
        when=found.group("when").strip(" ,"),
        summary=found.group("summary").strip(),
    )


def occurred_at(when: str, *, dates: DateEngine, now: datetime, zone: ZoneInfo) -> datetime:
    """When a contact happened, from ``yesterday``/``on Monday 3pm`` (prefer the past)."""
    phrase = re.sub(r"^(?:on|at)\s+", "", when.strip(), flags=re.IGNORECASE)
    if not phrase or phrase.lower() in ("now", "today", "just now"):
        return now
    try:
        parsed = dates.parse(phrase, now=now, prefer="past")
    except InvalidInput:
        raise InvalidInput(
            f"I couldn't read `{when.strip()}` as the day of the contact. Write it like "
            "`log call with ACME yesterday: ...`, or leave it out for now.",
            usage=SENTENCE_USAGE,
        ) from None
    if parsed.at is not None:
        return parsed.at
    today = now.astimezone(zone).date()
    if parsed.day > today:
        raise InvalidInput(
            f"{format_day(parsed.day)} is still to come: log a contact after it happened, "
            "or set a follow-up for it.",
        )
    return day_time(parsed.day, now=now, zone=zone)


def day_time(day: date, *, now: datetime, zone: ZoneInfo) -> datetime:
    """A contact on ``day`` with no time given: now if today, else midday in the firm zone."""
    if day == now.astimezone(zone).date():
        return now
    return datetime.combine(day, NOON, tzinfo=zone)


_MENTION = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9_]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(\w+)(?:\^[^|>]*)?(?:\|([^>]*))?>")


def _link_text(match: re.Match[str]) -> str:
    url, label = match.group(1), match.group(2)
    shown = url.removeprefix("mailto:")
    return f"{label} ({shown})" if label and label != shown else shown


def plain_text(message_text: str) -> str:
    """A Slack message's text as a person reads it (``<@U1|lena>`` -> ``@lena``)."""
    text = _MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), message_text or "")
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _LINK.sub(_link_text, text)
    text = _SPECIAL.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return unescape(text).strip()
