"""A local Slack for tests and ``clerk demo``: the Web API, ``response_url`` and file uploads.

The real bolt app and slack-sdk talk to it over real HTTP (``WebClient(base_url=standin.url)``),
so retries, timeouts, auth headers and body encodings are exercised as they would be against
slack.com. Every call is recorded for assertions and for the demo's "what Slack would show";
``fail_next``/``delay_next`` inject the failures Slack really produces (429 with Retry-After,
500/503, error codes, slow answers) so Clerk's error paths can be tested deterministically.
``real_slack`` (``limits.RealSlack``) turns on the latency and rate limits of the real thing.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Mapping
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from bot.tools.standin.blockcheck import block_problems
from bot.tools.standin.errors import ApiError
from bot.tools.standin.faults import FaultInjection
from bot.tools.standin.files import UploadedFile
from bot.tools.standin.limits import Limits, RealSlack
from bot.tools.standin.socket_mode import CONNECTIONS_OPEN, SocketMode
from bot.tools.standin.wire import (
    Fault,
    Handler,
    RecordedCall,
    ResponsePost,
    decode_json_fields,
    parse_body,
    printable,
)
from bot.tools.standin.workspace import Member, Workspace

__all__ = ["RESPONSE_URL", "UPLOAD_URL", "RecordedCall", "ResponsePost", "SlackStandIn"]

RESPONSE_URL = "response_url"  # pseudo-method: posts to a response_url (bolt's respond())
UPLOAD_URL = "upload_url"  # pseudo-method: the byte upload between the two files.* calls
RESPONSE_URL_USES = 5  # Slack lets a response_url be used five times
# How often the serving loop looks for a stop request: stop() waits up to this long, once
# per test that starts a stand-in, and an idle loop wakes this often (cheap, local only).
STOP_POLL_SECONDS = 0.05


class SlackStandIn(FaultInjection):
    """Slack's Web API, response URLs and upload URLs on 127.0.0.1, with a call log."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        strict_channels: bool = False,
        team_id: str = "T_CLERK",
        bot_user_id: str = "U_CLERK",
        bot_id: str = "B_CLERK",
        real_slack: RealSlack | None = None,
    ) -> None:
        self.host = host
        self.limits = Limits(real_slack) if real_slack is not None else None
        self.port = port
        self.workspace = Workspace(
            team_id=team_id,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            strict_channels=strict_channels,
            root=self._root,
        )
        self._changed = threading.Condition()
        self._calls: list[RecordedCall] = []
        self._responses: list[ResponsePost] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._delays: dict[str, deque[float]] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Socket Mode's websocket, started by the first apps.connections.open (xapp- token)
        self.socket_mode = SocketMode(host=host)
        self.workspace.methods[CONNECTIONS_OPEN] = self.socket_mode.open_connection

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        """Bind (port 0 picks a free port, so parallel tests never collide) and serve."""
        if self._server is not None:
            return self
        handler = type("StandInHandler", (Handler,), {"standin": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": STOP_POLL_SECONDS},
            name="slack-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.socket_mode.stop()
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _root(self) -> str:
        if self._server is None:
            raise RuntimeError("start() the stand-in first: its port is chosen when it binds")
        return f"http://{self.host}:{self.port}/"

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` with no trailing slash."""
        return self._root().rstrip("/")

    @property
    def url(self) -> str:
        """The Web API base URL, for ``WebClient(base_url=...)`` and ``SLACK_API_URL``."""
        return self._root() + "api/"

    def response_url(self, name: str) -> str:
        """A response_url whose posts land in ``responses()``; ``name`` tells them apart."""
        return f"{self._root()}response/{quote(name, safe='')}"

    def like_real_slack(self, config: RealSlack | None = RealSlack()) -> None:
        """Turn "real Slack" mode on (``limits.RealSlack``), or off with None."""
        self.limits = Limits(config) if config is not None else None

    # -- the workspace -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        tz: str = "America/New_York",
        real_name: str | None = None,
        *,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> None:
        """Someone ``users.info`` knows (Clerk reads names and time zones from here)."""
        self.workspace.add_member(Member(user_id, name, real_name or name, tz, is_bot, deleted))

    def add_channel(self, channel_id: str, name: str) -> None:
        """A channel the app is in (the only ones it may post to with ``strict_channels``)."""
        self.workspace.add_channel(channel_id, name)

    def add_file(self, file_id: str, name: str, content: bytes) -> str:
        """A file a person shared (say a CSV by DM); returns its ``url_private``.

        ``files.info`` describes it and a GET with the bot token downloads it, as Slack does.
        """
        self.workspace.add_shared_file(file_id, name, content)
        return self._file_url(file_id, name)

    def _file_url(self, file_id: str, name: str) -> str:
        return f"{self._root()}files/{file_id}/{quote(name, safe='')}"

    @property
    def users(self) -> dict[str, str]:
        """User ids to names (the bot included), for ``render``'s ``users``."""
        with self.workspace._lock:
            return {m.id: m.name for m in self.workspace.members.values()}

    @property
    def files(self) -> dict[str, tuple[str, bytes]]:
        """File id to (name, bytes) for every file with content, uploaded or shared."""
        return {f.id: (f.filename, f.content) for f in self.uploads() if f.content is not None}

    @property
    def names(self) -> Mapping[str, str]:
        """User and channel ids to names, for ``render``."""
        return self.workspace.names

    def uploads(self) -> list[UploadedFile]:
        """Every file Clerk uploaded (v2 or legacy), with its bytes."""
        with self.workspace._lock:
            return list(self.workspace.files.values())

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        """What a channel shows now (posts, after updates and deletes), oldest first."""
        with self.workspace._lock:
            found = [m for (c, _ts), m in self.workspace.messages.items() if c == channel]
        return sorted(found, key=lambda m: float(m["ts"]))

    # -- recordings ----------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def responses(self, name: str | None = None) -> list[dict[str, Any]]:
        """The accepted response_url posts, as the JSON bolt's ``respond()`` sent."""
        return [p.payload for p in self.response_posts(name) if p.status == 200]

    def response_posts(self, name: str | None = None) -> list[ResponsePost]:
        """Every response_url post, refused ones included (status 400/404)."""
        with self._changed:
            return [p for p in self._responses if name is None or p.name == name]

    def clear(self) -> None:
        """Forget recorded calls and responses (the workspace and pending faults stay)."""
        with self._changed:
            self._calls.clear()
            self._responses.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5) -> list[RecordedCall]:
        """Block until ``count`` calls to ``method`` arrived (work done after ``ack()``)."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: sum(c.method == method for c in self._calls) >= count, timeout
            ):
                seen = sorted({c.method for c in self._calls})
                raise AssertionError(f"{count} x {method} not seen in {timeout}s; seen: {seen}")
            return [c for c in self._calls if c.method == method]

    def wait_for_responses(self, count: int = 1, timeout: float = 5) -> list[dict[str, Any]]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._responses) >= count, timeout):
                raise AssertionError(f"{count} response_url posts not seen in {timeout}s")
        return self.responses()

    def _record(self, call: RecordedCall | ResponsePost) -> None:
        with self._changed:
            if isinstance(call, RecordedCall):
                self._calls.append(call)
            else:
                self._responses.append(call)
            self._changed.notify_all()

    # -- HTTP ----------------------------------------------------------------------------------

    def _serve(self, request: Handler) -> None:
        split = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        kind, _, rest = split.path.lstrip("/").partition("/")
        if kind == "api":
            self._serve_api(request, unquote(rest), body, split.query)
        elif kind == "response":
            self._serve_response(request, unquote(rest), body)
        elif kind == "upload":
            self._serve_upload(request, unquote(rest), body)
        elif kind == "files":
            self._serve_download(request, unquote(rest.partition("/")[0]))
        else:
            request.reply(404, b"not found", "text/plain")

    def _authorized(self, request: Handler, params: dict[str, Any], method: str) -> bool:
        header = request.headers.get("Authorization", "")
        token = header[len("Bearer ") :] if header.startswith("Bearer ") else params.get("token")
        prefix = "xapp-" if method == CONNECTIONS_OPEN else "xoxb-"  # the app-level token
        return isinstance(token, str) and token.startswith(prefix)

    def _serve_api(self, request: Handler, method: str, body: bytes, query: str) -> None:
        at = time.time()
        status = 200
        headers: dict[str, str] = {}
        try:
            params = parse_body(request.headers.get("Content-Type", ""), body, query)
        except (ValueError, UnicodeDecodeError):
            params, response = {}, {"ok": False, "error": "invalid_form_data"}
        else:
            if self.limits is not None:
                self.limits.pause()
            if not self._authorized(request, params, method):
                response = {"ok": False, "error": "not_authed"}
            elif self.limits is not None and (wait := self.limits.refuse(method, params)):
                status, response = 429, {"ok": False, "error": "ratelimited"}
                headers = {"Retry_After": str(wait)}
            elif (fault := self._take_fault(method)) is not None:
                status, response, headers = self._fault_answer(fault)
            elif method not in self.workspace.methods:
                response = {"ok": False, "error": "unknown_method"}
            else:
                try:
                    response = self.workspace.methods[method](params)
                except ApiError as error:
                    response = error.body()
        params.pop("token", None)
        self._record(
            RecordedCall(method, printable(params), at, status, response, self.workspace.names)
        )
        self._pause(method)
        request.reply(
            status, json.dumps(response).encode(), "application/json; charset=utf-8", **headers
        )

    def _serve_response(self, request: Handler, name: str, body: bytes) -> None:
        at = time.time()
        try:
            payload = parse_body(request.headers.get("Content-Type", ""), body)
        except (ValueError, UnicodeDecodeError):
            payload = {}
        if isinstance(payload.get("payload"), str):  # legacy webhook form: payload=<json>
            payload = decode_json_fields(json.loads(payload["payload"]))
        status, answer = 200, "ok"
        fault = self._take_fault(RESPONSE_URL)
        with self._changed:  # count and record together: the five-use limit holds under load
            used = sum(p.name == name and p.status == 200 for p in self._responses)
            if fault is not None:
                status, answer = (
                    fault.status if fault.status != 200 else 400,
                    fault.error or "error",
                )
            elif used >= RESPONSE_URL_USES:
                status, answer = 404, "used_url"
            elif not (payload.get("text") or payload.get("blocks") or payload.get("attachments")):
                if not payload.get("delete_original"):
                    status, answer = 400, "no_text"
            elif payload.get("blocks") is not None and block_problems(payload["blocks"]):
                status, answer = 400, "invalid_blocks"
            self._record(ResponsePost(name, payload, at, status))
        self._pause(RESPONSE_URL)
        request.reply(status, answer.encode(), "text/plain; charset=utf-8")

    def _serve_upload(self, request: Handler, file_id: str, body: bytes) -> None:
        at = time.time()
        fault = self._take_fault(UPLOAD_URL)
        if fault is not None:
            status, answer = fault.status if fault.status != 200 else 400, fault.error or "error"
        elif self.workspace.receive_upload(file_id, body):
            status, answer = 200, f"OK - {len(body)}"
        else:
            status, answer = 404, "file_not_found"
        response = {"ok": status == 200, "text": answer}
        self._record(
            RecordedCall(
                UPLOAD_URL,
                {"file_id": file_id, "length": len(body)},
                at,
                status,
                response,
                self.workspace.names,
            )
        )
        self._pause(UPLOAD_URL)
        request.reply(status, answer.encode(), "text/plain; charset=utf-8")

    def _serve_download(self, request: Handler, file_id: str) -> None:
        """``url_private``: Slack wants the bot token here too (without it: no file)."""
        with self.workspace._lock:
            found = self.workspace.files.get(file_id)
        if not request.headers.get("Authorization", "").startswith("Bearer xoxb-"):
            request.reply(403, b"not_authed", "text/plain")
        elif found is None or found.content is None:
            request.reply(404, b"not found", "text/plain")
        else:
            request.reply(200, found.content, "application/octet-stream")
