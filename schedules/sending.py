"""Sending one claimed outbox row and settling it: sent, back to pending, or failed and reported.

Transient failures (Slack's 5xx, network) go back to pending with an exponential backoff;
permanent ones (the channel is gone, Clerk is not in it) are marked failed and reported once
to each admin. A 429, or a call Slack's limits would refuse (``schedules.pacing``), is not a
failure: the row goes back to pending until Slack's ``Retry-After`` and keeps its attempts.

A DM is posted to the person's user id: ``chat.postMessage`` opens the conversation itself
and answers with the DM channel's id, which the row keeps (``slack_channel``). No
``conversations.open`` per DM: Slack allows that method 50 calls a minute, and a large firm's
morning has hundreds of DMs.

Slack offers no idempotency key, so a process that died after Slack accepted a message but
before marking it sent (or a timeout after Slack took it) could send it twice. Every message
therefore carries its outbox key in Slack's message metadata, and a row that *may* have
been posted is looked for in its channel's recent history before it is sent again: found,
it is marked sent with the ts Slack gave it. A DM's history is read in the person's DM
channel, known from an earlier DM's row (``conversations.open`` only if Clerk never wrote to
them). If the history cannot be read, the message is sent again: losing a deadline reminder
is worse than repeating one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from typing import Any, TypeVar

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import select, update

from bot.clerk import Clerk
from bot.slack_retry import rate_limits_returned
from schedules.outbox import enqueue
from schedules.pacing import POST, WAIT_IN_PLACE_S, Pacer, is_rate_limited, retry_after
from schedules.registry import proactive_of
from storage.models import OutboxMessage, OutboxStatus, Role, User

log = logging.getLogger("clerk.delivery")

PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "user_disabled",
    "invalid_blocks",
    "msg_too_long",
    "no_text",
    "cannot_dm_bot",
    "account_inactive",
    "invalid_auth",
    "not_authed",
}
# last_error of a row whose send was cut off (a kill, a timeout): Slack may have it already
MAYBE_POSTED = "may have been posted"
METADATA_TYPE = "clerk_message"
HISTORY_LOOKBACK = 200  # messages read back to find one that may have been posted
MAX_BACKOFF = timedelta(hours=1)
MAX_ATTEMPTS = 20  # about half a day of retries at the backoff ceiling, then report it
# last_error of a row put back until Slack's limits allow it (never counted as an attempt)
HELD_FOR_LIMITS = "waiting for Slack's rate limit"
# A 429 whose Retry-After is short is waited out in place this many times before the row
# is held (a post that reached Slack a little early).
RETRIES_IN_PLACE = 2

Answer = TypeVar("Answer")


class Outcome(StrEnum):
    """How one row was settled."""

    SENT = "sent"
    FAILED = "failed"
    RETRY = "retry"  # back to pending after a failure, with a backoff
    HELD = "held"  # back to pending until Slack's limits allow it; not an attempt


class Held(Exception):
    """A call that Slack's limits would refuse now: try the row again in ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"held {seconds:.1f} s")
        self.seconds = seconds


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling up to an hour: Slack outages rarely last longer."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def is_user(target: str) -> bool:
    return target[:1] in ("U", "W")


def claim(clerk: Clerk, message_id: int, owner: str) -> bool:
    with clerk.db.unit_of_work("system") as session:
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENDING, claimed_by=owner, claimed_at=clerk.now())
        )
        return claimed.rowcount == 1  # type: ignore[attr-defined]


def _set(clerk: Clerk, message_id: int, **values: Any) -> None:
    with clerk.db.unit_of_work("system") as session:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
        )


