"""Delivery within Slack's limits: channel posts first, each channel in order and at most a
post a second, several channels at once, and a 429 held without holding anything else."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from bot.tools.standin.limits import RealSlack
from schedules.delivery import Courier, deliver_due
from schedules.outbox import enqueue
from schedules.pacing import Pacer
from storage.models import OutboxStatus
from tests.harness import Harness
from tests.schedules.conftest import outbox

PEOPLE = [f"U_P{n:02d}" for n in range(12)]


def _queue(firm: Harness, key: str, target: str, text: str | None = None) -> None:
    with firm.db.unit_of_work("system") as s:
        enqueue(s, key=key, target=target, kind="test", payload={"text": text or key})


def _morning(firm: Harness) -> None:
    """A dozen DMs queued first, then a digest in three parts."""
    for person in PEOPLE:
        firm.standin.add_user(person, person.lower())
        _queue(firm, f"briefing:{person}", person)
    for part in (1, 2, 3):
        _queue(firm, f"digest:{part}", "C_DEADLINES", f"Deadlines ({part}/3)")


def _courier(firm: Harness, *, pool: int = 4, spacing_s: float = 0.2) -> Courier:
    return Courier(firm.clerk, pool=pool, pacer=Pacer(spacing_s=spacing_s))


def test_the_pacer_spaces_posts_per_channel_and_counts_tiers() -> None:
    now = [100.0]
    pacer = Pacer(clock=lambda: now[0], tiers={"conversations.open": 3})
    assert pacer.spacing_s == pytest.approx(1.1)  # a second, and a margin for the jitter
    assert pacer.reserve("chat.postMessage", "C1") == 0
    assert pacer.reserve("chat.postMessage", "C1") == pytest.approx(1.1)  # per channel
    assert pacer.reserve("chat.postMessage", "C2") == 0  # another channel is free
    now[0] += 1.1
    assert pacer.reserve("chat.postMessage", "C1") == 0
    for _ in range(50):
        assert pacer.reserve("conversations.open") == 0  # Tier 3: 50 a minute
    assert pacer.reserve("conversations.open") == pytest.approx(60.0)
    now[0] += 60.0
    assert pacer.reserve("conversations.open") == 0
    pacer.pause("chat.postMessage", "C2", 30)  # Slack said Retry-After: 30
    assert pacer.reserve("chat.postMessage", "C2") == pytest.approx(30.0)
    assert pacer.reserve("chat.postMessage", "C3") == 0  # only that channel waits


def test_channel_posts_go_first_and_a_digest_arrives_in_order(firm: Harness) -> None:
    _morning(firm)
    assert deliver_due(firm.clerk, owner="a", courier=_courier(firm)) == len(PEOPLE) + 3
    posts = firm.standin.calls("chat.postMessage")
    # Never queued behind the DMs: the digest's first part is handed out first, so it is
    # among the first posts the pool's workers make (threads race to Slack, so not always
    # the very first one Slack records).
    channels = [c.params["channel"] for c in posts]
    assert channels.index("C_DEADLINES") < 4  # the courier's pool
    digest = [c for c in posts if c.params["channel"] == "C_DEADLINES"]
    assert [c.params["text"] for c in digest] == [f"Deadlines ({n}/3)" for n in (1, 2, 3)]
    gaps = [later.at - earlier.at for earlier, later in zip(digest, digest[1:], strict=False)]
    assert min(gaps) >= 0.19  # the channel's pace, while the DMs went out meanwhile
    shown = [m["text"] for m in firm.standin.messages_in("C_DEADLINES")]
    assert shown == [f"Deadlines ({n}/3)" for n in (1, 2, 3)]
    assert all(r.status is OutboxStatus.SENT for r in outbox(firm))


def test_a_rate_limited_channel_waits_without_holding_the_others(firm: Harness) -> None:
    """Slack refuses the digest's first part with Retry-After 30: its three parts wait (in
    order), the DMs go out in the same round, and nobody sleeps the 30 seconds."""
    _morning(firm)
    firm.standin.fail_next("chat.postMessage", status=429, retry_after=30)
    started = time.monotonic()
    sent = deliver_due(firm.clerk, owner="a", courier=_courier(firm, pool=1))
    assert time.monotonic() - started < 10
    assert sent == len(PEOPLE)
    rows = {r.key: r for r in outbox(firm)}
    assert all(rows[f"briefing:{p}"].status is OutboxStatus.SENT for p in PEOPLE)
    held = [rows[f"digest:{n}"] for n in (1, 2, 3)]
    assert [r.status for r in held] == [OutboxStatus.PENDING] * 3
    assert held[0].next_attempt_at >= firm.clerk.now() + timedelta(seconds=29)
    # the later parts are not sent ahead of the first, by this round or the next
    assert deliver_due(firm.clerk, owner="a", courier=_courier(firm)) == 0
    assert firm.standin.messages_in("C_DEADLINES") == []
    firm.clerk.clock.offset += timedelta(seconds=31)
    assert deliver_due(firm.clerk, owner="a", courier=_courier(firm)) == 3
    shown = [m["text"] for m in firm.standin.messages_in("C_DEADLINES")]
    assert shown == [f"Deadlines ({n}/3)" for n in (1, 2, 3)]


def test_a_row_sent_back_for_a_retry_holds_back_its_channel_until_its_time(
    firm: Harness,
) -> None:
    _queue(firm, "digest:1", "C_DEADLINES", "first")
    _queue(firm, "digest:2", "C_DEADLINES", "second")
    firm.standin.fail_next("chat.postMessage", status=500, times=3)  # beyond the SDK's retries
    assert deliver_due(firm.clerk, owner="a") == 1
    first, second = outbox(firm)
    assert (first.status, first.attempts) == (OutboxStatus.PENDING, 1)
    assert second.status is OutboxStatus.PENDING and second.attempts == 0
    assert deliver_due(firm.clerk, owner="a") == 0  # neither, until the first's time
    firm.clerk.clock.offset += timedelta(minutes=1)
    assert deliver_due(firm.clerk, owner="a") == 2
    assert [m["text"] for m in firm.standin.messages_in("C_DEADLINES")] == ["first", "second"]


def test_a_stopped_courier_claims_nothing_and_leaves_nothing_mid_send(firm: Harness) -> None:
    _morning(firm)
    courier = _courier(firm)
    courier.stop.set()
    assert courier.deliver(owner="a") == 0
    assert {r.status for r in outbox(firm)} == {OutboxStatus.PENDING}


def test_a_morning_through_real_slack_limits_draws_no_429_and_one_call_a_message(
    firm: Harness,
) -> None:
    """The stand-in answering as slack.com does (100 ms a call, a post a second per channel,
    429 over it): Clerk's own pacing keeps every call inside the limits."""
    firm.standin.like_real_slack(RealSlack(latency_s=0.1))
    _morning(firm)
    firm.standin.clear()  # bolt's auth.test at start-up
    started = time.monotonic()
    assert deliver_due(firm.clerk, owner="a") == len(PEOPLE) + 3
    took = time.monotonic() - started
    calls = firm.standin.calls()
    assert [c for c in calls if c.status == 429] == []
    assert {c.method for c in calls} == {"chat.postMessage"}  # no conversations.open
    assert len(calls) == len(PEOPLE) + 3
    # the digest's three parts a second apart bound the round; the DMs go out meanwhile
    assert 2.2 <= took < 2.2 + len(PEOPLE) * 0.1
