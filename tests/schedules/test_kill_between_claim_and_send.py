"""A scheduler process SIGKILLed in the middle of a delivery, then a fresh one started.

The doomed process is a real child process running the real catch-up (jobs, enqueue, claim)
with one hook in its Slack client: it announces itself and blocks, either before the post
(claimed, not sent) or after Slack accepted it (sent, not marked). Its delivery workers
serve several channels at once (the digest and a briefing), so more than one row may be in
flight. The test kills it there and starts a fresh scheduler on the same database and
stand-in.

Killed before sending, every message goes out exactly once. Killed after Slack accepted it,
too: Slack's ``chat.postMessage`` has no idempotency key, so every message carries its
outbox key in its metadata, and a row left ``sending`` is put back after ``STUCK_AFTER`` and
looked for in its channel's history (a DM's channel known from an earlier DM, or the answer
of the post itself) before it is sent again.
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
from sqlalchemy import select

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
    leads = scheduler.leader.holds()
    scheduler.catch_up()
    # only reached if no post was ever tried: say why, for the test's failure message
    statuses = sorted(str(row.status) for row in _rows(clerk))
    print(f"catch-up ended without posting; leads={leads}; outbox={statuses}", file=sys.stderr)


def _rows(clerk: Clerk) -> list[OutboxMessage]:
    with clerk.db.reading() as session:
        return list(session.scalars(select(OutboxMessage)))


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
        _, stderr = process.communicate(timeout=30)
        pytest.fail(f"the child never reached {hook} (exit {process.returncode}): {stderr[-3000:]}")
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


def _claimed_by_the_dead(firm: Harness) -> list[OutboxMessage]:
    """The rows the dead process held: one per channel it was serving (its workers send
    several channels at once, so the digest and a briefing may both be in flight)."""
    rows = [r for r in outbox(firm) if r.status is OutboxStatus.SENDING]
    assert rows
    for row in rows:
        assert row.claimed_by == DOOMED and row.slack_ts is None and row.sent_at is None
    assert len({r.slack_channel or r.target for r in rows}) == len(rows)
    return rows


def _posts(firm: Harness, text: str) -> int:
    return sum(
        1 for c in firm.standin.calls("chat.postMessage") if c.ok and c.params["text"] == text
    )


def test_killed_after_claiming_before_posting_the_message_goes_out_once(
    firm: Harness, doomed: list[subprocess.Popen[str]]
) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7))  # in Friday's digest and a reminder step
    _kill_at_hook(firm, "before_post", doomed)
    stuck = {r.id for r in _claimed_by_the_dead(firm)}
    assert firm.standin.calls("chat.postMessage") == []  # it died before the first post
    others = [r for r in outbox(firm) if r.id not in stuck]
    assert all(r.status is OutboxStatus.PENDING for r in others)

    soon = _restarted(firm, FRIDAY_8AM + timedelta(minutes=2))
    _catch_up(soon)  # the slots ran; the rest goes out; the claimed rows may still be in flight
    statuses = {r.id: r.status for r in outbox(firm)}
    assert {statuses[i] for i in stuck} == {OutboxStatus.SENDING}
    assert all(status is OutboxStatus.SENT for i, status in statuses.items() if i not in stuck)

    later = _restarted(firm, FRIDAY_8AM + delivery.STUCK_AFTER + timedelta(minutes=1))
    _catch_up(later)
    _catch_up(later)  # and again: nothing more
    rows = outbox(firm)
    assert all(r.status is OutboxStatus.SENT for r in rows)
    assert len(rows) == len(others) + len(stuck)
    for row in rows:
        assert _posts(firm, chat_arguments(row.payload)["text"]) == 1, row.key


def test_killed_after_slack_accepted_before_marking_sent_the_message_goes_out_once(
    firm: Harness, doomed: list[subprocess.Popen[str]]
) -> None:
    """Slack has no idempotency key: the message's key rides in its metadata instead, and a
    row cut off mid-send is looked for in its channel's history before it is sent again."""
    add_deadline(firm, "Answer", date(2026, 12, 7))
    _kill_at_hook(firm, "after_post", doomed)
    cut_off = _claimed_by_the_dead(firm)
    accepted = [r for r in cut_off if _posts(firm, chat_arguments(r.payload)["text"]) == 1]
    assert accepted  # Slack shows at least one of them already

    later = _restarted(firm, FRIDAY_8AM + delivery.STUCK_AFTER + timedelta(minutes=1))
    _catch_up(later)
    _catch_up(later)
    rows = outbox(firm)
    assert all(r.status is OutboxStatus.SENT for r in rows)
    for row in rows:
        assert _posts(firm, chat_arguments(row.payload)["text"]) == 1, row.key
    for stuck in accepted:
        found = next(r for r in rows if r.id == stuck.id)
        channel = str(found.slack_channel)
        posted = [m for m in firm.standin.messages_in(channel) if m["ts"] == found.slack_ts]
        assert [m["metadata"]["event_payload"]["key"] for m in posted] == [stuck.key]
    looked = [c for c in firm.standin.calls() if c.method == "conversations.history"]
    assert len(looked) == len(cut_off)  # only the rows that were cut off are looked for
    # a DM's history is read in the person's DM channel: opened only for someone Clerk had
    # never written to (this firm's first morning), once
    opened = [c.params["users"] for c in firm.standin.calls("conversations.open")]
    assert sorted(opened) == sorted(r.target for r in cut_off if r.target.startswith("U"))