def report_failure(clerk: Clerk, message: OutboxMessage, error: str) -> None:
    """One report per admin (the key makes a second report of the same row a no-op)."""
    if message.kind == "delivery_failure":
        return  # a report that cannot be delivered is logged, not reported in turn
    report = proactive_of(clerk).failure_report(
        kind=message.kind, target=message.target, error=error
    )
    with clerk.db.unit_of_work("system") as session:
        admins = set(
            session.scalars(
                select(User.slack_id).where(User.role == Role.ADMIN, User.is_active.is_(True))
            )
        )
        admins |= {a for a in clerk.settings.admins if a}
        for admin in sorted(admins):
            enqueue(
                session,
                key=f"failure:{message.id}:{admin}",
                target=admin,
                kind="delivery_failure",
                payload=report.payload(),
            )


class Turns:
    """Asks the pacer before each call: waits a second in place, holds the row for longer
    waits, and stops waiting when the process is shutting down."""

    def __init__(self, pacer: Pacer, stop: threading.Event) -> None:
        self.pacer = pacer
        self.stop = stop

    def take(self, method: str, channel: str = "") -> None:
        while True:
            wait = self.pacer.reserve(method, channel)
            if wait <= 0:
                return
            if wait > WAIT_IN_PLACE_S or self.stop.wait(wait):
                raise Held(wait if not self.stop.is_set() else 0.0)

    def refused(self, method: str, channel: str, exc: SlackApiError) -> float:
        """A 429 from Slack: nothing more there until its ``Retry-After``; the seconds."""
        seconds = retry_after(exc).total_seconds()
        self.pacer.pause(method, channel, seconds)
        return max(seconds, 1.0)

    def call(self, method: str, channel: str, send: Callable[[], Answer]) -> Answer:
        """``send()`` in its turn; a 429 with a short ``Retry-After`` is waited out and
        tried again here, a longer one holds the row (:class:`Held`)."""
        for _ in range(RETRIES_IN_PLACE + 1):
            self.take(method, channel)
            try:
                return send()
            except SlackApiError as exc:
                if not is_rate_limited(exc):
                    raise
                seconds = self.refused(method, channel, exc)
                if seconds > WAIT_IN_PLACE_S:
                    raise Held(seconds) from exc
        raise Held(WAIT_IN_PLACE_S)


def send_one(clerk: Clerk, message: OutboxMessage, turns: Turns) -> Outcome:
    """Send one claimed row and settle it.

    A row with a ``chart`` (the reports) is two steps: the message, whose ``ts`` is recorded
    at once, then the chart uploaded in its thread. A retry of such a row that already has a
    ``ts`` only uploads, so the report is not posted twice (``handlers.reports.report_job``).
    """
    try:
        payload = proactive_of(clerk).draw(message.payload)
    except (KeyError, TypeError, ValueError) as exc:  # a row no version of Clerk could draw
        return _fail(clerk, message, f"unreadable queued message ({type(exc).__name__}: {exc})")
    chart = payload.pop("chart", None)
    channel = message.slack_channel or message.target
    ts = message.slack_ts
    method = POST
    try:
        with rate_limits_returned():
            if ts is None and (message.last_error or "").endswith(MAYBE_POSTED):
                where = _dm_channel(clerk, channel, turns) if is_user(channel) else channel
                method = "conversations.history"
                ts = _posted_earlier(clerk, where, message.key, turns)
                channel = where if ts is not None else channel
            if ts is None:
                method = POST
                metadata = {"event_type": METADATA_TYPE, "event_payload": {"key": message.key}}
                answer = turns.call(
                    POST,
                    channel,
                    lambda: clerk.client.chat_postMessage(
                        channel=channel, metadata=metadata, **payload
                    ),
                )
                ts, channel = answer.get("ts"), answer.get("channel") or channel
                if chart is not None:
                    _set(clerk, message.id, slack_ts=ts, slack_channel=channel)
            if chart is not None:
                method = "files.completeUploadExternal"
                turns.take("files.getUploadURLExternal")
                proactive_of(clerk).upload_chart(clerk, channel=channel, thread_ts=ts, chart=chart)
    except Held as held:
        return _hold(clerk, message, held.seconds)
    except SlackApiError as exc:
        if is_rate_limited(exc):
            return _hold(clerk, message, turns.refused(method, channel, exc))
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        if error in PERMANENT:
            return _fail(clerk, message, error)
        return _retry(clerk, message, error)
    except (SlackClientError, OSError) as exc:  # timeouts, refused connections
        return _retry(clerk, message, f"{type(exc).__name__}; {MAYBE_POSTED}")
    _set(
        clerk,
        message.id,
        status=OutboxStatus.SENT,
        sent_at=clerk.now(),
        slack_ts=ts,
        slack_channel=channel,
    )
    return Outcome.SENT


