"""HTTP mode: ``POST /slack/events`` for everything Slack sends, ``GET /healthz`` for probes.

Waitress serves the WSGI app with a pool of threads; bolt acknowledges within Slack's three
seconds and runs the slow part of each listener on its own executor after the ack.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from storage.db import Database

log = logging.getLogger("clerk.server")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

StartResponse = Callable[..., Any]


class ClerkWSGI:
    def __init__(self, app: App, db: Database) -> None:
        self._slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self._db = db

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            return self._health(start_response)
        try:
            return self._slack(environ, start_response)
        except (ValueError, AttributeError, TypeError, KeyError):
            # bolt parses the body (form or JSON) before it can route or verify it; a body
            # that is neither, or JSON of the wrong shape, is a bad request, not a 500.
            log.warning("refused a malformed request to %s", path, exc_info=True)
            body = b'{"error": "malformed request"}'
            start_response(
                "400 Bad Request",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]

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


def make_server(app: App, db: Database, *, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server (not yet running); ``.run()`` serves, ``.close()`` stops."""
    from waitress.server import create_server

    return create_server(ClerkWSGI(app, db), host=host, port=port, threads=threads, ident="clerk")


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
