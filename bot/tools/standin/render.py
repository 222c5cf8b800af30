"""Block Kit as a person would read it in Slack, for the demo's terminal and for tests.

A header is underlined, fields read "Label: value", buttons ``[ Mark done ]``, a modal's inputs
"Label: ____ (hint)". ``describe_call`` introduces each Web API call by where it appeared
("DM to @lena (from Clerk)", "#deadlines", "only visible to @lena") and returns None for calls
nobody sees (auth.test, users.info, conversations.open), so the demo shows Slack, not plumbing.
The output is plain text with no colour codes, so tests can compare it exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.tools.standin.mrkdwn import NO_NAMES, mrkdwn, rich_text, text_object

__all__ = ["describe_call", "mrkdwn", "render_blocks", "render_message", "render_view"]

RULE = "─" * 40
UNDERLINE_MAX = 60
Names = Mapping[str, str]


def _button(label: str) -> str:
    return f"[ {label} ]"


def _element(element: Mapping[str, Any], users: Names, channels: Names) -> str:
    """One interactive or context element, drawn the way Slack draws its control."""
    kind = element.get("type")
    placeholder = text_object(element.get("placeholder"), users, channels)
    if kind == "button":
        return _button(text_object(element.get("text"), users, channels))
    if kind in ("mrkdwn", "plain_text"):
        return text_object(element, users, channels)
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    if kind == "overflow":
        return "[ ⋯ ]"
    if kind in ("static_select", "external_select"):
        chosen = element.get("initial_option") or {}
        shown = text_object(chosen.get("text"), users, channels) or placeholder or "Select"
        return f"[ {shown} ▾ ]"
    if kind in ("users_select", "conversations_select", "channels_select"):
        chosen = element.get("initial_user") or element.get("initial_conversation")
        chosen = chosen or element.get("initial_channel")
        names = channels if kind != "users_select" else users
        prefix = "@" if kind == "users_select" else "#"
        shown = prefix + names.get(chosen, chosen) if chosen else (placeholder or "Select")
        return f"[ {shown} ▾ ]"
    if kind in ("datepicker", "timepicker", "datetimepicker"):
        chosen = element.get("initial_date") or element.get("initial_time")
        return f"[ {chosen or placeholder or 'Pick'} ▾ ]"
    if kind in ("checkboxes", "radio_buttons"):
        picked = {o.get("value") for o in element.get("initial_options") or []}
        if element.get("initial_option"):
            picked.add(element["initial_option"].get("value"))
        marks = ("[x]", "[ ]") if kind == "checkboxes" else ("(•)", "( )")
        return "  ".join(
            f"{marks[0] if o.get('value') in picked else marks[1]} "
            + text_object(o.get("text"), users, channels)
            for o in element.get("options") or []
        )
    return f"[{kind}]"


def _field(field: Any, users: Names, channels: Names) -> str:
    """``*Due*\\nMon 1 Dec`` reads "Due: Mon 1 Dec" (Slack shows it as a bold label above)."""
    text = text_object(field, users, channels)
    label, newline, value = text.partition("\n")
    if not newline:
        return "  " + text
    if len(label) > 2 and label[0] == label[-1] == "*":
        label = label[1:-1]
    return f"  {label}: " + value.replace("\n", "\n    ")


def _input_value(element: Mapping[str, Any], users: Names, channels: Names) -> str:
    for key in ("initial_value", "initial_date", "initial_time"):
        if element.get(key):
            return str(element[key])
    if element.get("initial_option"):
        return text_object(element["initial_option"].get("text"), users, channels)
    if element.get("initial_options"):
        return ", ".join(
            text_object(o.get("text"), users, channels) for o in element["initial_options"]
        )
    if element.get("initial_user"):
        return "@" + users.get(element["initial_user"], element["initial_user"])
    if element.get("initial_users"):
        return ", ".join("@" + users.get(u, u) for u in element["initial_users"])
    return "____"


def _block(block: Mapping[str, Any], users: Names, channels: Names) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = text_object(block.get("text"), users, channels)
        return [title, "═" * min(len(title), UNDERLINE_MAX)]
    if kind == "section":
        lines = text_object(block.get("text"), users, channels).split("\n")
        lines = lines if block.get("text") else []
        lines += [_field(f, users, channels) for f in block.get("fields") or []]
        accessory = block.get("accessory")
        if accessory:
            drawn = _element(accessory, users, channels)
            if lines and block.get("text"):
                lines[0] = f"{lines[0]}  {drawn}"
            else:
                lines.append(drawn)
        return lines
    if kind == "context":
        parts = [_element(e, users, channels) for e in block.get("elements") or []]
        return ["  · " + "  ".join(p for p in parts if p.strip())]
    if kind == "divider":
        return [RULE]
    if kind == "actions":
        return ["  ".join(_element(e, users, channels) for e in block.get("elements") or [])]
    if kind == "image":
        title = text_object(block.get("title"), users, channels)
        return [f"[image: {block.get('alt_text', '')}]" + (f" {title}" if title else "")]
    if kind == "input":
        label = text_object(block.get("label"), users, channels)
        element = block.get("element") or {}
        hint = text_object(block.get("hint"), users, channels)
        hint = hint or text_object(element.get("placeholder"), users, channels)
        optional = " (optional)" if block.get("optional") else ""
        value = _input_value(element, users, channels)
        if element.get("type") in ("checkboxes", "radio_buttons"):
            value = _element(element, users, channels)
        return [f"{label}{optional}: {value}" + (f" ({hint})" if hint else "")]
    if kind == "rich_text":
        return rich_text(block, users, channels).split("\n")
    if kind == "markdown":
        return mrkdwn(str(block.get("text", "")), users, channels).split("\n")
    if kind == "video":
        return [f"[video: {text_object(block.get('title'), users, channels)}]"]
    if kind == "file":
        return ["[file]"]
    return [f"[{kind} block]"]


def render_blocks(
    blocks: Sequence[Mapping[str, Any]], users: Names, channels: Names | None = None
) -> str:
    channels = channels if channels is not None else NO_NAMES
    lines: list[str] = []
    for block in blocks:
        lines += _block(block, users, channels)
    return "\n".join(lines)


def _attachment(attachment: Mapping[str, Any], users: Names, channels: Names) -> list[str]:
    """Legacy attachments: shown behind a bar, as Slack does with the colour stripe."""
    lines: list[str] = []
    for key in ("pretext", "title", "text"):
        if attachment.get(key):
            lines += mrkdwn(str(attachment[key]), users, channels).split("\n")
    for field in attachment.get("fields") or []:
        lines.append(f"{field.get('title', '')}: {mrkdwn(str(field.get('value', '')), users)}")
    if attachment.get("blocks"):
        lines += render_blocks(attachment["blocks"], users, channels).split("\n")
    if attachment.get("footer"):
        lines.append(mrkdwn(str(attachment["footer"]), users, channels))
    return ["▌ " + line for line in lines]


def render_message(payload: Mapping[str, Any], users: Names, channels: Names | None = None) -> str:
    """A message (post, ephemeral or response_url reply): its blocks, else its text."""
    channels = channels if channels is not None else NO_NAMES
    if payload.get("delete_original") and not payload.get("text") and not payload.get("blocks"):
        return "(the message was removed)"
    blocks = payload.get("blocks")
    if blocks:
        lines = [render_blocks(blocks, users, channels)]
    elif payload.get("text"):
        lines = [mrkdwn(str(payload["text"]), users, channels)]
    else:
        lines = []
    for attachment in payload.get("attachments") or []:
        lines += _attachment(attachment, users, channels)
    return "\n".join(lines)


def render_view(
    view: Mapping[str, Any],
    users: Names,
    channels: Names | None = None,
    *,
    with_title: bool = True,
) -> str:
    """A modal: title, blocks, then its buttons (Slack adds "Cancel" when close is unset)."""
    lines: list[str] = []
    if with_title and view.get("title"):
        title = text_object(view.get("title"), users, channels)
        lines += [title, "═" * min(len(title), UNDERLINE_MAX)]
    body = render_blocks(view.get("blocks") or [], users, channels)
    if body:
        lines.append(body)
    if view.get("type", "modal") == "modal":
        close = text_object(view.get("close"), users, channels) or "Cancel"
        buttons = [_button(close)]
        if view.get("submit"):
            buttons.append(_button(text_object(view["submit"], users, channels)))
        lines.append("  ".join(buttons))
    return "\n".join(lines)


# -- describe_call ---------------------------------------------------------------------------


def _lookup(key: str, *maps: Names | None) -> str:
    for names in maps:
        if names and names.get(key):
            return names[key]
    return key


def describe_call(call: Any, users: Names, channels: Names | None = None) -> str | None:
    """What a person would see because of this recorded call, introduced by where it showed.

    None for calls nobody sees (lookups, failed calls: Slack showed nothing).
    """
    if not getattr(call, "ok", True):
        return None
    params: Mapping[str, Any] = call.params
    response: Mapping[str, Any] = getattr(call, "response", None) or {}
    known: Names = getattr(call, "names", None) or NO_NAMES
    user_names: Names = {**known, **users}
    channel_names: Names = {**known, **(channels or {})}

    def person(user_id: Any) -> str:
        return "@" + _lookup(str(user_id), users, known)

    def where(channel: Any) -> str:
        channel = str(channel or "")
        if channel.startswith("D"):
            return f"DM with {person(channel[1:])}"
        if channel[:1] in ("U", "W"):
            return f"DM with {person(channel)}"
        if channel.startswith("G") and channel not in channel_names:
            return "a group DM"
        return "#" + _lookup(channel, channels, known)

    def message(payload: Mapping[str, Any]) -> str:
        return render_message(payload, user_names, channel_names)

    method = call.method
    channel = response.get("channel") or params.get("channel")
    if method == "chat.postMessage":
        place = where(channel)
        if place.startswith("DM with "):
            place = f"DM to {place.removeprefix('DM with ')} (from Clerk)"
        if params.get("thread_ts"):
            place += ", in a thread"
        return f"── {place} ──\n{message(params)}"
    if method == "chat.postEphemeral":
        return f"── only visible to {person(params.get('user'))}, in {where(channel)} ──\n" + (
            message(params)
        )
    if method == "chat.update":
        return f"── message updated in {where(channel)} ──\n{message(params)}"
    if method == "chat.delete":
        return f"── message deleted in {where(channel)} ──"
    if method in ("views.open", "views.push", "views.update"):
        view = response.get("view") or params.get("view") or {}
        title = text_object(view.get("title"), user_names, channel_names)
        verb = "modal" if method != "views.update" else "modal now"
        body = render_view(view, user_names, channel_names, with_title=False)
        return f"── {verb}: {title} ──\n{body}"
    if method == "views.publish":
        view = params.get("view") or {}
        body = render_view(view, user_names, channel_names, with_title=False)
        return f"── App Home of {person(params.get('user_id'))} ──\n{body}"
    if method in ("files.completeUploadExternal", "files.upload"):
        files = response.get("files") or [response.get("file") or params]
        names = ", ".join(str(f.get("name") or f.get("filename") or f.get("title")) for f in files)
        targets = (files[0].get("channels") if files else None) or []
        shared = " and ".join(where(t) for t in targets) if targets else "nobody yet"
        text = f"── file uploaded to {shared}: {names} ──"
        comment = params.get("initial_comment")
        return text + ("\n" + mrkdwn(str(comment), user_names, channel_names) if comment else "")
    if method == "reactions.add":
        emoji = mrkdwn(f":{params.get('name', '')}:", users)
        return f"── Clerk reacted {emoji} in {where(channel)} ──"
    return None
