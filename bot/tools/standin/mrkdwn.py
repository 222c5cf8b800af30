"""Slack's text formats as a person reads them: mrkdwn and rich_text, minus the markup.

Clerk writes ``<@U123>`` and ``<url|label>``; Slack shows "@lena" and a link called "label".
The demo prints to a terminal, so mentions become names from the directory, links keep their
URL in brackets (a terminal can't hide it behind the label), and ``&lt;`` is unescaped.
``*bold*``, ``_italic_`` and ``~strike~`` are kept: they read fine as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

NO_NAMES: Mapping[str, str] = {}
ANGLE = re.compile(r"<([^<>]+)>")
# A few emoji Clerk uses, drawn as narrow glyphs so columns stay aligned in a terminal.
EMOJI = {
    ":warning:": "⚠",
    ":white_check_mark:": "✔",
    ":heavy_check_mark:": "✔",
    ":x:": "✖",
    ":question:": "?",
    ":calendar:": "📅",
    ":date:": "📅",
    ":alarm_clock:": "⏰",
    ":hourglass:": "⌛",
    ":bell:": "🔔",
    ":moneybag:": "$",
    ":red_circle:": "●",
    ":large_orange_circle:": "●",
    ":large_green_circle:": "●",
}


def emoji(text: str) -> str:
    for code, glyph in EMOJI.items():
        text = text.replace(code, glyph)
    return text


def _unescape(text: str) -> str:
    # Slack escapes only these three; html.unescape would also eat "&copy" and friends.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _token(inner: str, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    target, _, label = inner.partition("|")
    label = _unescape(label)
    if target.startswith("@"):
        user_id = target[1:]
        return "@" + (users.get(user_id) or label.lstrip("@") or user_id)
    if target.startswith("#"):
        channel_id = target[1:]
        return "#" + (channels.get(channel_id) or label.lstrip("#") or channel_id)
    if target.startswith("!"):
        command = target[1:]
        if command in ("here", "channel", "everyone"):
            return "@" + command
        if command.startswith("subteam^"):
            return label or "@" + command.split("^", 1)[1]
        # <!date^...|fallback> and anything newer: the fallback is what old clients show
        return label or "@" + command.split("^", 1)[0]
    url = _unescape(target)
    if not label or label == url or url.split(":", 1)[-1] == label:
        return url.removeprefix("mailto:") if label and url.startswith("mailto:") else url
    return f"{label} ({url})"


def mrkdwn(text: str, users: Mapping[str, str], channels: Mapping[str, str] | None = None) -> str:
    """Plain text for a mrkdwn string: names for mentions, ``label (url)`` for links."""
    channels = channels if channels is not None else NO_NAMES
    out: list[str] = []
    end = 0
    for match in ANGLE.finditer(text):
        out.append(_unescape(text[end : match.start()]))
        out.append(_token(match.group(1), users, channels))
        end = match.end()
    out.append(_unescape(text[end:]))
    return emoji("".join(out))


def text_object(
    obj: Any, users: Mapping[str, str], channels: Mapping[str, str] | None = None
) -> str:
    """A Block Kit text object (``plain_text`` is shown as written, ``mrkdwn`` converted)."""
    if not obj:
        return ""
    if isinstance(obj, str):
        return mrkdwn(obj, users, channels)
    text = str(obj.get("text", ""))
    if obj.get("type") == "plain_text" or obj.get("verbatim"):
        return emoji(text) if obj.get("emoji", True) else text
    return mrkdwn(text, users, channels)


# -- rich_text -------------------------------------------------------------------------------

STYLE_MARKS = (("code", "`"), ("strike", "~"), ("italic", "_"), ("bold", "*"))


def _styled(text: str, style: Mapping[str, Any] | None) -> str:
    """Styled runs as mrkdwn marks; spaces stay outside the marks, as Slack would need."""
    core = text.strip()
    if not style or not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    for key, mark in STYLE_MARKS:
        if style.get(key):
            core = f"{mark}{core}{mark}"
    return lead + core + trail


def _rich_element(
    element: Mapping[str, Any], users: Mapping[str, str], channels: Mapping[str, str]
) -> str:
    kind = element.get("type")
    style = element.get("style")
    if kind == "text":
        return _styled(str(element.get("text", "")), style)
    if kind == "link":
        url = str(element.get("url", ""))
        label = element.get("text")
        return _styled(f"{label} ({url})" if label and label != url else url, style)
    if kind == "user":
        user_id = str(element.get("user_id", ""))
        return "@" + users.get(user_id, user_id)
    if kind == "channel":
        channel_id = str(element.get("channel_id", ""))
        return "#" + channels.get(channel_id, channel_id)
    if kind == "usergroup":
        return "@" + str(element.get("usergroup_id", ""))
    if kind == "broadcast":
        return "@" + str(element.get("range", "here"))
    if kind == "emoji":
        return emoji(f":{element.get('name', '')}:")
    if kind == "date":
        return str(element.get("fallback") or element.get("timestamp", ""))
    return str(element.get("text", ""))


def _rich_line(
    section: Mapping[str, Any], users: Mapping[str, str], channels: Mapping[str, str]
) -> str:
    return "".join(_rich_element(e, users, channels) for e in section.get("elements", []))


def rich_text(
    block: Mapping[str, Any], users: Mapping[str, str], channels: Mapping[str, str] | None = None
) -> str:
    """Best effort: sections as text, lists as bullets, quotes with ``>``, code indented."""
    channels = channels if channels is not None else NO_NAMES
    lines: list[str] = []
    for part in block.get("elements", []):
        kind = part.get("type")
        if kind == "rich_text_section":
            lines.append(_rich_line(part, users, channels))
        elif kind == "rich_text_list":
            indent = "  " * int(part.get("indent", 0) or 0)
            numbered = part.get("style") == "ordered"
            for n, item in enumerate(part.get("elements", []), 1):
                bullet = f"{n}." if numbered else "•"
                lines.append(f"{indent}{bullet} {_rich_line(item, users, channels)}")
        elif kind == "rich_text_quote":
            quoted = _rich_line(part, users, channels)
            lines += ["> " + line for line in quoted.split("\n")]
        elif kind == "rich_text_preformatted":
            code = _rich_line(part, users, channels)
            lines += ["    " + line for line in code.split("\n")]
    return "\n".join(lines)
