"""Block Kit as a person would read it in Slack, for the demo's terminal.

Mentions become ``@name``, links become ``label (url)``, buttons ``[ Mark done ]``, and each
Web API call is introduced by where it appeared ("DM to @lena", "#deadlines", "only visible
to you") so the demo reads like a Slack client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

USER = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|([^>]*))?>")
CHANNEL = re.compile(r"<#([CGD][A-Z0-9_]+)(?:\|([^>]*))?>")
LINK = re.compile(r"<(https?://[^|>]+)\|([^>]*)>")
BARE_LINK = re.compile(r"<(https?://[^>]+)>")
SPECIAL = re.compile(r"<!(here|channel|everyone)>")
EMOJI = {
    ":warning:": "⚠",
    ":white_check_mark:": "✔",
    ":question:": "?",
    ":calendar:": "📅",
    ":alarm_clock:": "⏰",
    ":moneybag:": "$",
    ":red_circle:": "●",
}


def mrkdwn(text: str, users: Mapping[str, str], channels: Mapping[str, str] | None = None) -> str:
    channels = channels or {}
    text = USER.sub(lambda m: "@" + (users.get(m.group(1)) or m.group(2) or m.group(1)), text)
    text = CHANNEL.sub(lambda m: "#" + (channels.get(m.group(1)) or m.group(2) or m.group(1)), text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = BARE_LINK.sub(lambda m: m.group(1), text)
    text = SPECIAL.sub(lambda m: "@" + m.group(1), text)
    for code, glyph in EMOJI.items():
        text = text.replace(code, glyph)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: Any, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    if not obj:
        return ""
    if isinstance(obj, str):
        return mrkdwn(obj, users, channels)
    return mrkdwn(str(obj.get("text", "")), users, channels)


def _element(element: Mapping[str, Any], users: Mapping[str, str], ch: Mapping[str, str]) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[ {_text(element.get('text'), users, ch)} ]"
    if kind in ("mrkdwn", "plain_text"):
        return _text(element, users, ch)
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    if kind in ("static_select", "users_select", "datepicker", "overflow"):
        return f"[{kind.replace('_', ' ')} ▾]"
    return ""


def render_blocks(
    blocks: list[Mapping[str, Any]],
    users: Mapping[str, str],
    channels: Mapping[str, str] | None = None,
) -> str:
    ch = channels or {}
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text(block.get("text"), users, ch)
            lines += [title, "═" * min(len(title), 60)]
        elif kind == "section":
            if block.get("text"):
                lines.append(_text(block["text"], users, ch))
            for field in block.get("fields") or []:
                lines.append("  " + _text(field, users, ch).replace("\n", ": ", 1))
            accessory = block.get("accessory")
            if accessory:
                lines.append("  " + _element(accessory, users, ch))
        elif kind == "context":
            parts = [_element(e, users, ch) for e in block.get("elements", [])]
            lines.append("  · " + "  ".join(p for p in parts if p))
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "actions":
            lines.append("  ".join(_element(e, users, ch) for e in block.get("elements", [])))
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "input":
            label = _text(block.get("label"), users, ch)
            element = block.get("element", {})
            initial = element.get("initial_value") or element.get("initial_date") or ""
            hint = _text(block.get("hint"), users, ch)
            optional = " (optional)" if block.get("optional") else ""
            lines.append(
                f"{label}{optional}: {initial or '____'}" + (f"  ({hint})" if hint else "")
            )
        elif kind == "rich_text":
            lines.append(json.dumps(block.get("elements", []))[:200])
    return "\n".join(lines)


def render_message(
    payload: Mapping[str, Any],
    users: Mapping[str, str],
    channels: Mapping[str, str] | None = None,
) -> str:
    blocks = payload.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if blocks:
        return render_blocks(blocks, users, channels)
    return mrkdwn(str(payload.get("text", "")), users, channels or {})


def render_view(view: Mapping[str, Any], users: Mapping[str, str]) -> str:
    title = _text(view.get("title"), users, {})
    body = render_blocks(view.get("blocks", []), users)
    buttons = "  ".join(
        f"[ {_text(view.get(key), users, {})} ]" for key in ("close", "submit") if view.get(key)
    )
    return f"┌ {title}\n{body}\n{buttons}"


def describe_call(
    call: Any, users: Mapping[str, str], channels: Mapping[str, str] | None = None
) -> str | None:
    """What a person would see because of this Web API call, or None (auth.test etc.)."""
    ch = channels or {}
    p = call.params
    channel = str(p.get("channel", ""))
    if channel.startswith("D"):
        where = f"DM to @{users.get(channel[1:], channel[1:])}"
    else:
        where = "#" + ch.get(channel, channel)
    if call.method == "chat.postMessage":
        return f"── {where} (from Clerk) ──\n{render_message(p, users, ch)}"
    if call.method == "chat.postEphemeral":
        return f"── only visible to you, in {where} ──\n{render_message(p, users, ch)}"
    if call.method == "chat.update":
        return f"── message updated in {where} ──\n{render_message(p, users, ch)}"
    if call.method in ("views.open", "views.push"):
        view = p.get("view") or {}
        return f"── a form opens ──\n{render_view(view, users)}"
    if call.method == "views.publish":
        view = p.get("view") or {}
        return f"── App Home of @{users.get(str(p.get('user_id')), p.get('user_id'))} ──\n" + (
            render_blocks(view.get("blocks", []), users)
        )
    if call.method == "files.completeUploadExternal":
        files = p.get("files") or []
        names = ", ".join(str(f.get("title") or f.get("id")) for f in files)
        target = p.get("channel_id") or p.get("channels") or ""
        return f"── file uploaded to {target}: {names} ──"
    return None
