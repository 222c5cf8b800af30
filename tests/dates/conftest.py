"""Shared fixtures for the date engine tests: one firm, one frozen "now", engines built once.

"Now" is Wed 18 Nov 2026 10:00 in New York, the day dateparser's behaviour was
measured against. Engines are session-scoped because building one loads dateparser locales; tests
pass
``now=`` explicitly and never depend on the real clock.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dates.court import CourtCalendar
from bot.dates.engine import DateEngine

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=NEW_YORK)
LANGUAGES = ("en", "es", "el", "zh")


@pytest.fixture(scope="session")
def calendar() -> CourtCalendar:
    return CourtCalendar("US")


@pytest.fixture(scope="session")
def engine(calendar: CourtCalendar) -> DateEngine:
    """The four languages Clerk's grammar knows, date order not set (so 3/4 is ambiguous)."""
    built = DateEngine(languages=LANGUAGES, timezone=NEW_YORK, calendar=calendar)
    built.warm_up()
    return built


@pytest.fixture(scope="session")
def english(calendar: CourtCalendar) -> DateEngine:
    """The default firm: English only."""
    return DateEngine(languages=("en",), timezone=NEW_YORK, calendar=calendar)
