"""Slack's Socket Mode for the stand-in: ``apps.connections.open`` and the websocket behind it.

Firms without a public URL run ``clerk run`` with an app-level token: slack-sdk's own client
asks ``apps.connections.open`` for a one-time websocket URL, receives envelopes there and
answers each with an acknowledgement carrying its ``envelope_id``. This plays Slack's end over
a real websocket (the ``websockets`` library's threaded server), so the client's handshake,
ping/pong, acks and reconnection all run as they would against slack.com: a test pushes
envelopes, reads the acks, asks for a refresh (``disconnect``) or drops the socket outright.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from bot.tools.standin.errors import Params

__all__ = ["CONNECTIONS_OPEN", "Ack", "Envelope", "SocketMode"]

CONNECTIONS_OPEN = "apps.connections.open"
APP_ID = "A_CLERK"
HOST_NAME = "applink-standin"  # what Slack puts in debug_info.host
# Slack pings every connection; the client must answer. No timeout: a client starved of CPU
# on a loaded test machine must not be cut off by the stand-in (Slack's own limit is generous).
PING_INTERVAL_S = 5.0
CLOSE_TIMEOUT_S = 5.0
# Which envelopes Slack lets answer with a payload (a slash command's reply in its ack).
ACCEPTS_RESPONSE_PAYLOAD = {"slash_commands": True, "interactive": False, "events_api": False}

Drop = Literal["close", "reset", "eof"]


@dataclass(frozen=True)
class Envelope:
    """One envelope the stand-in sent: what Clerk was asked to handle, on which connection."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    connection: int
    at: float


