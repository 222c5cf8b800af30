"""What travels over the stand-in's HTTP: request bodies in, recorded calls out.

slack-sdk sends JSON for some methods, form fields for others and multipart for legacy
uploads; bolt's ``respond()`` sends JSON. Parsing all of them into one ``params`` dict (with
``blocks``/``view`` always decoded) lets tests and the demo read every call the same way.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

log = logging.getLogger("bot.tools.standin")

# Form and multipart bodies carry these as JSON strings; JSON bodies carry them as objects.
JSON_FIELDS = frozenset({"blocks", "attachments", "view", "files", "metadata"})


@dataclass(frozen=True)
class RecordedCall:
    """One HTTP call Clerk made to "Slack": what it sent and what it got back."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    # ids -> names in the workspace when the call was made, so a call can be described later
    names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when Slack accepted it (a person could have seen its effect)."""
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass(frozen=True)
class ResponsePost:
    """One post to a ``response_url``; ``status`` is 200 unless the stand-in refused it."""

    name: str
    payload: dict[str, Any]
    at: float
    status: int = 200


@dataclass
class Fault:
    status: int
    error: str | None
    retry_after: int | None
    remaining: int


def decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    for key in JSON_FIELDS & params.keys():
        value = params[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            # garbage stays as sent; the method then answers as Slack would to garbage
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(value)
    return params


def parse_body(content_type: str, body: bytes, query: str = "") -> dict[str, Any]:
    """Params from a query string plus a JSON, form-encoded or multipart body."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        pass
    elif kind == "application/json":
        decoded = json.loads(body.decode("utf-8"))
        if not isinstance(decoded, dict):
            raise ValueError("a JSON body must be an object")
        params.update(decoded)
    elif kind == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            if part.get_filename() is not None:
                params[str(name)] = payload
                params.setdefault("filename", part.get_filename())
            else:
                params[str(name)] = payload.decode("utf-8")
    else:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return decode_json_fields(params)


def printable(params: dict[str, Any]) -> dict[str, Any]:
    """Recorded params stay JSON-like: file bytes are summarised, not kept twice."""
    return {
        key: ({"length": len(value)} if isinstance(value, bytes) else value)
        for key, value in params.items()
    }


class Handler(BaseHTTPRequestHandler):
    standin: Any  # the SlackStandIn; set on the per-instance subclass built in start()
    server_version = "SlackStandIn/1.0"

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.standin._serve(self)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("stand-in: " + format, *args)

    def reply(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up first (a delay_next timeout): nobody is left to answer.
            log.debug("stand-in: client went away before the answer to %s", self.path)
