"""A scheduler process SIGKILLed in the middle of a delivery, then a fresh one started.

The doomed process is a real child process running the real catch-up (jobs, enqueue, claim)
with one hook in its Slack client: it announces itself and blocks, either before the post
(claimed, not sent) or after Slack accepted it (sent, not marked). The test kills it there
and starts a fresh scheduler on the same database and stand-in.

Killed before sending, the message goes out exactly once. Killed after Slack accepted it,
the message goes out twice: Slack's ``chat.postMessage`` has no idempotency key and Clerk
does not look for the message in the channel's history, so a row left ``sending`` is put
back after ``STUCK_AFTER`` and posted again (``schedules/delivery.py`` chooses a repeated
message over a lost deadline reminder). The second test pins that behaviour down.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_clerk
from bot.clerk import Clerk
from bot.clock import Clock
from handlers.scheduled import chat_arguments
from schedules import delivery
from schedules.runner import Scheduler
from storage.models import OutboxMessage, OutboxStatus
from tests import harness as harness_module
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY_8AM, add_deadline, outbox

REPO = Path(__file__).resolve().parents[2]
DOOMED = "doomed-host:1"
HOOKS = ("before_post", "after_post")


def child(database_url: str, standin_url: str, hook: str) -> None:
    """The doomed process: the morning's catch-up, stopped for good at ``hook``."""
    settings = harness_module.test_settings(database_url, standin_url)
    clerk = build_clerk(settings, clock=Clock(FRIDAY_8AM))
    post = clerk.client.chat_postMessage

    def stop_here() -> None:
        print("at-hook", flush=True)
        threading.Event().wait()  # until SIGKILL

    def hooked(**kwargs: Any) -> Any:
        if hook == "before_post":
            stop_here()
        answer = post(**kwargs)
        stop_here()  # Slack has the message; the row still says "sending"
        return answer

    clerk.client.chat_postMessage = hooked  # type: ignore[method-assign]
    scheduler = Scheduler(clerk)
    scheduler.owner = DOOMED
    scheduler.catch_up()


@pytest.fixture
def doomed(firm: Harness) -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def _kill_at_hook(firm: Harness, hook: str, started: list[subprocess.Popen[str]]) -> None:
    code = (
        "import sys\n"
        "from tests.schedules.test_kill_between_claim_and_send import child\n"
        "child(*sys.argv[1:])\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, firm.clerk.settings.database_url, firm.standin.url, hook],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started.append(process)
    assert process.stdout is not None
    line = process.stdout.readline()  # blocks until the hook (or the child's death)
    if line.strip() != "at-hook":
        process.kill()
        pytest.fail(f"the child never reached {hook}: {process.communicate()[1][-3000:]}")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def _restarted(firm: Harness, at: datetime) -> Clerk:
    """A fresh process's Clerk on the same database and stand-in, its clock at ``at``."""
    return build_clerk(firm.clerk.settings, clock=Clock(at), db=firm.db)


def _catch_up(clerk: Clerk) -> None:
    scheduler = Scheduler(clerk)
    try:
        scheduler.catch_up()
    finally:
        scheduler.leader.release()


def _claimed_by_the_dead(firm: Harness) -> OutboxMessage:
    (row,) = [r for r in outbox(firm) if r.status is OutboxStatus.SENDING]
    assert row.claimed_by == DOOMED and row.slack_ts is None and row.sent_at is None
    return row


def _posts(firm: Harness, text: str) -> int:
    return sum(
        1 for c in firm.standin.calls("chat.postMessage") if c.ok and c.params["text"] == text
    )


def test_killed_after_claiming_before_posting_the_message_goes_out_once(
    firm: Harness, doomed: list[subprocess.Popen[str]]
) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7))  # in Friday's digest and a reminder step
    _kill_at_hook(firm, "before_post", doomed)
    stuck = _claimed_by_the_dead(firm)
    assert firm.standin.calls("chat.postMessage") == []  # it died before the first post
    others = [r for r in outbox(firm) if r.id != stuck.id]
    assert others and all(r.status is OutboxStatus.PENDING for r in others)

    soon = _restarted(firm, FRIDAY_8AM + timedelta(minutes=2))
    _catch_up(soon)  # the slots ran; the rest goes out; the claimed row may still be in flight
    assert {r.id: r.status for r in outbox(firm)}[stuck.id] is OutboxStatus.SENDING
    assert all(r.status is OutboxStatus.SENT for r in outbox(firm) if r.id != stuck.id)

    later = _restarted(firm, FRIDAY_8AM + delivery.STUCK_AFTER + timedelta(minutes=1))
    _catch_up(later)
    _catch_up(later)  # and again: nothing more
    rows = outbox(firm)
    assert all(r.status is OutboxStatus.SENT for r in rows) and len(rows) == len(others) + 1
    for row in rows:
        assert _posts(firm, chat_arguments(row.payload)["text"]) == 1, row.key


def test_killed_after_slack_accepted_before_marking_sent_the_message_goes_out_once(
    firm: Harness, doomed: list[subprocess.Popen[str]]
) -> None:
    """Slack has no idempotency key: the message's key rides in its metadata instead, and a
    row cut off mid-send is looked for in its channel's history before it is sent again."""
    add_deadline(firm, "Answer", date(2026, 12, 7))
    _kill_at_hook(firm, "after_post", doomed)
    stuck = _claimed_by_the_dead(firm)
    assert _posts(firm, chat_arguments(stuck.payload)["text"]) == 1  # Slack shows it already

    later = _restarted(firm, FRIDAY_8AM + delivery.STUCK_AFTER + timedelta(minutes=1))
    _catch_up(later)
    _catch_up(later)
    rows = outbox(firm)
    assert all(r.status is OutboxStatus.SENT for r in rows)
    for row in rows:
        assert _posts(firm, chat_arguments(row.payload)["text"]) == 1, row.key
    found = next(r for r in rows if r.id == stuck.id)
    posted = [m for m in firm.standin.messages_in(found.slack_channel) if m["ts"] == found.slack_ts]
    assert [m["metadata"]["event_payload"]["key"] for m in posted] == [stuck.key]
    looked = [c for c in firm.standin.calls() if c.method == "conversations.history"]
    assert len(looked) == 1  # only the row that was cut off is looked for
