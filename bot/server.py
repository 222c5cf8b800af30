"""HTTP mode: ``POST /slack/events`` for everything Slack sends, ``GET /healthz`` for probes,
``GET /calendar/{token}.ics`` for the calendar feeds (``bot.calendar_http``).

In Socket Mode Slack's requests arrive over the websocket, and the same server, built without
a bolt app, serves only the feeds and the health probe.

Waitress serves the WSGI app with a pool of threads; bolt acknowledges within Slack's three
seconds and runs the slow part of each listener on its own executor after the ack.

Before bolt sees a request, its size is capped and its signature checked here, on the raw
bytes: bolt parses the body (form fields, then JSON) before its own verification runs, so a
body of 60,000 nested brackets sent by anyone reached Python's recursion limit unsigned.
Slack's own payloads are a few kilobytes; a larger body is refused with 413, an unsigned
one with 401, each with one log line. Bolt's own handler is used with one correction
(``bot.slack_request``): a command whose text says "payload" is still read as a command.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from slack_bolt import App
from sqlalchemy import text

from bot.slack_request import FormSafeRequestHandler
from storage.db import Database

log = logging.getLogger("clerk.server")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

CALENDAR_PREFIX = "/calendar/"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# Slack's largest payloads (a modal's whole view and state) are tens of kilobytes.
MAX_BODY_BYTES = 1024 * 1024
# What waitress itself buffers at most (it allows 1 GiB by default): above Clerk's own cap, so
# a body a little too large is refused here with a log line, and a huge one never buffered.
SERVER_BODY_LIMIT = 4 * MAX_BODY_BYTES
# Slack's own replay window: a signed request older (or newer) than this is refused.
MAX_CLOCK_SKEW_S = 5 * 60


def signed_by_slack(secret: str, environ: Mapping[str, Any], body: bytes, now: float) -> bool:
    """Whether ``body`` carries a valid ``v0`` signature made within the replay window.

    Computed over the raw bytes, so nothing of the body is decoded or parsed before it is
    known to come from Slack (malformed headers are simply not a valid signature).
    """
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "").strip()
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "").strip()
    if not timestamp.isdigit() or not signature:
        return False
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW_S:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def _answer(start_response: StartResponse, status: str, error: str) -> Iterable[bytes]:
    body = json.dumps({"error": error}).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


class ClerkWSGI:
    def __init__(
        self,
        app: App | None,
        db: Database,
        signing_secret: str | None = None,
        calendars: WSGIApp | None = None,
    ) -> None:
        self._slack = FormSafeRequestHandler(app, path=EVENTS_PATH) if app is not None else None
        self._calendars = calendars
        self._db = db
        # The secret bolt itself verifies with, unless the caller names it.
        self._secret = (
            signing_secret if signing_secret is not None else getattr(app, "_signing_secret", "")
        ) or ""

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            return self._health(start_response)
        if path.startswith(CALENDAR_PREFIX) and self._calendars is not None:
            return self._calendars(environ, start_response)
        if self._slack is None:
            return _answer(start_response, "404 Not Found", "not found")
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            refused = self._screen(environ, start_response)
            if refused is not None:
                return refused
        try:
            return self._slack(environ, start_response)
        except (ValueError, AttributeError, TypeError, KeyError, RecursionError) as exc:
            # A signed body that is neither form nor JSON, or JSON of the wrong shape, is a
            # bad request, not a 500.
            log.warning("refused a malformed request to %s (%s)", path, type(exc).__name__)
            return _answer(start_response, "400 Bad Request", "malformed request")

    def _screen(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes] | None:
        """Read the body once, refuse it if too large or unsigned, else hand bolt a copy."""
        declared = str(environ.get("CONTENT_LENGTH") or "0").strip()
        length = int(declared) if declared.isdigit() else 0
        if length > MAX_BODY_BYTES:
            log.warning("refused a %s-byte request body (the most is %s)", length, MAX_BODY_BYTES)
            return _answer(start_response, "413 Payload Too Large", "request body too large")
        stream = environ.get("wsgi.input")
        body = stream.read(length) if stream is not None and length else b""
        if self._secret and not signed_by_slack(self._secret, environ, body, time.time()):
            log.warning("refused a request without a valid Slack signature")
            return _answer(start_response, "401 Unauthorized", "invalid signature")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return None

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        try:
            with self._db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            status, body = "200 OK", {"ok": True}
        except Exception as exc:  # noqa: BLE001 - a probe reports, it does not crash
            log.warning("health check failed: %s", type(exc).__name__)
            status, body = "503 Service Unavailable", {"ok": False, "error": "database"}
        payload = json.dumps(body).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]


def make_server(
    app: App | None,
    db: Database,
    *,
    host: str,
    port: int,
    threads: int = 8,
    signing_secret: str | None = None,
    calendars: WSGIApp | None = None,
) -> Any:
    """A waitress server (not yet running); ``.run()`` serves, ``.close()`` stops.

    ``signing_secret``: what requests are checked against before bolt parses them (the app's
    own secret when not given). Waitress is told a body cap too, so it does not buffer a
    gigabyte before Clerk can refuse it. ``app`` None (Socket Mode): only the calendar feeds
    (``calendars``, ``bot.calendar_http.CalendarFeeds``) and the health probe are served.
    """
    from waitress.server import create_server

    return create_server(
        ClerkWSGI(app, db, signing_secret, calendars),
        host=host,
        port=port,
        threads=threads,
        ident="clerk",
        max_request_body_size=SERVER_BODY_LIMIT,
    )


def serve_in_background(server: Any) -> threading.Thread:
    """Run a waitress server on a daemon thread (tests, the demo, the benchmark)."""
    thread = threading.Thread(target=server.run, name="clerk-http", daemon=True)
    thread.start()
    return thread


def stop_server(server: Any, thread: threading.Thread | None = None) -> None:
    """Stop accepting, let requests in progress finish, then return.

    The sockets are closed by thunks run on the server's own loop (through its trigger,
    which wakes it): closed from this thread, the loop would first sleep out its one-second
    poll, and a test suite that starts and stops a server per test spent most of its time
    waiting for that.
    """
    from waitress import wasyncore

    if thread is not None and thread.is_alive():
        _on_loop(server, lambda: wasyncore.dispatcher.close(server))  # stop accepting
        server.task_dispatcher.shutdown(timeout=5)  # requests in progress are answered
        _on_loop(server, server.close)  # the loop's last wake-up: nothing left to serve
        thread.join(timeout=5)
    server.close()  # closes what is still open (each close is a no-op the second time)
    server.task_dispatcher.shutdown(timeout=5)


def _on_loop(server: Any, thunk: Callable[[], object]) -> None:
    """Run ``thunk`` on the server's loop thread, waking it. A trigger already closed means
    the loop has closed everything itself and is ending."""
    with contextlib.suppress(OSError):
        server.trigger.pull_trigger(thunk)


def base_url(server: Any) -> str:
    return f"http://127.0.0.1:{server.effective_port}"