@dataclass(frozen=True)
class Ack:
    """One acknowledgement Clerk sent back (``payload`` is None for a bare ack)."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int
    at: float


class SocketMode:
    """The websocket end of Socket Mode, started on first ``apps.connections.open``.

    Connections are numbered from 1 in the order their handshakes complete; envelopes go to
    the newest open one, as Slack picks one of an app's connections for each envelope.
    """

    def __init__(self, host: str = "127.0.0.1", app_id: str = APP_ID) -> None:
        self.host = host
        self.app_id = app_id
        self._changed = threading.Condition()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._tickets: set[str] = set()  # issued and not used yet: each URL is good once
        self._numbers = itertools.count(1)
        self._open: dict[int, ServerConnection] = {}
        self._refused = 0
        self.urls_issued = 0
        self.connections_made = 0
        self._sent: list[Envelope] = []
        self._acks: list[Ack] = []
        self._strays: list[str] = []  # text frames that were no ack (kept for failure messages)

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Bind a free port and serve in a daemon thread (idempotent)."""
        with self._changed:
            if self._server is not None:
                return
            self._server = serve(
                self._handle,
                self.host,
                0,
                process_request=self._check_ticket,
                compression=None,  # slack-sdk's builtin client never negotiates it
                ping_interval=PING_INTERVAL_S,
                ping_timeout=None,
                close_timeout=CLOSE_TIMEOUT_S,
            )
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="slack-standin-socket-mode", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Close every connection (as Slack going away) and the listening socket."""
        with self._changed:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("Socket Mode starts with the first apps.connections.open")
        return int(self._server.socket.getsockname()[1])

    # -- apps.connections.open -----------------------------------------------------------------

    def open_connection(self, params: Params) -> dict[str, Any]:
        """The Web API method: a fresh one-time URL, as Slack hands out (the token was checked
        by the server: only an ``xapp-`` token reaches here)."""
        self.start()
        ticket = uuid.uuid4().hex
        with self._changed:
            self._tickets.add(ticket)
            self.urls_issued += 1
            self._changed.notify_all()
        url = f"ws://{self.host}:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"
        return {"ok": True, "url": url}

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse a URL that was never issued or was used already (Slack's are single-use)."""
        ticket = parse_qs(urlsplit(request.path).query).get("ticket", [""])[0]
        with self._changed:
            if ticket in self._tickets:
                self._tickets.discard(ticket)
                return None
            self._refused += 1
            self._changed.notify_all()
        return connection.respond(401, "invalid ticket")

    # -- one connection ------------------------------------------------------------------------

    def _handle(self, connection: ServerConnection) -> None:
        number = next(self._numbers)
        with self._changed:
            count = len(self._open) + 1
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {
                "host": HOST_NAME,
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }
        try:
            connection.send(json.dumps(hello))
        except ConnectionClosed:
            return
        with self._changed:
            self._open[number] = connection
            self.connections_made += 1
            self._changed.notify_all()
        try:
            for message in connection:
                self._receive(number, message)
        except ConnectionClosed:
            pass  # dropped without a close frame (the client closes its old socket so)
        finally:
            with self._changed:
                self._open.pop(number, None)
                self._changed.notify_all()

    def _receive(self, number: int, message: str | bytes) -> None:
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        with self._changed:
            if isinstance(body, dict) and isinstance(body.get("envelope_id"), str):
                payload = body.get("payload")
                self._acks.append(
                    Ack(
                        body["envelope_id"],
                        payload if isinstance(payload, dict) else None,
                        number,
                        time.time(),
                    )
                )
            else:
                self._strays.append(text)
            self._changed.notify_all()

    # -- what a test does ----------------------------------------------------------------------

    @property
    def open_connections(self) -> list[int]:
        """The numbers of the connections open now, oldest first."""
        with self._changed:
            return sorted(self._open)

    def wait_for_connection(self, after: int = 0, timeout: float = 30) -> int:
        """Block until a connection numbered above ``after`` is open; return its number.

        ``after`` is the newest number a test saw before a refresh or a drop, so this waits
        for the client to have reconnected, not for the connection that is going away.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: any(n > after for n in self._open), timeout):
                raise AssertionError(
                    f"no Socket Mode connection after #{after} in {timeout}s "
                    f"(URLs issued: {self.urls_issued}, handshakes: {self.connections_made}, "
                    f"refused: {self._refused}, open: {sorted(self._open)})"
                )
            return max(self._open)

    def wait_until_closed(self, number: int, timeout: float = 30) -> None:
        """Block until connection ``number`` is gone (the client closed or lost it)."""
        with self._changed:
            if not self._changed.wait_for(lambda: number not in self._open, timeout):
                raise AssertionError(f"Socket Mode connection #{number} still open")

    def push(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        envelope_id: str | None = None,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
        timeout: float = 30,
    ) -> str:
        """Send one envelope (``slash_commands``, ``interactive``, ``events_api``) to the newest
        open connection, waiting up to ``timeout`` for one; return its ``envelope_id``."""
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": (
                ACCEPTS_RESPONSE_PAYLOAD.get(kind, False)
                if accepts_response_payload is None
                else accepts_response_payload
            ),
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt or 0
            envelope["retry_reason"] = retry_reason or ""
        number = self.wait_for_connection(timeout=timeout)
        with self._changed:
            connection = self._open.get(number)
        if connection is None:
            raise AssertionError(f"Socket Mode connection #{number} closed before the envelope")
        connection.send(json.dumps(envelope))
        with self._changed:
            self._sent.append(Envelope(envelope_id, kind, payload, number, time.time()))
        return envelope_id

    def acks(self, envelope_id: str | None = None) -> list[Ack]:
        with self._changed:
            return [a for a in self._acks if envelope_id is None or a.envelope_id == envelope_id]

    def sent(self) -> list[Envelope]:
        with self._changed:
            return list(self._sent)

    def wait_for_ack(self, envelope_id: str, timeout: float = 30) -> Ack:
        """Block until Clerk acknowledged ``envelope_id``; fail naming what did come back."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: any(a.envelope_id == envelope_id for a in self._acks), timeout
            ):
                raise AssertionError(
                    f"envelope {envelope_id} not acked in {timeout}s; "
                    f"acked: {[a.envelope_id for a in self._acks]}, other frames: {self._strays}"
                )
            return next(a for a in self._acks if a.envelope_id == envelope_id)

    def request_refresh(self, reason: str = "refresh_requested") -> list[int]:
        """Send Slack's ``disconnect`` message to every open connection; return their numbers.

        Slack sends it before retiring a connection: the client should open a new one and
        close the old one itself.
        """
        message = json.dumps(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": HOST_NAME}}
        )
        with self._changed:
            targets = dict(self._open)
        for connection in targets.values():
            with contextlib.suppress(ConnectionClosed):
                connection.send(message)
        return sorted(targets)

    def drop(self, how: Drop = "close") -> list[int]:
        """Cut every open connection without warning; return their numbers.

        ``close`` sends a close frame (1001, going away), ``reset`` aborts the TCP connection
        (RST, as a crashed or rebooted server does), ``eof`` shuts the socket down without a
        close frame (FIN only, as a proxy that gives up does). slack-sdk's builtin client
        reconnects within one monitor tick of a close frame, but after ``reset`` or ``eof``
        it may spin on empty reads until its stale check gives the socket up.
        """
        with self._changed:
            targets = dict(self._open)
        for connection in targets.values():
            if how == "close":
                # close() waits for the client's side of the handshake: not the caller's wait.
                threading.Thread(
                    target=connection.close, args=(1001, "going away"), daemon=True
                ).start()
            else:
                if how == "reset":
                    connection.socket.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                else:
                    connection.socket.shutdown(socket.SHUT_RDWR)
                connection.close_socket()
        return sorted(targets)
