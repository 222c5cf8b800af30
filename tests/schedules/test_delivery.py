"""Outbox delivery against the Slack stand-in: sent once, retried when it may pass, reported
once when it won't, recovered when a process died holding it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from schedules import delivery
from schedules.delivery import backoff, deliver_due
from schedules.outbox import enqueue
from storage.models import OutboxMessage, OutboxStatus
from tests.harness import Harness
from tests.schedules.conftest import outbox


def _queue(firm: Harness, key: str = "digest:test", target: str = "C_DEADLINES") -> None:
    with firm.db.unit_of_work("system") as s:
        enqueue(s, key=key, target=target, kind="deadline_digest", payload={"text": "Deadlines"})


def _posted(firm: Harness, channel: str) -> list[dict[str, Any]]:
    return firm.standin.messages_in(channel)


def _make_due(firm: Harness) -> None:
    with firm.db.unit_of_work("test") as s:
        for row in s.scalars(select(OutboxMessage)):
            row.next_attempt_at = firm.clerk.now() - timedelta(seconds=1)


def test_a_message_is_sent_once_and_marked_with_its_ts(firm: Harness) -> None:
    _queue(firm)
    assert deliver_due(firm.clerk, owner="a") == 1
    assert deliver_due(firm.clerk, owner="a") == 0
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.SENT and row.slack_channel == "C_DEADLINES"
    (posted,) = _posted(firm, "C_DEADLINES")
    assert row.slack_ts == posted["ts"] and posted["text"] == "Deadlines"


def test_a_dm_is_posted_to_the_person_without_opening_the_conversation(firm: Harness) -> None:
    """chat.postMessage takes the user id: no conversations.open (Tier 3, 50 a minute)."""
    _queue(firm, target="U_LENA")
    deliver_due(firm.clerk, owner="a")
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.SENT
    assert firm.standin.calls("conversations.open") == []
    (post,) = firm.standin.calls("chat.postMessage")
    assert post.params["channel"] == "U_LENA"
    assert row.slack_channel == "DU_LENA"  # the DM channel Slack answered with, kept
    assert len(_posted(firm, row.slack_channel)) == 1


def test_a_429_holds_the_row_until_retry_after_without_counting_an_attempt(
    firm: Harness,
) -> None:
    _queue(firm)
    firm.standin.fail_next("chat.postMessage", status=429, retry_after=30)
    assert deliver_due(firm.clerk, owner="a") == 0  # held, not settled
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.PENDING and row.attempts == 0
    assert row.last_error == delivery.HELD_FOR_LIMITS
    assert row.next_attempt_at >= firm.clerk.now() + timedelta(seconds=29)
    assert len(firm.standin.calls("chat.postMessage")) == 1  # not slept out and retried
    assert deliver_due(firm.clerk, owner="a") == 0  # no round takes it before its time
    assert len(firm.standin.calls("chat.postMessage")) == 1
    firm.clerk.clock.offset += timedelta(seconds=30)
    assert deliver_due(firm.clerk, owner="a") == 1
    assert outbox(firm)[0].status is OutboxStatus.SENT
    assert len(_posted(firm, "C_DEADLINES")) == 1


def test_a_long_retry_after_is_respected(firm: Harness) -> None:
    _queue(firm)
    firm.standin.fail_next("chat.postMessage", status=429, retry_after=600)
    deliver_due(firm.clerk, owner="a")
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.PENDING
    assert row.next_attempt_at >= firm.clerk.now() + timedelta(minutes=9)


def test_server_errors_are_retried_with_backoff_then_sent_once(firm: Harness) -> None:
    _queue(firm)
    firm.standin.fail_next("chat.postMessage", status=500, times=3)  # beyond slack-sdk's retries
    deliver_due(firm.clerk, owner="a")
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.PENDING and row.attempts == 1
    assert row.last_error
    _make_due(firm)
    deliver_due(firm.clerk, owner="a")
    deliver_due(firm.clerk, owner="a")
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.SENT and row.slack_ts
    assert len(_posted(firm, "C_DEADLINES")) == 1


def test_network_errors_are_retried(firm: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    _queue(firm)

    def down(**_: Any) -> None:
        raise TimeoutError("timed out")

    monkeypatch.setattr(firm.clerk.client, "chat_postMessage", down)
    deliver_due(firm.clerk, owner="a")
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.PENDING
    assert row.last_error == "TimeoutError; may have been posted"
    monkeypatch.undo()
    _make_due(firm)
    deliver_due(firm.clerk, owner="a")
    assert outbox(firm)[0].status is OutboxStatus.SENT
    assert len(_posted(firm, "C_DEADLINES")) == 1


def _posted_but_answer_lost(firm: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack takes the message, then the answer times out on its way back to Clerk."""
    _queue(firm)
    post = firm.clerk.client.chat_postMessage

    def accepted_then_lost(**kwargs: Any) -> None:
        post(**kwargs)
        raise TimeoutError("timed out")

    monkeypatch.setattr(firm.clerk.client, "chat_postMessage", accepted_then_lost)
    deliver_due(firm.clerk, owner="a")
    monkeypatch.undo()
    _make_due(firm)


