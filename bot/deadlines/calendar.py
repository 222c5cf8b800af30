"""The one event builder behind ``/deadline calendar``'s ``.ics`` file and the calendar feeds.

Pure: it takes plain entries and returns bytes, so it is tested by parsing the output back.
Three rules matter to the people who subscribe. An all-day deadline is a DATE value (a
calendar shows it as a whole-day item on the right day in every time zone), never midnight
UTC, which would land on the previous evening in New York. Each deadline keeps one ``UID``
for ever, with a ``SEQUENCE`` and ``LAST-MODIFIED`` that grow when it changes, so a moved
deadline moves in Outlook instead of appearing twice. And the bytes of an unchanged deadline
are the same from one poll to the next (``DTSTAMP`` is its last change, not the time of the
request), so a feed's ETag only changes when its content does.

Every component is made by ``icalendar``. Serialising is its slow part (about 0.2 ms an event,
0.7 ms with six alarms), so each event's bytes are kept in a bounded in-process cache keyed by
everything that goes into them: a lawyer's two thousand deadlines are serialised once, and
after a move only the moved one again. The alarms are the same for every event of a kind
(all-day or timed) and are serialised once per set of reminder steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

PRODUCT_ID = "-//Clerk//Deadlines//EN"
CALENDAR_NAME = "Clerk deadlines"
FILENAME = "clerk-deadlines.ics"
# A timed deadline is a point in time; an hour-long block makes it visible in day views.
TIMED_LENGTH = timedelta(hours=1)
# All-day alarms ring at 09:00 on their day (a DATE event starts at local midnight).
ALL_DAY_ALARM_AT = timedelta(hours=9)
# A timed deadline's "on the day" step rings an hour before it (the digest came at 08:00).
SAME_DAY_TIMED_ALARM = timedelta(hours=-1)
# SEQUENCE counts seconds of the last change since this instant: it grows with every change
# without a counter column, and fits RFC 5545's integer until 2088.
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
# How often subscribed calendars are asked to poll (Apple and Outlook read these hints).
REFRESH = timedelta(hours=1)
EVENT_CACHE_SIZE = 20_000
_END_EVENT = b"END:VEVENT\r\n"


@dataclass(frozen=True)
class CalendarEntry:
    """One deadline as a calendar shows it (no database objects in here)."""

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
    rule: str | None = None
    # The deadline's last change: its DTSTAMP, LAST-MODIFIED and SEQUENCE. Without it (a
    # one-off file of entries made by hand) the file's stamp stands in.
    updated_at: datetime | None = None


def deadline_uid(deadline_id: int, domain: str = "clerk") -> str:
    """Stable per deadline, so re-imports and feed polls update rather than duplicate."""
    return f"deadline-{deadline_id}@{domain}"


def describe(entry: CalendarEntry) -> str:
    lines = [f"Matter: {entry.matter_code} {entry.matter_title} ({entry.client_name})"]
    lines.append(f"Responsible: {entry.responsible}")
    if entry.citation or entry.rule:
        lines.append(f"Rule: {entry.citation or entry.rule}")
    if entry.explanation:
        lines.append(f"Computed: {entry.explanation}")
    lines.append(f"Clerk deadline #{entry.deadline_id}")
    return "\n".join(lines)


def build_calendar(
    entries: Iterable[CalendarEntry],
    *,
    zone: ZoneInfo,
    stamp: datetime,
    domain: str = "clerk",
    alarm_days: Sequence[int] = (),
    name: str = CALENDAR_NAME,
) -> bytes:
    """An iCalendar object with one event per entry, in the order given.

    ``stamp`` (aware) is the DTSTAMP of entries that carry no ``updated_at``. Timed deadlines
    are written in ``zone`` (the firm time zone) with its VTIMEZONE definition.
    ``alarm_days``: the firm's reminder steps (days before); each non-trigger event gets one
    alarm per step. ``domain`` ends every UID (the host of the feed URL).
    """
    if stamp.tzinfo is None:
        raise ValueError("the calendar stamp must be an aware datetime")
    steps = tuple(sorted(set(alarm_days), reverse=True))
    events: list[bytes] = []
    timed_years: list[int] = []
    for entry in entries:
        if entry.due_at is not None:
            timed_years.append(entry.due_at.astimezone(zone).year)
        own_stamp = None if entry.updated_at is not None else stamp
        events.append(_event(entry, zone.key, domain, steps, own_stamp))
    parts = [_header(name, zone.key)]
    if timed_years:
        parts.append(_timezone(zone.key, min(timed_years) - 1, max(timed_years) + 1))
    parts.extend(events)
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


@lru_cache(maxsize=64)
def _header(name: str, zone_key: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone_key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    return bytes(calendar.to_ical()).removesuffix(b"END:VCALENDAR\r\n")


@lru_cache(maxsize=64)
def _timezone(zone_key: str, first_year: int, last_year: int) -> bytes:
    """The zone's VTIMEZONE, its transitions limited to the years the events need."""
    component = icalendar.Timezone.from_tzid(
        zone_key, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    return bytes(component.to_ical())


@lru_cache(maxsize=64)
def _alarms(steps: tuple[int, ...], all_day: bool) -> bytes:
    blocks = []
    for days in steps:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Deadline reminder" if days else "Deadline today")
        if all_day:
            trigger = timedelta(days=-days) + ALL_DAY_ALARM_AT
        else:
            trigger = timedelta(days=-days) if days else SAME_DAY_TIMED_ALARM
        alarm.add("trigger", trigger)
        blocks.append(bytes(alarm.to_ical()))
    return b"".join(blocks)


@lru_cache(maxsize=EVENT_CACHE_SIZE)
def _event(
    entry: CalendarEntry,
    zone_key: str,
    domain: str,
    steps: tuple[int, ...],
    stamp: datetime | None,
) -> bytes:
    zone = ZoneInfo(zone_key)
    changed = entry.updated_at or stamp
    assert changed is not None  # build_calendar passes a stamp when the entry has none
    event = icalendar.Event()
    event.add("uid", deadline_uid(entry.deadline_id, domain))
    event.add("dtstamp", changed.astimezone(UTC))
    if entry.updated_at is not None:
        event.add("last-modified", entry.updated_at.astimezone(UTC))
        seconds = int((entry.updated_at - SEQUENCE_EPOCH).total_seconds())
        event.add("sequence", max(0, seconds))
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
    body = bytes(event.to_ical())
    if entry.is_trigger or not steps:  # triggers are never reminded
        return body
    return body.removesuffix(_END_EVENT) + _alarms(steps, entry.due_at is None) + _END_EVENT
