"""The bolt WSGI adapter, with slash commands whose text says "payload" read as commands.

Slack posts a slash command as a form (``command=/matter&text=...``) and a button or a
form submission as a form with one field, ``payload``, holding JSON. Bolt (1.x) tells them
apart by looking for the letters ``payload`` anywhere in the raw body, so ``/matter note
the payload of the shipment`` was taken for an interaction with no payload: bolt parsed it
as ``{}``, no listener matched, and the user got Slack's "dispatch_failed" instead of an
answer.

Here a form body whose fields hold no ``payload`` is read as the plain form it is. The raw
body is left exactly as sent, so bolt still verifies Slack's signature over it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import BoltRequest
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context
from slack_bolt.response import BoltResponse


def form_fields(raw_body: str) -> dict[str, str] | None:
    """The fields of a form-encoded body that is not an interaction (no ``payload`` field),
    or None for JSON, an interaction's form, or an empty body."""
    if not raw_body or raw_body.lstrip().startswith("{"):
        return None
    fields = dict(parse_qsl(raw_body, keep_blank_values=True))
    if not fields or "payload" in fields:
        return None
    return fields


class FormSafeRequest(BoltRequest):
    """A ``BoltRequest`` that reads a command's form as a form, whatever its text says."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.mode != "http" or self.body:
            return
        fields = form_fields(self.raw_body)
        if fields is not None:
            self.body = fields
            self.context = build_context(BoltContext(dict(self.context)), self.body)

    def to_copyable(self) -> BoltRequest:
        # Bolt copies a request for its lazy listeners: the copy must read the form the same way.
        return FormSafeRequest(
            body=self.raw_body,
            query=self.query,
            headers=self.headers,
            context=self.context.to_copyable(),
            mode=self.mode,
        )


class FormSafeRequestHandler(SlackRequestHandler):
    """Bolt's WSGI handler, building :class:`FormSafeRequest` instead of ``BoltRequest``."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        return self.app.dispatch(
            FormSafeRequest(
                body=request.get_body(),
                query=request.query_string,
                headers=request.get_headers(),
            )
        )
