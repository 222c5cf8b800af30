"""The one Block Kit toolkit: every message and modal Clerk shows is built here.

Keeping the builders in one module makes every reply look alike and keeps Slack's limits in
one place (50 blocks a message, 3,000 characters a section, 150 a header...): text is cut
with a visible ellipsis rather than rejected by Slack, and long lists are split into pages.
Every message carries a plain ``text`` fallback for notifications and screen readers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block

from bot.text import escape as escape  # re-exported: the toolkit is where handlers find it
from bot.text import strip_controls

Block_ = dict[str, Any]

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_OPTION_TEXT = 75
MAX_FALLBACK_TEXT = 3000  # well under the 40k cut; notifications show far less
MAX_VIEW_TITLE = 24
MAX_LABEL = 2000


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def mention(slack_id: str | None) -> str:
    return f"<@{slack_id}>" if slack_id else "_nobody_"


# --- blocks -----------------------------------------------------------------------------


def header(text: str) -> Block_:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(text, MAX_HEADER), "emoji": True},
    }


def section(text: str, *, accessory: Block_ | None = None, block_id: str | None = None) -> Block_:
    block: Block_ = {"type": "section", "text": mrkdwn(truncate(text, MAX_SECTION_TEXT))}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def fields(pairs: Iterable[tuple[str, str]]) -> list[Block_]:
    """Label/value pairs as two-column sections (10 fields per section, as Slack allows)."""
    items = [mrkdwn(truncate(f"*{label}*\n{value}", MAX_FIELD_TEXT)) for label, value in pairs]
    return [
        {"type": "section", "fields": items[i : i + MAX_FIELDS]}
        for i in range(0, len(items), MAX_FIELDS)
    ]


def context(*texts: str) -> Block_:
    elements = [mrkdwn(truncate(t, MAX_SECTION_TEXT)) for t in texts if t]
    return {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS] or [mrkdwn(" ")]}


def divider() -> Block_:
    return {"type": "divider"}


def mrkdwn(text: str) -> Block_:
    return {"type": "mrkdwn", "text": text or " "}


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> Block_:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def button(
    text: str,
    action_id: str,
    value: str | dict[str, Any] = "",
    *,
    style: str | None = None,
    confirm: tuple[str, str] | None = None,
) -> Block_:
    """A button; a dict ``value`` is JSON-encoded (it must fit Slack's 2,000 characters)."""
    raw = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    if len(raw) > MAX_BUTTON_VALUE:
        raise ValueError("button value over Slack's 2,000 characters: store it server-side")
    element: Block_ = {
        "type": "button",
        "text": plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": raw or action_id,
    }
    if style in ("primary", "danger"):
        element["style"] = style
    if confirm:
        title, body = confirm
        element["confirm"] = {
            "title": plain(title, 100),
            "text": plain(body, 300),
            "confirm": plain("Yes", 30),
            "deny": plain("No", 30),
        }
    return element


def actions(*elements: Block_, block_id: str | None = None) -> Block_:
    block: Block_ = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def image(url: str, alt: str) -> Block_:
    return {"type": "image", "image_url": url, "alt_text": truncate(alt, 2000)}


# --- messages ---------------------------------------------------------------------------


@dataclass
class Message:
    """What a reply or a post contains: a fallback text and the blocks."""

    text: str
    blocks: list[Block_] = field(default_factory=list)
    # Replies are ephemeral unless the asker explicitly posts them.
    in_channel: bool = False

    def render(self) -> Message:
        """A message is drawn as itself (queued facts are drawn into one)."""
        return self

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"text": truncate(self.text, MAX_FALLBACK_TEXT)}
        if self.blocks:
            body["blocks"] = self.blocks
        return body


def message(text: str, *blocks: Block_ | Sequence[Block_]) -> Message:
    flat: list[Block_] = []
    for block in blocks:
        if isinstance(block, dict):
            flat.append(block)
        else:
            flat.extend(block)
    if not flat:
        flat = [section(text)]
    if len(flat) > MAX_BLOCKS_MESSAGE:
        raise ValueError("more than 50 blocks in one message: use paginate()")
    return Message(text=text, blocks=flat)


def paginate(
    title: str,
    rows: Sequence[Block_],
    *,
    lead: Sequence[Block_] = (),
    fallback: str | None = None,
    per_page: int = MAX_BLOCKS_MESSAGE - 5,
) -> list[Message]:
    """Split a long list into messages that each fit Slack's 50-block limit.

    Page headers say "(2/3)" so nobody mistakes a first page for the whole list.
    """
    lead = list(lead)
    room = max(1, min(per_page, MAX_BLOCKS_MESSAGE - 2 - len(lead)))
    chunks = [list(rows[i : i + room]) for i in range(0, len(rows), room)] or [[]]
    pages: list[Message] = []
    for number, chunk in enumerate(chunks, start=1):
        suffix = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        blocks = [header(title + suffix), *(lead if number == 1 else []), *chunk]
        pages.append(Message(text=(fallback or title) + suffix, blocks=blocks))
    return pages


