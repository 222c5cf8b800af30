"""Clerk's sense of "now", which ``--at`` can move for rehearsals and demos.

``clerk run --at "2026-12-01 07:59:30"`` starts the clock at that instant and lets it run
forward in real time, so everything that asks the clock (parsers, jobs, the scheduler's
triggers) sees the same rehearsed morning. Tests freeze real time with time-machine instead,
which this clock follows because it reads ``datetime.now`` on every call.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


class Clock:
    def __init__(self, start_at: datetime | None = None) -> None:
        if start_at is not None and start_at.tzinfo is None:
            raise ValueError("the clock's start must be an aware datetime")
        self.offset = (start_at - datetime.now(UTC)) if start_at else timedelta(0)

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        return datetime.now(UTC) + self.offset

    def now_in(self, zone: tzinfo) -> datetime:
        return self.now().astimezone(zone)

    @property
    def shifted(self) -> bool:
        return self.offset != timedelta(0)


def parse_at(text: str, zone: tzinfo) -> datetime:
    """Read an ``--at`` value ("2026-12-01 08:00" or ISO 8601) in the firm time zone."""
    value = datetime.fromisoformat(text.strip().replace("T", " "))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value
