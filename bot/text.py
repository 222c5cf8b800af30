"""Reading command text the way Slack sends it.

Slack delivers mentions as ``<@U123|name>`` (or ``<@U123>``), channels as ``<#C123|name>``,
and escapes ``&``, ``<`` and ``>`` in user text. These helpers turn that into plain values,
and split arguments shell-style so ``"Acme Corporation"`` stays one word.
"""

from __future__ import annotations

import re
import shlex

from bot.errors import InvalidInput

USER_MENTION = re.compile(r"^<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>$")
CHANNEL_MENTION = re.compile(r"^<#([CGD][A-Z0-9_]+)(?:\|[^>]*)?>$")
ANY_USER_MENTION = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>")
BARE_ID = re.compile(r"^[UW][A-Z0-9_]{2,}$")

MAX_COMMAND_TEXT = 4000


def escape(text: str) -> str:
    """Escape user text for Slack mrkdwn, so ``<`` or ``&`` can't forge a mention or link.

    Slack reserves exactly three characters; everything Clerk shows of what someone typed
    (in bot/ replies, notices and Block Kit alike) goes through here.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of user text (``&lt;`` and friends): :func:`escape`'s inverse."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def required_text_problem(value: str, *, missing: str, what: str, most: int) -> str | None:
    """What is wrong with a name or title that must be given and fit a column, or None."""
    if not value.strip():
        return missing
    if len(value.strip()) > most:
        return f"The {what} is {len(value.strip()):,} characters; the most is {most}."
    return None


def clean(text: str | None) -> str:
    """Normalise command text: strip control characters and collapse whitespace.

    Mentions stay in Slack's ``<@U…>`` form so they can be recognised later.
    """
    raw = (text or "").replace("\u00a0", " ")
    raw = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in raw)
    return " ".join(raw.split())


# C0 controls but tab and newline, DEL and the C1 block: what a terminal acts on rather than
# prints (ESC starts a colour or cursor sequence, BEL rings), never what a person typed.
_CONTROLS = {code: None for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))}
del _CONTROLS[ord("\t")], _CONTROLS[ord("\n")]


def strip_controls(text: str | None) -> str:
    """Text from a form field without control characters, its line breaks kept.

    Slash commands arrive on one line and go through :func:`clean`; a multi-line form field
    (a contact summary, a dispute reason) keeps its newlines and tabs, so only the controls
    are dropped. A carriage return before a newline goes too; a lone one becomes a newline.
    They would otherwise be stored, and ``clerk export`` would print them into an admin's
    terminal.
    """
    raw = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return raw.translate(_CONTROLS)


def split_words(text: str) -> list[str]:
    """Split on spaces, keeping "double-quoted phrases" (and curly quotes) together."""
    normalised = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    lexer = shlex.shlex(normalised, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as exc:
        raise InvalidInput('A quote is not closed: put the name between two " marks.') from exc


def user_id(word: str) -> str | None:
    """The Slack user id of a mention (``<@U123|lena>``), or None."""
    match = USER_MENTION.match(word.strip())
    if match:
        return match.group(1)
    if BARE_ID.match(word.strip()):
        return word.strip()
    return None


def channel_id(word: str) -> str | None:
    match = CHANNEL_MENTION.match(word.strip())
    if match:
        return match.group(1)
    stripped = word.strip()
    if re.fullmatch(r"[CG][A-Z0-9_]{2,}", stripped):
        return stripped
    return None


def require_length(text: str, limit: int, what: str) -> str:
    if len(text) > limit:
        raise InvalidInput(f"The {what} is {len(text):,} characters; the most is {limit:,}.")
    return text
