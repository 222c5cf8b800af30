"""The Block Kit limits Slack enforces, checked by the stand-in before it accepts a post.

Slack rejects an over-long header or a 51st block with ``invalid_blocks`` at runtime, in front
of a user; a stand-in that accepted anything would let such a bug pass every test. Only the
limits that are documented by Slack or enforced by ``slack_sdk.models`` are
checked, so a message the stand-in refuses is one Slack would refuse too.
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
SECTION_FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
ACTIONS_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
BLOCK_ID = 255
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
INPUT_LABEL = 2000
MARKDOWN_BLOCK = 12000
VIEW_TITLE = 24  # modal title, submit and close: slack_sdk.models.views.View
PRIVATE_METADATA = 3000


def _text_of(obj: Any) -> str:
    if isinstance(obj, dict):
        text = obj.get("text", "")
        return text if isinstance(text, str) else ""
    return ""


def block_problems(blocks: Any, *, limit: int = MESSAGE_BLOCKS) -> list[str]:
    """Slack-style messages ("... [json-pointer:/blocks/0/text]") for every broken limit."""
    if not isinstance(blocks, list):
        return ["[ERROR] must be an array [json-pointer:/blocks]"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"[ERROR] no more than {limit} items allowed [json-pointer:/blocks]")
    for i, block in enumerate(blocks):
        where = f"/blocks/{i}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.append(f"[ERROR] missing required field: type [json-pointer:{where}]")
            continue
        problems += _one_block(block, where)
    return problems


def _too_long(text: str, limit: int, where: str) -> list[str]:
    if len(text) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{where}]"]
    return []


def _one_block(block: dict[str, Any], where: str) -> list[str]:
    kind = block["type"]
    problems = _too_long(str(block.get("block_id", "")), BLOCK_ID, f"{where}/block_id")
    if kind == "header":
        text = block.get("text")
        if not isinstance(text, dict) or text.get("type") != "plain_text":
            problems.append(f"[ERROR] must be a plain_text object [json-pointer:{where}/text]")
        problems += _too_long(_text_of(text), HEADER_TEXT, f"{where}/text/text")
    elif kind == "section":
        if "text" not in block and "fields" not in block:
            problems.append(f"[ERROR] must provide text or fields [json-pointer:{where}]")
        problems += _too_long(_text_of(block.get("text")), SECTION_TEXT, f"{where}/text/text")
        fields = block.get("fields") or []
        if len(fields) > SECTION_FIELDS:
            problems.append(
                f"[ERROR] no more than {SECTION_FIELDS} items allowed [json-pointer:{where}/fields]"
            )
        for j, field in enumerate(fields):
            problems += _too_long(_text_of(field), FIELD_TEXT, f"{where}/fields/{j}/text")
        accessory = block.get("accessory")
        if isinstance(accessory, dict):
            problems += _element(accessory, f"{where}/accessory")
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > ACTIONS_ELEMENTS:
            problems.append(
                f"[ERROR] must have 1 to {ACTIONS_ELEMENTS} items [json-pointer:{where}/elements]"
            )
        for j, element in enumerate(elements):
            problems += _element(element, f"{where}/elements/{j}")
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements or len(elements) > CONTEXT_ELEMENTS:
            problems.append(
                f"[ERROR] must have 1 to {CONTEXT_ELEMENTS} items [json-pointer:{where}/elements]"
            )
    elif kind == "input":
        problems += _too_long(_text_of(block.get("label")), INPUT_LABEL, f"{where}/label/text")
        if not isinstance(block.get("element"), dict):
            problems.append(f"[ERROR] missing required field: element [json-pointer:{where}]")
    elif kind == "markdown":
        problems += _too_long(str(block.get("text", "")), MARKDOWN_BLOCK, f"{where}/text")
    return problems


def _element(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict):
        return [f"[ERROR] must be an object [json-pointer:{where}]"]
    if element.get("type") != "button":
        return []
    problems = _too_long(_text_of(element.get("text")), BUTTON_TEXT, f"{where}/text/text")
    problems += _too_long(str(element.get("value", "")), BUTTON_VALUE, f"{where}/value")
    return problems


def view_problems(view: Any) -> list[str]:
    """What Slack would refuse in a modal or Home tab (titles are short: 24 characters)."""
    if not isinstance(view, dict):
        return ["[ERROR] must be an object [json-pointer:/view]"]
    problems: list[str] = []
    kind = view.get("type")
    if kind not in ("modal", "home"):
        problems.append("[ERROR] must be modal or home [json-pointer:/view/type]")
    if kind == "modal":
        if not _text_of(view.get("title")):
            problems.append("[ERROR] missing required field: title [json-pointer:/view]")
        for key in ("title", "submit", "close"):
            problems += _too_long(_text_of(view.get(key)), VIEW_TITLE, f"/view/{key}/text")
        has_input = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or []
        )
        if has_input and not view.get("submit"):
            problems.append("[ERROR] submit is required when an input block is present")
    problems += _too_long(
        str(view.get("private_metadata", "")), PRIVATE_METADATA, "/view/private_metadata"
    )
    problems += [
        p.replace("json-pointer:/blocks", "json-pointer:/view/blocks")
        for p in block_problems(view.get("blocks", []), limit=VIEW_BLOCKS)
    ]
    return problems
