"""``clerk run`` told to stop (SIGTERM) while Slack is rate-limiting its morning: it stops
within 10 seconds and leaves no row mid-send; a later process sends every row once."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.tools.standin.limits import RealSlack
from bot.tools.standin.server import SlackStandIn
from schedules.delivery import deliver_due
from schedules.outbox import enqueue
from storage.models import OutboxStatus
from tests.foundation.test_cli_run import CLERK, _env, _free_port
from tests.harness import Harness
from tests.schedules.conftest import outbox

PEOPLE = 300


def _until(what: str, ready: object, process: subprocess.Popen[str], patience: float = 60) -> None:
    give_up = time.monotonic() + patience
    while not ready():  # type: ignore[operator]
        if process.poll() is not None or time.monotonic() > give_up:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def test_sigterm_while_rate_limited_stops_within_ten_seconds_leaving_nothing_mid_send(
    firm: Harness, tmp_path: Path
) -> None:
    with firm.db.unit_of_work("system") as s:
        for n in range(PEOPLE):
            person = f"U9STOP{n:03d}"
            enqueue(s, key=f"briefing:{person}", target=person, kind="test", payload={"text": "hi"})
    with SlackStandIn(real_slack=RealSlack(latency_s=0.2)) as slack:
        # Slack refuses every post for half a minute: an SDK that slept it out would hold
        # each worker (and the shutdown) for as long
        slack.fail_next("chat.postMessage", status=429, retry_after=30, times=10_000)
        process = subprocess.Popen(
            [*CLERK, "run", "--port", str(_free_port()), "--host", "127.0.0.1"]
            + ["--at", "2026-12-05 10:00:00"],  # a Saturday: no job, only delivery
            env=_env(firm.clerk.settings.database_url, slack),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _until("the first refusals", lambda: len(slack.calls("chat.postMessage")) >= 8, process)
            asked = time.monotonic()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, process.stderr.read() if process.stderr else ""
            took = time.monotonic() - asked
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        refused = [c for c in slack.calls("chat.postMessage") if c.status == 429]
    assert took < 10, f"stopped {took:.1f} s after SIGTERM"
    statuses = Counter(row.status for row in outbox(firm))
    assert statuses[OutboxStatus.SENDING] == 0, statuses
    assert statuses[OutboxStatus.SENT] == 0 and len(refused) >= 8
    held = [row for row in outbox(firm) if row.attempts or row.last_error]
    assert held and all(row.attempts == 0 for row in held)  # a 429 is not a failure
    # the next process, Slack willing again, sends every row once
    latest = max(row.next_attempt_at for row in held)
    firm.clerk.clock.offset += latest - firm.clerk.now() + timedelta(seconds=1)
    while deliver_due(firm.clerk, owner="later"):
        pass
    rows = outbox(firm)
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    posts = Counter(c.params["channel"] for c in firm.standin.calls("chat.postMessage") if c.ok)
    assert len(posts) == PEOPLE and set(posts.values()) == {1}
