"""Clerk's own bookkeeping: audit trail, outbox, event dedupe, job ledger, firm settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, BigId, JSONType
from storage.models.enums import JobRunStatus, OutboxStatus
from storage.models.types import enum_type
from storage.stamps import clerk_now


class AuditLog(Base):
    __tablename__ = "audit_log"
    __audited__ = False

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clerk_now)
    actor: Mapped[str] = mapped_column(String(32))  # Slack user id or "system"
    action: Mapped[str] = mapped_column(String(16))  # create | update
    entity: Mapped[str] = mapped_column(String(48))  # table name
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id", "at"),)


class FirmSetting(Base):
    __tablename__ = "firm_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(default=clerk_now, onupdate=clerk_now)


class ClosureDay(Base):
    """A day the firm (or court) is closed, added with /clerk holiday add."""

    __tablename__ = "closure_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)


class OutboxMessage(Base):
    """Every proactive message, claimed by its deterministic key before it is sent."""

    __tablename__ = "outbox"
    __audited__ = False

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(48))
    # A channel id, or a user id for a DM (opened at send time).
    target: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clerk_now)
    # Not sent before this moment (Clerk's clock): a reminder waits for the lawyer's own
    # morning in their Slack time zone. None: as soon as it is queued.
    not_before: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)


class ProcessedEvent(Base):
    """Events API deliveries already handled: Slack retries must not log a contact twice."""

    __tablename__ = "processed_events"
    __audited__ = False

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (UniqueConstraint("team_id", "event_id"),)


class JobRun(Base):
    """One row per scheduled slot of a job: a slot runs once, even across restarts."""

    __tablename__ = "job_runs"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    slot: Mapped[datetime]
    status: Mapped[JobRunStatus] = mapped_column(
        enum_type(JobRunStatus), default=JobRunStatus.RUNNING
    )
    owner: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=clerk_now)
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("job", "slot"),)


class PendingConfirmation(Base):
    """What a *Confirm* button will store: kept server-side, used at most once."""

    __tablename__ = "pending_confirmations"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(48))
    user_slack_id: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
