"""One retry policy for every call Clerk makes to Slack: the Web API and ``response_url``.

slack-sdk's own handlers: a dropped connection is tried once more, a 429 waits for its
``Retry-After``, and Slack's 500/503 blips are tried twice more. Beyond that the error is
Clerk's to report, never to retry forever.

The outbox's delivery is the exception for 429s (:func:`rate_limits_returned`): it must not
sleep a ``Retry-After`` out inside the call, since that holds a delivery worker (and
``clerk run``'s shutdown) for as long as Slack asks, while other channels could be served.
It gets the 429 back at once and puts the message back in the outbox until then.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

_here = threading.local()


class _RateLimitRetry(RateLimitErrorRetryHandler):
    """Waits out a 429's ``Retry-After``, except inside :func:`rate_limits_returned`."""

    def _can_retry(self, **kwargs: Any) -> bool:
        if getattr(_here, "return_429s", False):
            return False
        return bool(super()._can_retry(**kwargs))


@contextmanager
def rate_limits_returned() -> Iterator[None]:
    """Calls made by this thread inside the block get a 429 back at once, unslept."""
    before = getattr(_here, "return_429s", False)
    _here.return_429s = True
    try:
        yield
    finally:
        _here.return_429s = before


def slack_retry_handlers() -> list[RetryHandler]:
    return [
        ConnectionErrorRetryHandler(max_retry_count=1),
        _RateLimitRetry(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
