"""Reading what Slack would show: buttons in a reply, the last reply's text."""

from __future__ import annotations

from typing import Any

from bot.tools.standin.driver import Exchange


def last(exchange: Exchange) -> dict[str, Any]:
    # Not asserting the HTTP status here: bolt can lose the ack of a listener that fails
    # within ~10 ms of acking (thread_runner resets ack.response), a known platform quirk.
    assert exchange.replies, f"no reply; calls: {[c.method for c in exchange.calls]}"
    return exchange.replies[-1]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in message.get("blocks") or []:
        if block.get("type") == "actions":
            found += block["elements"]
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            found.append(accessory)
    return found


def button(message: dict[str, Any], action_id: str, index: int = 0) -> dict[str, Any]:
    matching = [b for b in buttons(message) if b["action_id"] == action_id]
    assert matching, f"no {action_id} button in {[b['action_id'] for b in buttons(message)]}"
    return matching[index]


def shown(message: dict[str, Any]) -> str:
    """Everything a user would read in a message: fallback text and block text."""
    parts = [message.get("text", "")]
    for block in message.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for item in block.get("fields") or []:
            parts.append(item.get("text", ""))
        for item in block.get("elements") or []:
            if isinstance(item.get("text"), str):
                parts.append(item["text"])
            elif isinstance(item.get("text"), dict):
                parts.append(item["text"].get("text", ""))
    return "\n".join(parts)


def press(
    harness: Any, user: str, message: dict[str, Any], action_id: str, index: int = 0
) -> Exchange:
    """Press a button on an ephemeral reply: the payload carries no ``message`` (PF 1.1)."""
    b = button(message, action_id, index)
    return harness.slack.action(user, action_id, b["value"], ephemeral=True)


def refusal(harness: Any, user: str, text: str, command: str = "/deadline") -> str:
    """What the user reads when ``text`` is refused, running the command's runner directly.

    For long tables of bad inputs: each table also sends cases through signed HTTP, but a
    refusal costs 3 s over HTTP (bolt loses the ack of a listener that fails within ~10 ms of
    acking and waits out its ack timeout), so the rest go straight to the same runner and the
    same ``reply_for`` the error handler uses.
    """
    from bot.errors import ClerkError
    from handlers.kernel.commands import CommandRequest
    from handlers.kernel.errors import reply_for

    request = CommandRequest(
        clerk=harness.clerk,
        actor=harness.clerk.directory.actor(user),
        command=command,
        text=text,
        channel_id="C_GENERAL",
        client=harness.clerk.client,
    )
    try:
        harness.clerk.runners[command](request)
    except ClerkError as error:
        return shown(reply_for(error).payload())
    raise AssertionError(f"{text!r} was not refused")
