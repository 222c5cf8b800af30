"""The stand-in's "real Slack" mode: latency on every call, one post a second per channel,
each method's tier per minute, and 429 with Retry-After over a limit, taking no effect."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.tools.standin.limits import PUBLISHED_TIERS, RealSlack
from bot.tools.standin.server import SlackStandIn


def test_real_slack_mode_is_off_by_default(client: WebClient, standin: SlackStandIn) -> None:
    for _ in range(3):
        client.chat_postMessage(channel="C_DEADLINES", text="quick")
    assert [c.status for c in standin.calls("chat.postMessage")] == [200, 200, 200]


def test_every_call_takes_its_latency(client: WebClient, standin: SlackStandIn) -> None:
    standin.like_real_slack(RealSlack(latency_s=0.2))
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.2
    assert RealSlack().latency_s == 0.1  # the default: about slack.com from a nearby server


def test_a_second_post_to_a_channel_within_the_second_is_refused(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.like_real_slack(RealSlack(latency_s=0))
    client.chat_postMessage(channel="C_DEADLINES", text="first")
    client.chat_postMessage(channel="U_LENA", text="another channel: fine")
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C_DEADLINES", text="too soon")
    assert refused.value.response.status_code == 429
    assert refused.value.response["error"] == "ratelimited"
    assert refused.value.response.headers["Retry-After"] == "1"
    assert [m["text"] for m in standin.messages_in("C_DEADLINES")] == ["first"]  # no effect
    with pytest.raises(SlackApiError):  # a user id posts into the DM: the same channel
        client.chat_postMessage(channel="DU_LENA", text="too soon as well")
    time.sleep(1.0)
    client.chat_postMessage(channel="C_DEADLINES", text="a second later")
    assert [c.status for c in standin.calls("chat.postMessage")] == [200, 200, 429, 429, 200]


def test_a_tier_runs_out_within_its_window(client: WebClient, standin: SlackStandIn) -> None:
    assert PUBLISHED_TIERS["conversations.open"] == 3  # 50 a minute
    standin.like_real_slack(RealSlack(latency_s=0, window_s=2.0))
    for _ in range(50):
        client.conversations_open(users="U_LENA")
    with pytest.raises(SlackApiError) as refused:
        client.conversations_open(users="U_MARK")
    assert refused.value.response.status_code == 429
    assert 1 <= int(refused.value.response.headers["Retry-After"]) <= 2
    assert client.users_info(user="U_LENA")["ok"]  # per method: users.info is not touched
    time.sleep(2.0)
    assert client.conversations_open(users="U_MARK")["ok"]


def test_it_can_be_turned_off_again(client: WebClient, standin: SlackStandIn) -> None:
    standin.like_real_slack(RealSlack(latency_s=0))
    client.chat_postMessage(channel="C_DEADLINES", text="first")
    standin.like_real_slack(None)
    client.chat_postMessage(channel="C_DEADLINES", text="second")
    assert len(standin.messages_in("C_DEADLINES")) == 2
