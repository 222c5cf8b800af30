"""Slack's way of saying no: ``{"ok": false, "error": code}`` plus detail messages.

Shared by the workspace's method modules so each raises the codes Slack documents.
"""

from __future__ import annotations

from typing import Any

Params = dict[str, Any]


class ApiError(Exception):
    """A Web API failure: ``{"ok": false, "error": code}`` (plus Slack's detail messages)."""

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


def required(params: Params, key: str, error: str = "invalid_arguments") -> str:
    """``params[key]`` as text, or the error Slack gives when it is missing."""
    value = params.get(key)
    if value is None or value == "":
        raise ApiError(error)
    return str(value)
