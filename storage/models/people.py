"""Firm members as Clerk knows them: a Slack id, a role and a time zone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models.enums import Role
from storage.models.types import enum_type
from storage.stamps import clerk_now


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    real_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role), default=Role.STAFF)
    # The IANA zone from users.info, never tz_offset: offsets change with DST.
    tz: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(default=True)
    # When users.info was last read, so the profile is refreshed without a call per request.
    profile_checked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)

    @property
    def display(self) -> str:
        return self.real_name or self.name or self.slack_id
