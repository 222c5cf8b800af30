"""Timing slash commands over the real HTTP path, one request at a time.

For each request: the *ack* is the time from sending the signed request to Clerk's HTTP
response (bolt answers as soon as the listener calls ``ack()``, the rest runs after); the
*reply* is the time from sending it to the stand-in receiving the ``response_url`` post,
which is what the person sees. Scenarios are interleaved round by round (in a shuffled
order each round), Clerk's and the bare bolt app's alike, so a noisy moment on the machine
lands on all of them rather than on one.

A reply may come in pages (a long ``/deadline list`` is up to five messages). The next
request is sent only once a request's pages have stopped arriving: otherwise the pages
still being posted would compete with the next command's ack and be counted against it.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import urlencode

from bot.tools.bench.processes import SIGNING_SECRET
from bot.tools.bench.scenarios import Request, Scenario
from bot.tools.standin.driver import APP_ID, TEAM_ID, SlackDriver
from bot.tools.standin.server import SlackStandIn

REPLY_TIMEOUT_S = 30.0
# A reply's pages are posted one after another within milliseconds; this long without a
# new one means the request's work is done.
SETTLE_S = 0.03
_numbers = count(1)
# Slack never reuses a trigger id, and Clerk runs a command once per trigger id: a run's
# ids carry this, so a second run against the same firm's database is not a replay.
_RUN = f"{time.time_ns():x}"


@dataclass
class Samples:
    ack_ms: list[float] = field(default_factory=list)
    reply_ms: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # outcome -> first reply text

    def note(self, outcome: str, text: str) -> None:
        self.outcomes[outcome] += 1
        self.examples.setdefault(outcome, text[:200])


def classify(payload: dict[str, Any]) -> str:
    """ok, refused (a :warning: reply) or question (a confirmation was asked)."""
    first = ""
    for block in payload.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict):
            first = str(text.get("text", ""))
            break
    if first.startswith(":warning:"):
        return "refused"
    if first.startswith(":question:"):
        return "question"
    return "ok"


class CommandTimer:
    def __init__(self, standin: SlackStandIn, urls: dict[str, str]) -> None:
        self.standin = standin
        self.drivers = {
            target: SlackDriver(url, SIGNING_SECRET, standin) for target, url in urls.items()
        }

    def _body(self, request: Request, name: str) -> bytes:
        n = next(_numbers)
        return urlencode(
            {
                "token": "deprecated",
                "team_id": TEAM_ID,
                "team_domain": "clerk-firm",
                "channel_id": "C_GENERAL",
                "channel_name": "general",
                "user_id": request.user,
                "user_name": request.user.lower(),
                "command": request.command,
                "text": request.text,
                "api_app_id": APP_ID,
                "is_enterprise_install": "false",
                "response_url": self.standin.response_url(name),
                "trigger_id": f"{n}.{_RUN}.bench",
            }
        ).encode()

    def _reply_at(self, name: str, timeout: float) -> tuple[float, dict[str, Any]] | None:
        deadline = time.monotonic() + timeout
        while True:
            posts = self.standin.response_posts(name)
            if posts:
                return posts[0].at, posts[0].payload
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                self.standin.wait_for_responses(len(self.standin.response_posts()) + 1, left)
            except AssertionError:
                return None

    def _settle(self, name: str) -> None:
        """Wait until no further page of this reply has arrived for ``SETTLE_S``."""
        seen = len(self.standin.response_posts(name))
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < SETTLE_S:
            time.sleep(0.005)
            now = len(self.standin.response_posts(name))
            if now != seen:
                seen, quiet_since = now, time.monotonic()

    def time_one(self, scenario: Scenario, request: Request, samples: Samples | None) -> str:
        """Send one request; record its timings in ``samples`` (None: warm-up). -> outcome."""
        name = f"bench-{next(_numbers)}"
        body = self._body(request, name)
        driver = self.drivers[scenario.target]
        sent_wall = time.time()
        sent = time.perf_counter()
        status, _ = driver.post(body, "application/x-www-form-urlencoded")
        ack_ms = (time.perf_counter() - sent) * 1000
        if status != 200:
            outcome, text = f"http {status}", ""
        elif not scenario.waits_for_reply:
            outcome, text = "ok", ""
        else:
            found = self._reply_at(name, REPLY_TIMEOUT_S)
            if found is None:
                outcome, text = "no reply", ""
            else:
                at, payload = found
                outcome, text = classify(payload), str(payload.get("text", ""))
                if samples is not None and outcome != "no reply":
                    samples.reply_ms.append((at - sent_wall) * 1000)
                self._settle(name)
        if samples is not None:
            samples.ack_ms.append(ack_ms)
            samples.note(outcome, text)
        return outcome


def run_rounds(
    timer: CommandTimer,
    scenarios: list[Scenario],
    *,
    warmup: int,
    rounds: int,
    seed: int = 11,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Samples]:
    """``warmup`` untimed rounds, then ``rounds`` timed ones; every scenario once per round."""
    rng = random.Random(seed)
    results = {s.key: Samples() for s in scenarios}
    total = warmup + rounds
    for n in range(total):
        order = list(scenarios)
        rng.shuffle(order)
        for scenario in order:
            target = results[scenario.key] if n >= warmup else None
            timer.time_one(scenario, scenario.request(n), target)
        timer.standin.clear()
        if progress is not None:
            progress(n + 1, total)
    return results
