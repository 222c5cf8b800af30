"""How Clerk writes dates and times: the one formatter every reply, post and file uses.

``strftime`` names days and months in the host's locale (a server set to German writes
"Do 3 Dez") and ``%-d``/``%-I`` exist only in glibc, so Clerk spells them itself: the same
text on every machine, and one place to change it.
"""

from __future__ import annotations

from datetime import date, datetime

WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day: date) -> str:
    """'Thu 3 Dec 2026': the one way Clerk writes a date."""
    return f"{format_short(day)} {day.year}"


def format_short(day: date) -> str:
    """'Thu 3 Dec': inside a list or an explanation once the year is plain."""
    return f"{WEEKDAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]}"


def format_month(day: date) -> str:
    """'Dec 2026': a calendar month (a row of the yearly report)."""
    return f"{MONTH_ABBR[day.month - 1]} {day.year}"


def format_heading(day: date) -> str:
    """'Thursday 3 Dec': a day's heading in the digest."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]}"


def format_time(at: datetime) -> str:
    """'14:05': a time of day on the 24-hour clock (as given: convert to the zone first)."""
    return f"{at.hour:02d}:{at.minute:02d}"


def format_time_12(at: datetime) -> str:
    """'2:05 PM': a time of day on the 12-hour clock, as the digest and the Home tab show it."""
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


def format_stamp(at: datetime) -> str:
    """'Thu 3 Dec 2026 14:05': when something happened (the audit trail, the dry run)."""
    return f"{format_day(at.date())} {format_time(at)}"


def format_short_stamp(at: datetime) -> str:
    """'Thu 3 Dec 14:05': when something happened, the year being plain."""
    return f"{format_short(at.date())} {format_time(at)}"