def _dm_channel(clerk: Clerk, user: str, turns: Turns) -> str:
    """The DM channel Clerk shares with ``user``: where an earlier DM to them went (read
    newest first along the outbox's key, so an active person costs a short index walk),
    else opened (a Tier 3 call, once for someone Clerk never wrote to)."""
    with clerk.db.reading() as session:
        known = session.scalar(
            select(OutboxMessage.slack_channel)
            .where(
                OutboxMessage.target == user,
                OutboxMessage.slack_channel.is_not(None),
                OutboxMessage.slack_channel != user,
            )
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
    if known:
        return str(known)
    opened = turns.call(
        "conversations.open", "", lambda: clerk.client.conversations_open(users=user)
    )
    return str(opened["channel"]["id"])


def _posted_earlier(clerk: Clerk, channel: str, key: str, turns: Turns) -> str | None:
    """The ts of this row's message if Slack already has it (its key in the metadata)."""
    try:
        history = turns.call(
            "conversations.history",
            "",
            lambda: clerk.client.conversations_history(
                channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            ),
        )
    except SlackApiError as exc:
        log.warning(
            "could not look for an earlier post of a %s message (%s): sending it",
            key.split(":", 1)[0],
            exc.response.get("error"),
        )
        return None
    for posted in history.get("messages") or []:
        metadata = posted.get("metadata") or {}
        if metadata.get("event_type") == METADATA_TYPE and (
            (metadata.get("event_payload") or {}).get("key") == key
        ):
            return str(posted["ts"])
    return None


def _fail(
    clerk: Clerk,
    message: OutboxMessage,
    error: str,
    *,
    attempts: int | None = None,
    reported: str | None = None,
) -> Outcome:
    """Mark the row failed for good and tell the admins (``reported``, or the error)."""
    log.warning("outbox %s failed for good: %s", message.id, reported or error)
    values: dict[str, Any] = {"status": OutboxStatus.FAILED, "last_error": error}
    if attempts is not None:
        values["attempts"] = attempts
    _set(clerk, message.id, **values)
    report_failure(clerk, message, reported or error)
    return Outcome.FAILED


def _retry(clerk: Clerk, message: OutboxMessage, error: str) -> Outcome:
    attempts = message.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        return _fail(
            clerk,
            message,
            error,
            attempts=attempts,
            reported=f"still failing after {attempts} attempts ({error})",
        )
    log.info("outbox %s will be retried (%s, attempt %s)", message.id, error, attempts)
    _set(
        clerk,
        message.id,
        status=OutboxStatus.PENDING,
        attempts=attempts,
        last_error=error,
        next_attempt_at=clerk.now() + backoff(attempts),
    )
    return Outcome.RETRY


def _hold(clerk: Clerk, message: OutboxMessage, seconds: float) -> Outcome:
    """Back to pending until Slack's limits allow it; a cut-off row stays marked as one."""
    cut_off = (message.last_error or "").endswith(MAYBE_POSTED)
    _set(
        clerk,
        message.id,
        status=OutboxStatus.PENDING,
        last_error=message.last_error if cut_off else HELD_FOR_LIMITS,
        next_attempt_at=clerk.now() + timedelta(seconds=max(seconds, 0.0)),
    )
    return Outcome.HELD
