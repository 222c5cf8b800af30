"""The real bolt app against the stand-in: auth.test at start-up, respond() and Web API calls."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.tools.standin.driver import sign
from bot.tools.standin.render import render_message
from bot.tools.standin.server import SlackStandIn

SECRET = "standin-test-secret"


def test_a_bolt_command_answers_through_the_stand_in(standin: SlackStandIn) -> None:
    app = App(
        client=WebClient(token="xoxb-test", base_url=standin.url),
        signing_secret=SECRET,
    )

    @app.command("/deadline")
    def deadline(ack, respond, client, command) -> None:  # type: ignore[no-untyped-def]
        ack()
        respond(text=f"Noted: {command['text']}", response_type="ephemeral")
        dm = client.conversations_open(users=command["user_id"])["channel"]["id"]
        client.chat_postMessage(channel=dm, text="Reminder set for <@U_LENA>")

    assert len(standin.calls("auth.test")) == 1, "bolt checks its token at start-up"
    body = urlencode(
        {
            "command": "/deadline",
            "text": "answer in 21 days",
            "user_id": "U_LENA",
            "team_id": "T_CLERK",
            "channel_id": "C_DEADLINES",
            "response_url": standin.response_url("cmd-1"),
            "trigger_id": "1.trigger",
        }
    )
    ts = str(int(time.time()))
    response = app.dispatch(
        BoltRequest(
            body=body,
            headers={
                "content-type": ["application/x-www-form-urlencoded"],
                "x-slack-request-timestamp": [ts],
                "x-slack-signature": [sign(SECRET, ts, body.encode())],
            },
        )
    )
    assert response.status == 200
    (post,) = standin.wait_for("chat.postMessage")
    (reply,) = standin.wait_for_responses()
    assert reply["text"] == "Noted: answer in 21 days"
    assert reply["response_type"] == "ephemeral"
    assert post.response["channel"] == "DU_LENA"
    assert render_message(post.params, standin.users) == "Reminder set for @lena"
    assert json.loads(json.dumps(post.params)) == post.params, "records stay JSON"
