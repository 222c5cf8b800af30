"""Deadlines: plain dates, rule-computed dates and the triggers they hang from."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models.enums import DeadlineStatus
from storage.models.types import enum_type
from storage.stamps import clerk_now


class Deadline(Base):
    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    title: Mapped[str] = mapped_column(String(500))
    # The calendar day in the firm time zone: always set, so digests group by it.
    due_on: Mapped[date]
    # Only for timed deadlines (a hearing at 10am); None means all-day.
    due_at: Mapped[datetime | None]
    status: Mapped[DeadlineStatus] = mapped_column(
        enum_type(DeadlineStatus), default=DeadlineStatus.OPEN
    )
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "frcp:answer" for a computed deadline, "frcp:served" for a trigger row, None if typed.
    rule: Mapped[str | None] = mapped_column(String(120))
    is_trigger: Mapped[bool] = mapped_column(default=False)  # triggers are never reminded
    trigger_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"), index=True)
    # The date the rule produced when stored: a dependent whose due_on differs was moved by hand.
    computed_on: Mapped[date | None]
    by_mail: Mapped[bool] = mapped_column(default=False)
    citation: Mapped[str | None] = mapped_column(String(200))
    source_text: Mapped[str | None] = mapped_column(Text)
    explanation: Mapped[str | None] = mapped_column(Text)
    reminders_snoozed_until: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)
    updated_at: Mapped[datetime] = mapped_column(default=clerk_now, onupdate=clerk_now)

    __table_args__ = (
        Index("ix_deadlines_status_due", "status", "due_on"),
        Index("ix_deadlines_responsible_due", "responsible_id", "status", "due_on"),
        Index("ix_deadlines_assignee_due", "assignee_id", "status", "due_on"),
        Index("ix_deadlines_matter_due", "matter_id", "status", "due_on"),
    )
