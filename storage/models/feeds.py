"""Calendar feed tokens: the secret part of a subscription URL, kept only as its hash.

A feed URL is a bearer credential (whoever has it reads the deadlines), so the token itself
is never stored: a stolen database copy must not hand out live URLs. Each row is one URL a
member was given, for their own deadlines (``matter_id`` empty) or for one matter's.

The row is its own record (who got a URL, when, and when it was revoked), so it is not audited
again; the served-version columns change whenever a poll first sees new content, which would
otherwise add an audit entry per deadline change per subscriber.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.stamps import clerk_now


class CalendarFeed(Base):
    __tablename__ = "calendar_feeds"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the token, hex: looked up by equality, then compared in constant time.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Whose access the feed carries: checked at every read (a deactivated member's URL dies).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Empty for the member's own deadlines; else the one matter the feed shows.
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)
    revoked_at: Mapped[datetime | None]
    # The ETag last served and when it first was: the feed's Last-Modified, which stays
    # true when a deadline leaves the feed (done, cancelled, reassigned).
    served_etag: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_calendar_feeds_user_matter", "user_id", "matter_id"),)
