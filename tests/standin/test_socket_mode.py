"""Socket Mode, end to end: the stand-in's websocket, then a real ``clerk run`` on it.

Firms without a public URL run Clerk with an app-level token. The first tests hold the
stand-in to Slack's protocol with slack-sdk's own client (the one bolt's handler uses): the
token it wants, the hello, acks by envelope id, single-use URLs, refreshes and drops. The
last drives a ``clerk run`` child the way Slack would: a slash command answered, a button
press acted on, a DM event delivered twice and acted on once, a replayed command refused in
its ack, the connection refreshed, closed and reset under it and a command working after
each, and SIGTERM ending it within the ten seconds the specification allows.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from sqlalchemy import func, select
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from bot.tools.demo_firm import CHANNELS, PEOPLE, seed
from bot.tools.standin.server import SlackStandIn
from bot.tools.standin.socket_mode import SocketMode
from handlers.kernel.commands import REPLAYED
from storage.db import Database
from storage.models import Contact, Deadline
from tests.standin import socket_mode_clerk as live
from tests.standin.socket_mode_clerk import PATIENCE_S, SocketClerk

NY = ZoneInfo("America/New_York")
MONDAY = date(2026, 11, 30)
AT = "2026-11-30 09:00:00"
STOP_WITHIN_S = 10  # the specification's limit between SIGTERM and exit


# -- the stand-in's side, with slack-sdk's client in this process ------------------------------


@pytest.fixture
def app_client(standin: SlackStandIn) -> Iterator[SocketModeClient]:
    """slack-sdk's builtin client, acking every envelope with ``{"echo": <its type>}``.

    ``ping_interval=1``: its monitor notices a lost socket within a second or two (bolt's
    handler uses 10 s, which the ``clerk run`` test below lives with).
    """
    web = WebClient(base_url=standin.url, retry_handlers=[])
    client = SocketModeClient(app_token=live.APP_TOKEN, web_client=web, ping_interval=1)

    def echo(client: SocketModeClient, request: SocketModeRequest) -> None:
        answer = SocketModeResponse(request.envelope_id, payload={"echo": request.type})
        client.send_socket_mode_response(answer)

    client.socket_mode_request_listeners.append(echo)  # type: ignore[arg-type]
    yield client
    client.close()


def test_connections_open_wants_the_app_level_token(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as refused:
        WebClient(token="xoxb-test", base_url=standin.url).apps_connections_open(app_token="")
    assert refused.value.response["error"] == "not_authed"
    opened = WebClient(base_url=standin.url).apps_connections_open(app_token=live.APP_TOKEN)
    assert opened["url"].startswith(f"ws://127.0.0.1:{standin.socket_mode.port}/link/?ticket=")
    # and the app token is no bot token: the rest of the Web API refuses it
    with pytest.raises(SlackApiError):
        WebClient(token=live.APP_TOKEN, base_url=standin.url).auth_test()


def test_a_url_is_good_for_one_connection(standin: SlackStandIn) -> None:
    url = WebClient(base_url=standin.url).apps_connections_open(app_token=live.APP_TOKEN)["url"]
    with connect(url, compression=None) as first:
        hello = json.loads(first.recv(timeout=PATIENCE_S))
        assert (hello["type"], hello["num_connections"]) == ("hello", 1)
        assert hello["debug_info"]["host"] and hello["connection_info"]["app_id"]
        with pytest.raises(InvalidStatus) as again:
            connect(url, compression=None)
        assert again.value.response.status_code == 401


def test_envelopes_are_acked_by_id_with_their_payloads(
    standin: SlackStandIn, app_client: SocketModeClient
) -> None:
    sm = standin.socket_mode
    app_client.connect()
    first = sm.wait_for_connection(timeout=PATIENCE_S)
    sent = {
        kind: sm.push(kind, {"n": n}) for n, kind in enumerate(("slash_commands", "events_api"))
    }
    for kind, envelope_id in sent.items():
        ack = sm.wait_for_ack(envelope_id, timeout=PATIENCE_S)
        assert (ack.payload, ack.connection) == ({"echo": kind}, first)
    assert [e.type for e in sm.sent()] == ["slash_commands", "events_api"]
    assert [c.method for c in standin.calls()] == ["apps.connections.open"]


@pytest.mark.parametrize("how", ["refresh", "close", "reset", "eof"])
def test_the_client_reconnects_on_a_fresh_url(
    standin: SlackStandIn, app_client: SocketModeClient, how: str
) -> None:
    """A ``disconnect`` message, a close frame, a reset or a bare FIN: the client asks for a
    new URL, connects, and the next envelope is answered there.

    After a reset or a FIN slack-sdk's builtin client may read an endless run of empty
    ``recv()`` results until its monitor gives up on the socket (five failed pings, or four
    ping intervals without a pong): with ``ping_interval=1`` that is seconds, not the ~50 s
    of bolt's default.
    """
    sm = standin.socket_mode
    app_client.connect()
    first = sm.wait_for_connection(timeout=PATIENCE_S)
    gone = sm.request_refresh() if how == "refresh" else sm.drop(how)  # type: ignore[arg-type]
    assert gone == [first]
    second = sm.wait_for_connection(after=first, timeout=PATIENCE_S)
    sm.wait_until_closed(first, timeout=PATIENCE_S)  # after a refresh the client closes it
    ack = sm.wait_for_ack(sm.push("interactive", {"type": "block_actions"}), timeout=PATIENCE_S)
    assert (ack.payload, ack.connection) == ({"echo": "interactive"}, second)
    assert len(standin.calls("apps.connections.open")) == 2


def test_stop_closes_the_connections_and_a_push_finds_none() -> None:
    sm = SocketMode()
    sm.open_connection({})
    sm.stop()
    with pytest.raises(AssertionError, match="no Socket Mode connection"):
        sm.push("events_api", {}, timeout=0.1)


# -- a real clerk run ----------------------------------------------------------------------------


@pytest.fixture
def firm(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    seed(database, MONDAY, NY, now=datetime(2026, 11, 30, 9, 0, tzinfo=NY))
    yield database
    database.dispose()


@pytest.fixture
def firm_standin(standin: SlackStandIn) -> SlackStandIn:
    """The stand-in with the sample firm's people and channels."""
    for person in PEOPLE:
        standin.add_user(person.slack_id, person.handle, tz=person.tz, real_name=person.real_name)
    for channel_id, name in CHANNELS.items():
        standin.add_channel(channel_id, name)
    return standin


