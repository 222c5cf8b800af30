"""The ``.ics`` file of ``/deadline calendar``: a lawyer's open deadlines for their calendar app.

Pure: it takes plain entries and returns bytes, so it is tested by parsing the output back.
Two rules matter to the people who import it. An all-day deadline is a DATE value (a
calendar shows it as a whole-day item on the right day in every time zone), never midnight
UTC, which would land on the previous evening in New York. And each deadline keeps one
``UID`` for ever, so importing a newer file updates the event instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

PRODUCT_ID = "-//Clerk//Deadlines//EN"
CALENDAR_NAME = "Clerk deadlines"
FILENAME = "clerk-deadlines.ics"
# A timed deadline is a point in time; an hour-long block makes it visible in day views.
TIMED_LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEntry:
    """One deadline as the calendar file shows it (no database objects in here)."""

    deadline_id: int
    title: str
    matter_code: str
    matter_title: str
    client_name: str
    due_on: date
    due_at: datetime | None
    responsible: str
    citation: str | None = None
    explanation: str | None = None
    is_trigger: bool = False


def deadline_uid(deadline_id: int) -> str:
    """Stable per deadline, so re-imports update rather than duplicate."""
    return f"deadline-{deadline_id}@clerk"


def describe(entry: CalendarEntry) -> str:
    lines = [f"Matter: {entry.matter_code} {entry.matter_title} ({entry.client_name})"]
    lines.append(f"Responsible: {entry.responsible}")
    if entry.citation:
        lines.append(f"Rule: {entry.citation}")
    if entry.explanation:
        lines.append(f"Computed: {entry.explanation}")
    lines.append(f"Clerk deadline #{entry.deadline_id}")
    return "\n".join(lines)


def build_calendar(entries: Iterable[CalendarEntry], *, zone: ZoneInfo, stamp: datetime) -> bytes:
    """An iCalendar file with one event per entry.

    ``stamp`` (aware) becomes every event's DTSTAMP: the moment the file was made. Timed
    deadlines are written in ``zone`` (the firm time zone) with its VTIMEZONE definition.
    """
    if stamp.tzinfo is None:
        raise ValueError("the calendar stamp must be an aware datetime")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", deadline_uid(entry.deadline_id))
        event.add("dtstamp", stamp)
        prefix = "Trigger: " if entry.is_trigger else ""
        event.add("summary", f"{entry.matter_code}: {prefix}{entry.title}")
        if entry.due_at is not None:
            start = entry.due_at.astimezone(zone)
            event.add("dtstart", start)
            event.add("dtend", start + TIMED_LENGTH)
        else:
            event.add("dtstart", entry.due_on)
            event.add("dtend", entry.due_on + timedelta(days=1))
            event.add("transp", "TRANSPARENT")  # an all-day deadline doesn't block the day
        event.add("description", describe(entry))
        event.add("categories", [entry.matter_code])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
