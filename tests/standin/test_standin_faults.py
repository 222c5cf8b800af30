"""Injected failures reach slack-sdk exactly as Slack's would, retry handlers included."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.tools.standin.server import RESPONSE_URL, UPLOAD_URL, SlackStandIn


def test_a_429_with_retry_after_is_retried_by_the_rate_limit_handler(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=0)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    answer = client.chat_postMessage(channel="C_DEADLINES", text="made it")
    assert answer["ok"]
    calls = standin.calls("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].response == {"ok": False, "error": "ratelimited"}
    assert [m["text"] for m in standin.messages_in("C_DEADLINES")] == ["made it"]


def test_without_a_retry_handler_a_429_surfaces_with_its_retry_after(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.fail_next("users.info", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U_LENA")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert client.users_info(user="U_LENA")["ok"], "only the next call fails"


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_retried_by_the_server_error_handler(
    client: WebClient, standin: SlackStandIn, status: int
) -> None:
    standin.fail_next("conversations.open", status=status)
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=1))
    assert client.conversations_open(users="U_LENA")["channel"]["id"] == "DU_LENA"
    assert [c.status for c in standin.calls("conversations.open")] == [status, 200]


def test_times_makes_several_calls_fail_and_retries_run_out(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.fail_next("chat.postMessage", status=500, times=3)
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=1))
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C_DEADLINES", text="x")
    assert raised.value.response.status_code == 500
    assert raised.value.response["error"] == "internal_error"
    assert standin.messages_in("C_DEADLINES") == [], "a failed call takes no effect"
    # the third failure is used up by the next call's first attempt; its retry succeeds
    assert client.chat_postMessage(channel="C_DEADLINES", text="x")["ok"]
    assert [c.status for c in standin.calls("chat.postMessage")] == [500, 500, 500, 200]
    assert len(standin.messages_in("C_DEADLINES")) == 1


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
def test_an_error_code_surfaces_as_slack_api_error(
    client: WebClient, standin: SlackStandIn, error: str
) -> None:
    standin.fail_next("chat.postMessage", error=error)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C_DEADLINES", text="x")
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == error
    (call,) = standin.calls("chat.postMessage")
    assert not call.ok


def test_fail_next_needs_something_to_fail_with(standin: SlackStandIn) -> None:
    with pytest.raises(ValueError):
        standin.fail_next("chat.postMessage")


def test_a_delayed_answer_times_the_client_out_after_slack_acted(
    standin: SlackStandIn,
) -> None:
    client = WebClient(token="xoxb-test", base_url=standin.url, timeout=1, retry_handlers=[])
    standin.delay_next("chat.postMessage", 2)
    started = time.monotonic()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        client.chat_postMessage(channel="C_DEADLINES", text="slow")
    assert time.monotonic() - started < 1.9
    assert [m["text"] for m in standin.messages_in("C_DEADLINES")] == ["slow"]
    assert client.chat_postMessage(channel="C_DEADLINES", text="quick")["ok"]


def test_an_upload_can_fail_between_the_two_files_calls(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.fail_next(UPLOAD_URL, status=500)
    # slack-sdk lets urllib's error escape from the byte upload step
    with pytest.raises(urllib.error.HTTPError, match="500"):
        client.files_upload_v2(channel="DU_LENA", content="x", filename="a.txt")
    assert standin.calls("files.completeUploadExternal") == []


def test_a_response_url_can_fail(standin: SlackStandIn) -> None:
    standin.fail_next(RESPONSE_URL, status=404, error="expired_url")
    request = urllib.request.Request(
        standin.response_url("old"),
        data=json.dumps({"text": "too late"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=5)
    assert raised.value.code == 404
    assert raised.value.read() == b"expired_url"
    assert standin.responses() == []
    assert [p.status for p in standin.response_posts()] == [404]
