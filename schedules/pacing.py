"""Slack's published rate limits, kept on Clerk's side of the wire.

Slack lets an app post about one message per second into one channel (short bursts pass,
longer ones are refused) and limits every other Web API method by its tier, per method and
workspace: Tier 1 at 1 call a minute, Tier 2 at 20, Tier 3 at 50, Tier 4 at 100. Over a
limit Slack answers HTTP 429 with ``Retry-After`` (seconds). A morning of several hundred
DMs has to stay inside those limits, or it is refused in bulk and arrives late.

:class:`Pacer` is one process's memory of what it asked Slack lately: when each channel
last received a post, the calls each tiered method made in the last minute, and any
``Retry-After`` Slack gave, for that channel (posts) or that method (everything else). A
delivery asks :meth:`Pacer.reserve` before each call: a wait of a second or so is waited
out where it is; a longer one (a ``Retry-After``, a full minute's tier) is not, so the row
goes back to the outbox until then and no worker sits idle while other channels could be
served. Real time, not Clerk's clock: Slack's limits run on Slack's clock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from datetime import timedelta

from slack_sdk.errors import SlackApiError

POST = "chat.postMessage"
# one post a second per channel, with a margin: Slack counts when a post arrives, Clerk when
# it sends it, and the two are a round trip's jitter apart
POST_SPACING_S = 1.1
WINDOW_S = 60.0  # tiers are counted per minute
TIER_CALLS = {1: 1, 2: 20, 3: 50, 4: 100}
# The tier of each method delivery calls besides chat.postMessage (Slack's method pages).
METHOD_TIERS = {
    "conversations.open": 3,
    "conversations.history": 3,
    "chat.update": 3,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
    "files.upload": 2,
    "users.info": 4,
}
# Waits up to this long happen in place (a channel's next second); longer ones send the row
# back to the outbox until then.
WAIT_IN_PLACE_S = 1.5


class Pacer:
    """What one process asked Slack lately, so it never asks faster than Slack allows.

    Thread-safe: delivery's workers share one pacer, and so do successive delivery rounds
    (the scheduler keeps one for the process), so a channel served by one round is not
    posted to again within the second by the next.
    """

    def __init__(
        self,
        *,
        spacing_s: float = POST_SPACING_S,
        window_s: float = WINDOW_S,
        tiers: Mapping[str, int] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spacing_s = spacing_s
        self.window_s = window_s
        self.limits = {method: TIER_CALLS[tier] for method, tier in (tiers or METHOD_TIERS).items()}
        self.clock = clock
        self._lock = threading.Lock()
        self._next_post: dict[str, float] = {}  # channel -> earliest next post
        self._calls: dict[str, deque[float]] = {}  # method -> its calls in the last window
        self._paused: dict[tuple[str, str], float] = {}  # (method, channel or "") -> until

    def _scope(self, method: str, channel: str) -> tuple[str, str]:
        """What a limit applies to: a post is limited per channel, other methods per method."""
        return (method, channel) if method == POST else (method, "")

    def reserve(self, method: str, channel: str = "") -> float:
        """0 and the call is booked if it may go now; else the seconds to wait (not booked)."""
        now = self.clock()
        scope = self._scope(method, channel)
        with self._lock:
            paused = self._paused.get(scope, 0.0)
            if paused > now:
                return paused - now
            if method == POST:
                ready = self._next_post.get(channel, 0.0)
                if ready > now:
                    return ready - now
                self._next_post[channel] = now + self.spacing_s
                if len(self._next_post) > 10_000:  # forget channels long since served
                    self._next_post = {c: t for c, t in self._next_post.items() if t > now}
                return 0.0
            limit = self.limits.get(method)
            if limit is None:
                return 0.0
            calls = self._calls.setdefault(method, deque())
            while calls and calls[0] <= now - self.window_s:
                calls.popleft()
            if len(calls) >= limit:
                return calls[0] + self.window_s - now
            calls.append(now)
            return 0.0

    def pause(self, method: str, channel: str, seconds: float) -> None:
        """Slack said 429 with ``Retry-After: seconds``: nothing more there until then."""
        until = self.clock() + max(seconds, self.spacing_s if method == POST else 1.0)
        scope = self._scope(method, channel)
        with self._lock:
            self._paused[scope] = max(self._paused.get(scope, 0.0), until)


def retry_after(exc: SlackApiError) -> timedelta:
    """Slack's ``Retry-After`` on a 429 (zero when it sent none)."""
    headers = getattr(exc.response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            if str(raw).strip().isdigit():
                return timedelta(seconds=int(str(raw).strip()))
    return timedelta(0)


def is_rate_limited(exc: SlackApiError) -> bool:
    return getattr(exc.response, "status_code", None) == 429 or (
        exc.response.get("error") == "ratelimited"
    )
