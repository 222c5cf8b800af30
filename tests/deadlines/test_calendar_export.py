"""The .ics file: all-day deadlines as DATE values, timed ones aware, stable UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bot.deadlines.calendar import CalendarEntry, build_calendar, deadline_uid

NY = ZoneInfo("America/New_York")
STAMP = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def entry(deadline_id: int, **overrides: object) -> CalendarEntry:
    values: dict[str, object] = {
        "deadline_id": deadline_id,
        "title": "Reply brief",
        "matter_code": "ACME-1",
        "matter_title": "Acme v. Widget",
        "client_name": "Acme Corporation",
        "due_on": date(2026, 12, 11),
        "due_at": None,
        "responsible": "Lena Lawyer",
    }
    values.update(overrides)
    return CalendarEntry(**values)  # type: ignore[arg-type]


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_an_all_day_deadline_is_a_date_value_not_midnight() -> None:
    data = build_calendar([entry(7)], zone=NY, stamp=STAMP)
    (event,) = events(data)
    start = event.decoded("dtstart")
    assert type(start) is date and start == date(2026, 12, 11)
    assert event.decoded("dtend") == date(2026, 12, 12)
    assert b"DTSTART;VALUE=DATE:20261211" in data


def test_a_timed_deadline_is_an_aware_datetime_in_the_firm_zone() -> None:
    at = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York
    data = build_calendar([entry(8, due_on=date(2026, 12, 3), due_at=at)], zone=NY, stamp=STAMP)
    (event,) = events(data)
    start = event.decoded("dtstart")
    assert isinstance(start, datetime) and start.tzinfo is not None
    assert start == at and start.astimezone(NY).hour == 10
    assert event.decoded("dtend") - start == timedelta(hours=1)
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:America/New_York" in data


def test_uid_is_stable_per_deadline_and_the_description_names_matter_and_citation() -> None:
    first = build_calendar(
        [entry(21, citation="FRAP 4(a)(1)(A)", explanation="30 days after ...")],
        zone=NY,
        stamp=STAMP,
    )
    later = build_calendar(
        [entry(21, title="Notice of appeal (moved)", due_on=date(2027, 1, 5))],
        zone=NY,
        stamp=STAMP + timedelta(days=3),
    )
    (a,), (b,) = events(first), events(later)
    assert str(a["uid"]) == str(b["uid"]) == deadline_uid(21)
    description = str(a["description"])
    assert "ACME-1" in description and "Acme Corporation" in description
    assert "FRAP 4(a)(1)(A)" in description and "30 days after" in description
    assert str(a["summary"]) == "ACME-1: Reply brief"


def test_several_deadlines_each_get_their_own_event() -> None:
    data = build_calendar([entry(i) for i in range(1, 6)], zone=NY, stamp=STAMP)
    assert sorted(str(e["uid"]) for e in events(data)) == sorted(
        deadline_uid(i) for i in range(1, 6)
    )


def test_triggers_are_labelled() -> None:
    (event,) = events(
        build_calendar([entry(3, is_trigger=True, title="Trial")], zone=NY, stamp=STAMP)
    )
    assert str(event["summary"]) == "ACME-1: Trigger: Trial"


def test_a_naive_stamp_is_refused() -> None:
    with pytest.raises(ValueError):
        build_calendar([entry(1)], zone=NY, stamp=datetime(2026, 1, 1))


def test_a_later_change_has_a_higher_sequence_and_last_modified() -> None:
    changed = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    before = events(build_calendar([entry(4, updated_at=changed)], zone=NY, stamp=STAMP))[0]
    moved = entry(4, updated_at=changed + timedelta(minutes=1), due_on=date(2026, 12, 14))
    after = events(build_calendar([moved], zone=NY, stamp=STAMP))[0]
    assert str(before["uid"]) == str(after["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 60
    assert after.decoded("last-modified") > before.decoded("last-modified")
    assert after.decoded("dtstamp") == changed + timedelta(minutes=1)


def test_alarms_follow_the_reminder_steps_and_triggers_get_none() -> None:
    data = build_calendar(
        [
            entry(5),
            entry(6, is_trigger=True),
            entry(7, due_at=datetime(2026, 12, 11, 15, 0, tzinfo=UTC)),
        ],
        zone=NY,
        stamp=STAMP,
        alarm_days=[7, 1, 0],
    )
    by_uid = {str(e["uid"]): e for e in events(data)}
    all_day = [a.decoded("trigger") for a in by_uid[deadline_uid(5)].walk("VALARM")]
    assert all_day == [timedelta(days=-7, hours=9), timedelta(days=-1, hours=9), timedelta(hours=9)]
    assert by_uid[deadline_uid(6)].walk("VALARM") == []
    timed = [a.decoded("trigger") for a in by_uid[deadline_uid(7)].walk("VALARM")]
    assert timed == [timedelta(days=-7), timedelta(days=-1), timedelta(hours=-1)]


def test_the_same_entries_give_the_same_bytes() -> None:
    changed = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    entries = [entry(i, updated_at=changed) for i in range(1, 4)]
    first = build_calendar(entries, zone=NY, stamp=STAMP, alarm_days=[3])
    later = build_calendar(entries, zone=NY, stamp=STAMP + timedelta(hours=2), alarm_days=[3])
    assert first == later