@pytest.fixture
def clerk(
    firm: Database, firm_standin: SlackStandIn, database_url: str, tmp_path: Path
) -> Iterator[SocketClerk]:
    running = live.launch(database_url, firm_standin, tmp_path, "--no-scheduler", "--at", AT)
    yield running
    running.stop()


def _connected(clerk: SocketClerk, sm: SocketMode, after: int = 0) -> int:
    """Wait (with the process's log on failure) for a connection numbered above ``after``."""
    clerk.until(
        f"a Socket Mode connection after #{after}",
        lambda: any(n > after for n in sm.open_connections),
    )
    return max(sm.open_connections)


def _ask(clerk: SocketClerk, standin: SlackStandIn, name: str, payload: dict[str, Any]) -> Any:
    """Push a slash command or a button press; wait for its bare ack and its reply."""
    kind = "slash_commands" if "command" in payload else "interactive"
    ack = standin.socket_mode.wait_for_ack(standin.socket_mode.push(kind, payload), PATIENCE_S)
    assert ack.payload is None, ack  # acked at once; the answer goes to the response_url
    clerk.until(f"the reply to {name}", lambda: bool(standin.responses(name)))
    (reply,) = standin.responses(name)
    return reply


def _contact(standin: SlackStandIn, clerk: SocketClerk, name: str) -> None:
    """A ``/contact`` that must be stored (the probe after each reconnection)."""
    text = f"ACME call {name} went through the numbers"
    reply = _ask(clerk, standin, name, live.command(standin, name, "U0LENA", "/contact", text))
    assert live.stored(reply), reply


