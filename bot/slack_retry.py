"""One retry policy for every call Clerk makes to Slack: the Web API and ``response_url``.

slack-sdk's own handlers: a dropped connection is tried once more, a 429 waits for its
``Retry-After``, and Slack's 500/503 blips are tried twice more. Beyond that the error is
Clerk's to report, never to retry forever.
"""

from __future__ import annotations

from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)


def slack_retry_handlers() -> list[RetryHandler]:
    return [
        ConnectionErrorRetryHandler(max_retry_count=1),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
