"""The stand-in's opt-in "real Slack" mode: a round trip's latency and Slack's rate limits.

Off by default (tests want a fast, forgiving Slack). On (``SlackStandIn(real_slack=
RealSlack())``), every Web API call takes ``latency_s`` (100 ms, about what slack.com costs
from a server in the same region) and Slack's published limits are enforced: one
``chat.postMessage`` a second per channel, and each tiered method at its tier's calls per
minute (Tier 1: 1, Tier 2: 20, Tier 3: 50, Tier 4: 100), per method, for the whole
workspace. A call over a limit takes no effect and is answered as Slack answers it: HTTP
429, ``{"ok": false, "error": "ratelimited"}`` and ``Retry-After`` in whole seconds. So a
test or ``clerk bench`` can measure how Clerk's delivery fares against Slack itself.

``window_s`` (60) and ``post_spacing_s`` (1) can be shortened so a test sees a tier run out
in seconds rather than a minute.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

POST = "chat.postMessage"
TIER_CALLS = {1: 1, 2: 20, 3: 50, 4: 100}
# Slack's published tier of each method Clerk calls (chat.postMessage has its own limit).
PUBLISHED_TIERS: Mapping[str, int] = {
    "auth.test": 4,
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "chat.delete": 3,
    "chat.getPermalink": 4,
    "conversations.open": 3,
    "conversations.join": 3,
    "conversations.info": 3,
    "conversations.history": 3,
    "users.info": 4,
    "views.open": 4,
    "views.push": 4,
    "views.update": 4,
    "views.publish": 4,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
    "files.upload": 2,
    "files.info": 4,
    "reactions.add": 3,
}


@dataclass(frozen=True)
class RealSlack:
    """How the stand-in behaves in "real Slack" mode (see the module docstring)."""

    latency_s: float = 0.1
    tiers: Mapping[str, int] = field(default_factory=lambda: dict(PUBLISHED_TIERS))
    window_s: float = 60.0
    post_spacing_s: float = 1.0


class Limits:
    """Slack's limits as the stand-in keeps them: thread-safe, on the machine's clock."""

    def __init__(self, config: RealSlack) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._last_post: dict[str, float] = {}  # channel -> when its last post was taken
        self._calls: dict[str, deque[float]] = {}  # method -> calls taken in the window

    def refuse(self, method: str, params: Mapping[str, Any]) -> int | None:
        """The ``Retry-After`` (whole seconds) if the call is over a limit, else None (and
        the call counts against its limit)."""
        now = time.monotonic()
        with self._lock:
            if method == POST:
                channel = _channel(params.get("channel"))
                last = self._last_post.get(channel)
                if last is not None and now - last < self.config.post_spacing_s:
                    return _seconds(last + self.config.post_spacing_s - now)
                self._last_post[channel] = now
                return None
            tier = self.config.tiers.get(method)
            if tier is None:
                return None
            calls = self._calls.setdefault(method, deque())
            while calls and calls[0] <= now - self.config.window_s:
                calls.popleft()
            if len(calls) >= TIER_CALLS[tier]:
                return _seconds(calls[0] + self.config.window_s - now)
            calls.append(now)
            return None

    def pause(self) -> None:
        """One call's latency."""
        if self.config.latency_s > 0:
            time.sleep(self.config.latency_s)


def _channel(value: Any) -> str:
    """Where a post lands: a user id posts into the DM with that person."""
    channel = str(value or "")
    return "D" + channel if channel[:1] in ("U", "W") else channel


def _seconds(wait: float) -> int:
    return max(1, math.ceil(wait))
