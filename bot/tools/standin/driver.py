"""Sending Slack's own request shapes, signed, to a running Clerk over HTTP.

The demo, the tests and the benchmark all speak to Clerk exactly as Slack does: a form-encoded
slash command, a ``payload=`` interaction, a JSON event callback, each signed with the signing
secret. Replies come back through the stand-in (``response_url`` posts and Web API calls).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

TEAM_ID = "T_CLERK"
APP_ID = "A_CLERK"
_counter = itertools.count(1)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Exchange:
    """One request to Clerk and everything Slack would have shown because of it."""

    status: int
    body: str
    replies: list[dict[str, Any]] = field(default_factory=list)  # response_url posts
    calls: list[Any] = field(default_factory=list)  # Web API calls (RecordedCall)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def calls_to(self, method: str) -> list[Any]:
        return [c for c in self.calls if c.method == method]

    @property
    def texts(self) -> list[str]:
        """The fallback text of every reply and message, for quick assertions."""
        found = [r.get("text", "") for r in self.replies]
        found += [
            c.params.get("text", "")
            for c in self.calls
            if c.method in ("chat.postMessage", "chat.postEphemeral", "chat.update")
        ]
        return found


class SlackDriver:
    def __init__(
        self,
        events_url: str,
        signing_secret: str,
        standin: Any,
        *,
        wait_idle: Callable[[], object] | None = None,
        team_id: str = TEAM_ID,
    ) -> None:
        self.events_url = events_url
        self.secret = signing_secret
        self.standin = standin
        self.team_id = team_id
        self._wait_idle = wait_idle

    # -- raw ------------------------------------------------------------------------------

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        request = urllib.request.Request(self.events_url, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        request.add_header("X-Slack-Request-Timestamp", ts)
        request.add_header("X-Slack-Signature", signature or sign(self.secret, ts, body))
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def _exchange(self, send: Callable[[], tuple[int, str]]) -> Exchange:
        calls_before = len(self.standin.calls())
        replies_before = len(self.standin.responses())
        status, body = send()
        if self._wait_idle is not None:
            self._wait_idle()
        return Exchange(
            status=status,
            body=body,
            replies=self.standin.responses()[replies_before:],
            calls=self.standin.calls()[calls_before:],
        )

    def _form(self, fields: dict[str, str], **kwargs: Any) -> Exchange:
        body = urlencode(fields).encode()
        return self._exchange(
            lambda: self.post(body, "application/x-www-form-urlencoded", **kwargs)
        )

    # -- Slack's request shapes ----------------------------------------------------------

    def command(
        self,
        user_id: str,
        command: str,
        text: str = "",
        *,
        channel_id: str = "C_GENERAL",
        **kwargs: Any,
    ) -> Exchange:
        n = next(_counter)
        fields = {
            "token": "deprecated",
            "team_id": self.team_id,
            "team_domain": "clerk-firm",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.standin.response_url(f"cmd-{n}"),
            "trigger_id": f"{n}.trigger",
        }
        return self._form(fields, **kwargs)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Exchange:
        payload.setdefault("team", {"id": self.team_id, "domain": "clerk-firm"})
        payload.setdefault("api_app_id", APP_ID)
        payload.setdefault("token", "deprecated")
        return self._form({"payload": json.dumps(payload)}, **kwargs)

    def action(
        self,
        user_id: str,
        action_id: str,
        value: str = "",
        *,
        channel_id: str = "C_GENERAL",
        message: dict[str, Any] | None = None,
        ephemeral: bool = True,
        block_id: str = "actions",
    ) -> Exchange:
        n = next(_counter)
        container: dict[str, Any] = {
            "type": "message",
            "channel_id": channel_id,
            "is_ephemeral": ephemeral,
        }
        if message and message.get("ts"):
            container["message_ts"] = message["ts"]
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "container": container,
            "trigger_id": f"{n}.trigger",
            "channel": {"id": channel_id, "name": "general"},
            "response_url": self.standin.response_url(f"act-{n}"),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        if message is not None:
            payload["message"] = message
        return self.interaction(payload)

    def view_submission(
        self, user_id: str, view: dict[str, Any], values: dict[str, Any]
    ) -> Exchange:
        """Submit a modal as Slack would, with ``values`` as ``{block_id: value}``."""
        state: dict[str, dict[str, Any]] = {}
        for block in view.get("blocks", []):
            if block.get("type") != "input":
                continue
            block_id = block["block_id"]
            element = block["element"]
            value = values.get(block_id)
            kind = element["type"]
            entry: dict[str, Any] = {"type": kind}
            if kind == "static_select":
                entry["selected_option"] = (
                    {"text": {"type": "plain_text", "text": str(value)}, "value": value}
                    if value is not None
                    else None
                )
            elif kind == "users_select":
                entry["selected_user"] = value
            elif kind == "datepicker":
                entry["selected_date"] = value
            else:
                entry["value"] = value
            state[block_id] = {element.get("action_id", "value"): entry}
        submitted = dict(view)
        submitted.setdefault("id", f"V{next(_counter)}")
        submitted["state"] = {"values": state}
        payload = {
            "type": "view_submission",
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "view": submitted,
            "response_urls": [],
        }
        return self.interaction(payload)

    def shortcut(
        self, user_id: str, callback_id: str, message: dict[str, Any], channel_id: str
    ) -> Exchange:
        n = next(_counter)
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": f"{n}.trigger",
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "channel": {"id": channel_id, "name": "general"},
            "message": message,
            "message_ts": message.get("ts", ""),
            "response_url": self.standin.response_url(f"sc-{n}"),
        }
        return self.interaction(payload)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> Exchange:
        envelope = {
            "token": "deprecated",
            "team_id": self.team_id,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_counter):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": self.team_id, "user_id": "U_CLERK", "is_bot": True}],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        body = json.dumps(envelope).encode()
        return self._exchange(lambda: self.post(body, "application/json", headers=headers))

    def dm(self, user_id: str, text: str, **kwargs: Any) -> Exchange:
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user_id}",
            "user": user_id,
            "text": text,
            "ts": f"{time.time():.6f}",
            "client_msg_id": f"msg-{next(_counter)}",
        }
        return self.event(event, **kwargs)
