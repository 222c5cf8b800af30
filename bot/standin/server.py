"""A local stand-in for Slack's Web API, for tests and ``clerk demo``.

It answers the methods Clerk calls with the shapes Slack returns, records every call so a
test can assert on what Slack would have shown, accepts ``response_url`` posts, and can be
told to fail (429 with Retry-After, 5xx, Slack error codes, slow answers) to exercise
Clerk's retries. It never talks to the network beyond the loopback interface.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

TEAM_ID = "T_CLERK"
BOT_USER_ID = "U_CLERK"


@dataclass(frozen=True)
class RecordedCall:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class _Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0
    times: int = 1


@dataclass
class _Directory:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)


class SlackStandIn:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, strict_channels: bool = False):
        self._host = host
        self._port = port
        self.strict_channels = strict_channels
        self._lock = threading.Lock()
        self._calls: list[RecordedCall] = []
        self._responses: list[dict[str, Any]] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._directory = _Directory()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._uploads: dict[str, dict[str, Any]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file id -> (name, content) for downloads
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                standin._handle(self)

            def do_GET(self) -> None:  # noqa: N802
                standin._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="slack-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        return f"http://{self._host}:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """The Web API base URL to give ``WebClient(base_url=...)``."""
        return self.base + "/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    # -- directory -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        tz: str = "America/New_York",
        real_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> None:
        self._directory.users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": real_name or name,
            "deleted": deleted,
            "is_bot": is_bot,
            "tz": tz,
            "tz_label": tz,
            "profile": {"real_name": real_name or name, "display_name": name},
        }

    def add_channel(self, channel_id: str, name: str) -> None:
        self._directory.channels[channel_id] = name

    def add_file(self, file_id: str, name: str, content: bytes) -> str:
        """Make a file downloadable at ``url_private`` (as a DM upload would be)."""
        self.files[file_id] = (name, content)
        return f"{self.base}/files/{file_id}/{name}"

    @property
    def users(self) -> dict[str, str]:
        return {uid: u["name"] for uid, u in self._directory.users.items()}

    # -- recordings ------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def responses(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._responses)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
            self._responses.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to {method}, saw {len(self.calls(method))}")

    # -- faults ----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        with self._lock:
            self._faults.setdefault(method, []).append(
                _Fault(status=status, error=error, retry_after=retry_after, times=times)
            )

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        with self._lock:
            self._faults.setdefault(method, []).append(_Fault(delay=seconds, times=times))

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            queue = self._faults.get(method) or []
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    # -- HTTP ------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        if parsed.path.startswith("/files/"):
            self._serve_file(request, parsed.path)
            return
        if parsed.path.startswith("/upload/"):
            with self._lock:
                self._uploads.setdefault(parsed.path.rsplit("/", 1)[-1], {})["bytes"] = len(raw)
            self._send(request, 200, b"OK", "text/plain")
            return
        if parsed.path.startswith("/response/"):
            body = json.loads(raw or b"{}")
            with self._lock:
                self._responses.append(body)
            self._send_json(request, 200, {"ok": True})
            return
        if not parsed.path.startswith("/api/"):
            self._send(request, 404, b"not found", "text/plain")
            return
        method = parsed.path[len("/api/") :]
        params = self._params(request, raw, parsed.query)
        with self._lock:
            self._calls.append(RecordedCall(method=method, params=params, at=time.time()))
        fault = self._take_fault(method)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status != 200:
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                self._send_json(request, fault.status, {"ok": False, "error": "fault"}, headers)
                return
            if fault.error:
                self._send_json(request, 200, {"ok": False, "error": fault.error})
                return
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer xoxb-"):
            self._send_json(request, 200, {"ok": False, "error": "not_authed"})
            return
        self._send_json(request, 200, self._answer(method, params))

    @staticmethod
    def _params(request: BaseHTTPRequestHandler, raw: bytes, query: str) -> dict[str, Any]:
        content_type = request.headers.get("Content-Type", "")
        params: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
        if "application/json" in content_type:
            params.update(json.loads(raw or b"{}"))
        elif raw:
            for key, values in parse_qs(raw.decode("utf-8", "replace")).items():
                value: Any = values[0]
                if key in ("blocks", "attachments", "view", "files") and value[:1] in "[{":
                    value = json.loads(value)
                params[key] = value
        return params

    def _serve_file(self, request: BaseHTTPRequestHandler, path: str) -> None:
        file_id = path.split("/")[2]
        found = self.files.get(file_id)
        if found is None or not request.headers.get("Authorization", "").startswith("Bearer "):
            self._send(request, 404, b"not found", "text/plain")
            return
        self._send(request, 200, found[1], "application/octet-stream")

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(body)

    def _send_json(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        self._send(request, status, json.dumps(body).encode(), "application/json", headers)

    # -- Web API methods -------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def _channel_ok(self, channel: str) -> bool:
        if not self.strict_channels or channel.startswith("D"):
            return True
        return channel in self._directory.channels

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://clerk-firm.slack.com/",
                "team": "Clerk Firm",
                "user": "clerk",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "B_CLERK",
            }
        if method in ("chat.postMessage", "chat.update"):
            channel = str(p.get("channel", ""))
            if not self._channel_ok(channel):
                return {"ok": False, "error": "channel_not_found"}
            ts = str(p.get("ts") or self._next_ts())
            return {"ok": True, "channel": channel, "ts": ts, "message": {"text": p.get("text")}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.getPermalink":
            ts = str(p.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "channel": p.get("channel"),
                "permalink": f"https://clerk-firm.slack.com/archives/{p.get('channel')}/p{ts}",
            }
        if method == "conversations.open":
            users = str(p.get("users", "")).split(",")[0]
            return {"ok": True, "channel": {"id": f"D{users}"}}
        if method == "users.info":
            user = self._directory.users.get(str(p.get("user")))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": user}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            view = p.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            return {"ok": True, "view": {**(view or {}), "id": f"V{next(self._ids):06d}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):06d}"
            with self._lock:
                self._uploads[file_id] = {"filename": p.get("filename")}
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = p.get("files") or []
            if isinstance(files, str):
                files = json.loads(files)
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "files.upload":
            return {"ok": True, "file": {"id": f"F{next(self._ids):06d}"}}
        if method == "files.info":
            found = self.files.get(str(p.get("file")))
            if found is None:
                return {"ok": False, "error": "file_not_found"}
            return {
                "ok": True,
                "file": {
                    "id": p.get("file"),
                    "name": found[0],
                    "url_private": f"{self.base}/files/{p.get('file')}/{found[0]}",
                },
            }
        if method in ("reactions.add", "conversations.join"):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}