def error(text: str, usage: str | None = None) -> Message:
    """A refusal: what went wrong first, then how to say it right."""
    blocks = [section(f":warning: {text}")]
    if usage:
        blocks.append(context(usage))
    return Message(text=text, blocks=blocks)


def success(text: str, *details: str) -> Message:
    blocks = [section(f":white_check_mark: {text}")]
    if details:
        blocks.append(context(*details))
    return Message(text=text, blocks=blocks)


def usage(title: str, lines: Sequence[str], examples: Sequence[str] = ()) -> Message:
    body = "\n".join(f"`{line}`" for line in lines)
    blocks = [header(title), section(body)]
    if examples:
        blocks.append(context("Examples: " + "  ·  ".join(f"`{e}`" for e in examples)))
    return Message(text=f"{title}: " + "; ".join(lines), blocks=blocks)


# --- modals -----------------------------------------------------------------------------


def modal(
    title: str,
    callback_id: str,
    blocks: Sequence[Block_],
    *,
    submit: str | None = "Save",
    private_metadata: str = "",
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_VIEW_TITLE),
        "close": plain("Cancel", 24),
        "blocks": list(blocks)[:MAX_BLOCKS_VIEW],
        "private_metadata": private_metadata[:3000],
    }
    if submit:
        view["submit"] = plain(submit, 24)
    return view


def text_input(
    block_id: str,
    label: str,
    *,
    initial: str | None = None,
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
    placeholder: str | None = None,
    max_length: int | None = None,
) -> Block_:
    element: Block_ = {"type": "plain_text_input", "action_id": "value", "multiline": multiline}
    if initial:
        element["initial_value"] = initial[:3000]
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    if max_length:
        element["max_length"] = max_length
    block = _input(block_id, label, element, optional)
    if hint:
        block["hint"] = plain(hint, MAX_LABEL)
    return block


def select_input(
    block_id: str,
    label: str,
    options: Sequence[tuple[str, str]],
    *,
    initial: str | None = None,
    optional: bool = False,
) -> Block_:
    opts = [{"text": plain(text, MAX_OPTION_TEXT), "value": value[:150]} for text, value in options]
    element: Block_ = {"type": "static_select", "action_id": "value", "options": opts[:100]}
    chosen = next((o for o in opts if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return _input(block_id, label, element, optional)


def _input(block_id: str, label: str, element: Block_, optional: bool) -> Block_:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, MAX_LABEL),
        "element": element,
        "optional": optional,
    }


def user_input(
    block_id: str, label: str, *, initial: str | None = None, optional: bool = True
) -> Block_:
    element: Block_ = {"type": "users_select", "action_id": "value"}
    if initial:
        element["initial_user"] = initial
    return _input(block_id, label, element, optional)


def date_input(
    block_id: str, label: str, *, initial: str | None = None, optional: bool = True
) -> Block_:
    element: Block_ = {"type": "datepicker", "action_id": "value"}
    if initial:
        element["initial_date"] = initial
    return _input(block_id, label, element, optional)


def view_values(view: dict[str, Any]) -> dict[str, str | None]:
    """Flatten a submitted view's state into ``{block_id: value}`` (one element per block).

    The one place form values are read, so the one place their control characters (ESC,
    BEL...) are dropped, as ``clean`` drops them from slash commands: every form stores what
    a person could have typed, and nothing a terminal would act on.
    """
    values: dict[str, str | None] = {}
    for block_id, elements in view.get("state", {}).get("values", {}).items():
        for element in elements.values():
            kind = element.get("type")
            if kind in ("static_select", "external_select"):
                option = element.get("selected_option")
                values[block_id] = option["value"] if option else None
            elif kind == "users_select":
                values[block_id] = element.get("selected_user")
            elif kind == "datepicker":
                values[block_id] = element.get("selected_date")
            elif kind == "checkboxes":
                chosen = element.get("selected_options") or []
                values[block_id] = ",".join(o["value"] for o in chosen)
            else:
                values[block_id] = element.get("value")
            if isinstance(values[block_id], str):
                values[block_id] = strip_controls(values[block_id])
            elif values[block_id] is not None:
                values[block_id] = None  # a forged state: not what any element sends
    return values


# --- validation -------------------------------------------------------------------------


def validate(blocks: Sequence[Block_], *, limit: int = MAX_BLOCKS_MESSAGE) -> None:
    """Check blocks with slack_sdk's models (lengths, required fields) and the block count.

    slack_sdk does not check the 50-blocks-per-message limit, so that is checked here.
    """
    if len(blocks) > limit:
        raise ValueError(f"{len(blocks)} blocks exceed Slack's limit of {limit}")
    for parsed in Block.parse_all(list(blocks)):
        if parsed is None:
            raise ValueError("unknown block type")
        parsed.validate_json()