def test_a_timeout_after_slack_took_the_message_does_not_post_it_twice(
    firm: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reply was lost on the way back: the retry finds the message by its key."""
    _posted_but_answer_lost(firm, monkeypatch)
    deliver_due(firm.clerk, owner="a")
    (row,) = outbox(firm)
    (posted,) = _posted(firm, "C_DEADLINES")
    assert row.status is OutboxStatus.SENT and row.slack_ts == posted["ts"]


def test_when_history_cannot_be_read_a_cut_off_message_is_sent_again(
    firm: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Better twice than never: a reminder must not be lost to a missing scope."""
    _posted_but_answer_lost(firm, monkeypatch)
    firm.standin.fail_next("conversations.history", error="missing_scope")
    deliver_due(firm.clerk, owner="a")
    assert outbox(firm)[0].status is OutboxStatus.SENT
    assert len(_posted(firm, "C_DEADLINES")) == 2


def test_a_cut_off_dm_is_looked_for_where_earlier_dms_to_that_person_went(
    firm: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No conversations.open for the history look-up: the DM channel Slack answered an
    earlier DM with is kept with that DM's row."""
    _queue(firm, key="earlier", target="U_LENA")
    deliver_due(firm.clerk, owner="a")
    _queue(firm, key="briefing:U_LENA:2026-12-04", target="U_LENA")
    post = firm.clerk.client.chat_postMessage

    def accepted_then_lost(**kwargs: Any) -> None:
        post(**kwargs)
        raise TimeoutError("timed out")

    monkeypatch.setattr(firm.clerk.client, "chat_postMessage", accepted_then_lost)
    deliver_due(firm.clerk, owner="a")
    monkeypatch.undo()
    _make_due(firm)
    deliver_due(firm.clerk, owner="a")
    earlier, cut_off = outbox(firm)
    assert cut_off.status is OutboxStatus.SENT and cut_off.slack_channel == "DU_LENA"
    (looked,) = firm.standin.calls("conversations.history")
    assert looked.params["channel"] == "DU_LENA"
    assert firm.standin.calls("conversations.open") == []
    assert len(_posted(firm, "DU_LENA")) == 2  # the earlier DM, and this one once


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
def test_a_permanent_error_fails_the_row_and_tells_each_admin_once(
    firm: Harness, error: str
) -> None:
    _queue(firm)
    firm.standin.fail_next("chat.postMessage", error=error)
    for _ in range(3):
        deliver_due(firm.clerk, owner="a")
    rows = outbox(firm)
    assert rows[0].status is OutboxStatus.FAILED and rows[0].last_error == error
    assert len(firm.standin.calls("chat.postMessage")) == 2  # the refused post, the report
    reports = [r for r in rows if r.kind == "delivery_failure"]
    assert [(r.key, r.target, r.status) for r in reports] == [
        (f"failure:{rows[0].id}:U_ADMIN", "U_ADMIN", OutboxStatus.SENT)
    ]
    assert error in reports[0].payload["text"] and "<#C_DEADLINES>" in reports[0].payload["text"]
    # the failed row stays failed: a later sweep neither retries nor reports it again
    delivery._report_failure(firm.clerk, rows[0], error)
    assert len(outbox(firm)) == len(rows)


def test_a_report_that_cannot_be_delivered_is_not_reported_in_turn(firm: Harness) -> None:
    _queue(firm)
    firm.standin.fail_next("chat.postMessage", error="channel_not_found", times=2)
    for _ in range(3):
        deliver_due(firm.clerk, owner="a")
    rows = outbox(firm)
    assert [r.status for r in rows] == [OutboxStatus.FAILED, OutboxStatus.FAILED]
    assert len(rows) == 2


def test_a_row_that_keeps_failing_is_given_up_and_reported(firm: Harness) -> None:
    _queue(firm)
    with firm.db.unit_of_work("test") as s:
        s.scalars(select(OutboxMessage)).one().attempts = delivery.MAX_ATTEMPTS - 1
    firm.standin.fail_next("chat.postMessage", status=503, times=3)
    deliver_due(firm.clerk, owner="a")
    rows = outbox(firm)
    assert rows[0].status is OutboxStatus.FAILED
    assert [r.target for r in rows[1:]] == ["U_ADMIN"]


def test_a_row_left_sending_by_a_killed_process_is_recovered_and_sent_once(firm: Harness) -> None:
    _queue(firm)
    with firm.db.unit_of_work("test") as s:
        row = s.scalars(select(OutboxMessage)).one()
        row.status = OutboxStatus.SENDING
        row.claimed_by = "dead-host:1"
        row.claimed_at = firm.clerk.now() - timedelta(minutes=5)
    assert deliver_due(firm.clerk, owner="b") == 0  # it may still be sending: leave it
    with firm.db.unit_of_work("test") as s:
        s.scalars(select(OutboxMessage)).one().claimed_at = firm.clerk.now() - timedelta(minutes=11)
    assert deliver_due(firm.clerk, owner="b") == 1
    assert deliver_due(firm.clerk, owner="b") == 0
    (row,) = outbox(firm)
    assert row.status is OutboxStatus.SENT and row.claimed_by == "b"
    assert len(_posted(firm, "C_DEADLINES")) == 1


def test_only_one_claimer_wins_a_row(firm: Harness) -> None:
    _queue(firm)
    (row,) = outbox(firm)
    assert delivery._claim(firm.clerk, row.id, "a") is True
    assert delivery._claim(firm.clerk, row.id, "b") is False
    assert outbox(firm)[0].claimed_by == "a"


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == timedelta(hours=1)