def _triggers(db: Database) -> dict[int, int]:
    """Each rule-chain trigger deadline and how many deadlines follow from it."""
    with db.reading() as s:
        triggers = s.scalars(select(Deadline.id).where(Deadline.is_trigger.is_(True))).all()
        return {
            t: int(s.scalar(select(func.count()).where(Deadline.trigger_id == t)) or 0)
            for t in triggers
        }


@pytest.mark.slow
def test_clerk_run_in_socket_mode_end_to_end(
    clerk: SocketClerk, firm_standin: SlackStandIn, firm: Database
) -> None:
    standin, sm = firm_standin, firm_standin.socket_mode
    first = _connected(clerk, sm)
    assert standin.calls("auth.test"), "bolt checks the bot token before connecting"

    # A slash command: acked bare, its preview posted to the response_url.
    triggers_before = _triggers(firm)
    apply = live.command(
        standin, "apply", "U0PAUL", "/deadline", "apply ACME-1 frcp judgment Nov 20 2026"
    )
    preview = _ask(clerk, standin, "apply", apply)
    (confirm,) = live.buttons(preview, "deadline_apply_confirm")

    # The button press on it: the rule chain is stored.
    press = live.button(standin, "confirm", "U0PAUL", "deadline_apply_confirm", confirm)
    assert live.stored(_ask(clerk, standin, "confirm", press))
    added = {t: n for t, n in _triggers(firm).items() if t not in triggers_before}
    assert len(added) == 1 and next(iter(added.values())) > 0, added

    # The same command again (same trigger id): refused in the ack's own response payload.
    replay = sm.wait_for_ack(sm.push("slash_commands", apply), PATIENCE_S)
    assert replay.payload == {"response_type": "ephemeral", "text": REPLAYED}
    assert len(standin.responses("apply")) == 1

    # A DM delivered twice under one event id (Slack's retry): one contact, one answer.
    dm = live.direct_message("U0LENA", "log call with ACME: mediation over a websocket", "EvSM1")
    sm.wait_for_ack(sm.push("events_api", dm), PATIENCE_S)
    retry = sm.push("events_api", dm, retry_attempt=1, retry_reason="timeout")
    sm.wait_for_ack(retry, PATIENCE_S)  # acked after the dedupe decided, before any work

    def answers() -> list[Any]:
        return [c for c in standin.calls("chat.postMessage") if c.params["channel"] == "DU0LENA"]

    clerk.until("the answer to the DM", lambda: bool(answers()))
    assert "Logged a call with *ACME*" in answers()[0].params["text"]
    with firm.reading() as s:
        summaries = s.scalars(select(Contact.summary)).all()
    assert summaries.count("mediation over a websocket") == 1
    assert len(answers()) == 1

    # Slack retires the connection, then drops one: each time a command works after. (A reset
    # or a bare FIN is left to the tests above: slack-sdk's builtin client may spin on the
    # dead socket until its stale check, ~50 s at bolt's ping interval: see the test above.)
    newest = first
    for how in ("refresh", "close"):
        gone = sm.request_refresh() if how == "refresh" else sm.drop(how)  # type: ignore[arg-type]
        assert gone == [newest], (how, gone)
        newest = _connected(clerk, sm, after=newest)
        clerk.until(f"#{gone[0]} closed", lambda gone=gone: gone[0] not in sm.open_connections)
        _contact(standin, clerk, f"after-{how}")
    assert len(standin.calls("apps.connections.open")) >= 3  # a fresh URL each time

    # SIGTERM: out within the specification's ten seconds, cleanly.
    clerk.popen.send_signal(signal.SIGTERM)
    try:
        code = clerk.popen.wait(timeout=STOP_WITHIN_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"clerk run still running {STOP_WITHIN_S}s after SIGTERM\n{clerk.tail()}")
    assert code == 0, clerk.tail()
    sm.wait_until_closed(newest, timeout=PATIENCE_S)
