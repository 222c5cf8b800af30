"""Sending outbox rows exactly once, with retries for what may pass and reports for what won't.

A row is claimed by a conditional UPDATE (pending -> sending), so two processes never both
send it. Transient failures (rate limits, Slack's 5xx, network) go back to pending with an
exponential backoff; permanent ones (the channel is gone, Clerk is not in it) are marked
failed and reported once to each admin. A row left in ``sending`` by a process that died is
put back after ``STUCK_AFTER``.

Slack offers no idempotency key, so a process that died after Slack accepted a message but
before marking it sent (or a timeout after Slack took it) could send it twice. Every message
therefore carries its outbox key in Slack's message metadata, and a row that *may* have
been posted is looked for in its channel's recent history before it is sent again: found,
it is marked sent with the ts Slack gave it. If the history cannot be read, the message is
sent again: losing a deadline reminder is worse than repeating one.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import or_, select, update

from bot.clerk import Clerk
from schedules.outbox import enqueue
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
STUCK_AFTER = timedelta(minutes=10)
# last_error of a row whose send was cut off (a kill, a timeout): Slack may have it already
MAYBE_POSTED = "may have been posted"
METADATA_TYPE = "clerk_message"
CUT_OFF = f"cut off while sending; {MAYBE_POSTED}"
HISTORY_LOOKBACK = 200  # messages read back to find one that may have been posted
MAX_BACKOFF = timedelta(hours=1)
MAX_ATTEMPTS = 20  # about half a day of retries at the backoff ceiling, then report it


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling up to an hour: Slack outages rarely last longer."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim(clerk: Clerk, message_id: int, owner: str) -> bool:
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


def _report_failure(clerk: Clerk, message: OutboxMessage, error: str) -> None:
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


def send_one(clerk: Clerk, message: OutboxMessage) -> None:
    """Send one claimed row and settle it: sent, back to pending, or failed and reported.

    A row with a ``chart`` (the reports) is two steps: the message, whose ``ts`` is recorded
    at once, then the chart uploaded in its thread. A retry of such a row that already has a
    ``ts`` only uploads, so the report is not posted twice (``handlers.reports.report_job``).
    """
    try:
        payload = proactive_of(clerk).draw(message.payload)
    except (KeyError, TypeError, ValueError) as exc:  # a row no version of Clerk could draw
        _fail(clerk, message, f"unreadable queued message ({type(exc).__name__}: {exc})")
        return
    chart = payload.pop("chart", None)
    channel = message.slack_channel or message.target
    ts = message.slack_ts
    try:
        if ts is None:
            if channel[:1] in ("U", "W"):
                channel = clerk.client.conversations_open(users=channel)["channel"]["id"]
            if (message.last_error or "").endswith(MAYBE_POSTED):
                ts = _posted_earlier(clerk, channel, message.key)
        if ts is None:
            answer = clerk.client.chat_postMessage(
                channel=channel,
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": message.key}},
                **payload,
            )
            ts, channel = answer.get("ts"), answer.get("channel") or channel
            if chart is not None:
                _set(clerk, message.id, slack_ts=ts, slack_channel=channel)
        if chart is not None:
            proactive_of(clerk).upload_chart(clerk, channel=channel, thread_ts=ts, chart=chart)
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        if error in PERMANENT:
            _fail(clerk, message, error)
            return
        _retry(clerk, message, error, wait_at_least=_retry_after(exc))
        return
    except (SlackClientError, OSError) as exc:  # timeouts, refused connections
        _retry(clerk, message, f"{type(exc).__name__}; {MAYBE_POSTED}")
        return
    _set(
        clerk,
        message.id,
        status=OutboxStatus.SENT,
        sent_at=clerk.now(),
        slack_ts=ts,
        slack_channel=channel,
    )


def _posted_earlier(clerk: Clerk, channel: str, key: str) -> str | None:
    """The ts of this row's message if Slack already has it (its key in the metadata)."""
    try:
        history = clerk.client.conversations_history(
            channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
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
) -> None:
    """Mark the row failed for good and tell the admins (``reported``, or the error)."""
    log.warning("outbox %s failed for good: %s", message.id, reported or error)
    values: dict[str, Any] = {"status": OutboxStatus.FAILED, "last_error": error}
    if attempts is not None:
        values["attempts"] = attempts
    _set(clerk, message.id, **values)
    _report_failure(clerk, message, reported or error)


def _retry_after(exc: SlackApiError) -> timedelta:
    """Slack's Retry-After on a 429 (slack-sdk has already waited it out once)."""
    headers = getattr(exc.response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            if str(raw).strip().isdigit():
                return timedelta(seconds=int(str(raw).strip()))
    return timedelta(0)


def _retry(
    clerk: Clerk, message: OutboxMessage, error: str, *, wait_at_least: timedelta = timedelta(0)
) -> None:
    attempts = message.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _fail(
            clerk,
            message,
            error,
            attempts=attempts,
            reported=f"still failing after {attempts} attempts ({error})",
        )
        return
    log.info("outbox %s will be retried (%s, attempt %s)", message.id, error, attempts)
    _set(
        clerk,
        message.id,
        status=OutboxStatus.PENDING,
        attempts=attempts,
        last_error=error,
        next_attempt_at=clerk.now() + max(backoff(attempts), wait_at_least),
    )


def deliver_due(clerk: Clerk, *, owner: str, limit: int = 100) -> int:
    """Send what is due; returns how many were sent or settled."""
    now = clerk.now()
    with clerk.db.unit_of_work("system") as session:
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_at < now - STUCK_AFTER,
            )
            .values(status=OutboxStatus.PENDING, last_error=CUT_OFF)
        )
    with clerk.db.reading() as session:
        due = session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                # a fresh row is due at once, even one queued by a process whose clock
                # (--at) ran ahead of this one's
                or_(OutboxMessage.attempts == 0, OutboxMessage.next_attempt_at <= now),
                or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now),
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).all()
    handled = 0
    for message in due:
        if _claim(clerk, message.id, owner):
            send_one(clerk, message)
            handled += 1
    return handled
