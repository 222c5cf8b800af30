"""Clerk's date engine: court calendars, FRCP period counting and free-text dates.

Pure code (no Slack, no database) so that every rule a deadline depends on can be tested
against hand-counted dates. Start with ``court`` (counting) and ``engine`` (reading text).
"""

from bot.dates.court import Computation, CourtCalendar, count_period
from bot.dates.engine import DateEngine, ParsedDate
from bot.dates.format import format_day

__all__ = [
    "Computation",
    "CourtCalendar",
    "DateEngine",
    "ParsedDate",
    "count_period",
    "format_day",
]
