"""dateparser, for what Clerk's grammar does not cover, behind checks that refuse its guesses.

Why the checks: dateparser reads "3/45" as March 2045, "a las 10" as October, "Dec 3 10" as
3 Dec 2110, "Thursday Dec 4 2026" as Friday 4 Dec without a word, and "next month" as a day.
So a phrase only reaches it when every word is in the configured languages' date vocabulary
(``Locale.is_applicable``), and its answer is kept only when it names a single day, every number
in the phrase is accounted for, no time of day crept in, and a weekday in the phrase agrees.

Why one parser per preference, reused: dateparser's cost is in loading locales and building
its per-language tables; a ``DateDataParser`` keeps them. Its settings are fixed at
construction, so each call swaps in the settings with this request's ``RELATIVE_BASE`` under a
lock (``Settings.replace`` keeps the explicitly set ``DATE_ORDER`` in force).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.conf import settings as default_settings
from dateparser.date import DateDataParser
from dateparser.languages.loader import default_loader

from bot.dates.court import FIRST_YEAR, LAST_YEAR
from bot.dates.folding import fold
from bot.dates.languages import Lexicon
from bot.dates.numbers import chinese_number
from bot.dates.resolve import (
    Context,
    Reading,
    Refusal,
    build,
    check_weekday,
    pick_year,
)

# dateparser copies the relative base's time of day into "tomorrow"; a base time no one types
# tells "dateparser kept the base time" apart from "dateparser read a time in the phrase".
_MARK_SECOND, _MARK_MICROSECOND = 13, 370013
_WORD = re.compile(r"[^\W\d_]+")
_UNIT_KEYS = ("day", "week", "month", "year", "fortnight", "hour", "minute", "second")
# "12月3日前" is "before 3 Dec" (by it? the day before?), which dateparser reads as "12 months
# and 3 days ago". Chinese before/after phrases are the grammar's ("3天后", "12月1日后21天");
# what it does not read is refused, not passed on.
_CHINESE_BEFORE_AFTER = re.compile(r"(?:前|后|後|以前|以后|以後|之前|之后|之後)\s*$")
_CHINESE_MONTH = re.compile(r"(?<![个個\d])(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DATEPARSER_PREFER = {"future": "future", "past": "past", "nearest": "current_period"}


class DateparserReader:
    """dateparser for one engine's languages, time zone and date order."""

    def __init__(
        self, languages: Sequence[str], date_order: str | None, zone: ZoneInfo, lexicon: Lexicon
    ) -> None:
        self.languages = list(languages)
        self.lexicon = lexicon
        self.settings: dict[str, Any] = {
            "TIMEZONE": zone.key,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "DATE_ORDER": (date_order or "MDY").upper(),
        }
        self._locales = [default_loader.get_locale(code) for code in self.languages]
        self._check_settings = default_settings.replace()
        self._parsers: dict[str, tuple[DateDataParser, threading.Lock]] = {}
        self._build_lock = threading.Lock()
        self._fillers = lexicon.fillers | lexicon.keywords
        lx = lexicon
        units = {word for phrase in lx.units for word in phrase.split()}
        direction = lx.in_words | lx.ago_before | lx.ago_after | lx.from_now_words
        directions = {
            word
            for phrase in direction | lx.after_words | lx.before_words
            for word in phrase.split()
        }
        for locale in self._locales:
            for key in _UNIT_KEYS:
                units.update(fold(w) for w in locale.info.get(key, ()))
            for key in ("in", "ago"):
                directions.update(fold(w) for w in locale.info.get(key, ()))
        self._unit_words = frozenset(units)
        grammar_languages = {"en", "es", "el", "zh"}
        self._grammar_units = frozenset(
            {word for phrase in lx.units for word in phrase.split()}
            | {
                fold(w)
                for locale in self._locales
                if locale.shortname in grammar_languages
                for key in _UNIT_KEYS
                for w in locale.info.get(key, ())
            }
        )
        self._direction_words = frozenset(directions)

    def settings_for(self, prefer: str, base: datetime) -> dict[str, Any]:
        """The full dateparser settings of one call (also used by the benchmark)."""
        return {
            **self.settings,
            "PREFER_DATES_FROM": _DATEPARSER_PREFER[prefer],
            "RELATIVE_BASE": base,
        }

    def _parser(self, prefer: str, base: datetime) -> tuple[DateDataParser, threading.Lock]:
        with self._build_lock:
            entry = self._parsers.get(prefer)
            if entry is None:
                parser = DateDataParser(
                    languages=self.languages, settings=self.settings_for(prefer, base)
                )
                entry = (parser, threading.Lock())
                self._parsers[prefer] = entry
            return entry

    def raw(self, text: str, prefer: str, base: datetime) -> Any:
        """dateparser's own answer for ``text`` (a ``DateData``), no checks."""
        parser, lock = self._parser(prefer, base)
        with lock:
            parser._settings = parser._settings.replace(RELATIVE_BASE=base)
            return parser.get_date_data(text)

    def warm_up(self, base: datetime) -> None:
        for prefer in _DATEPARSER_PREFER:
            for locale in self._locales:
                month = (locale.info.get("december") or ["december"])[-1]
                self.raw(f"3 {month}", prefer, base)

    def read(self, text: str, ctx: Context, now_local: datetime) -> Reading | None:
        """A checked reading of ``text``, None when it is not a date Clerk can stand behind."""
        words = _WORD.findall(text)
        if not words or all(w in self._fillers for w in words):
            return None  # bare numbers ("3/45", "2027") were the grammar's to read
        if _CJK.search(text):
            return None  # dateparser's Chinese reads "12月3日前" as 12 months ago; grammar only
        if any(w in self.lexicon.numbers for w in words):
            return None  # "5 two", "10 an": dateparser takes number words as date parts
        units = [w for w in words if w in self._unit_words]
        numbers = re.findall(r"\d+", text)
        counted_elsewhere = bool(numbers) and any(w not in self._grammar_units for w in units)
        if counted_elsewhere and not any(w in self._direction_words for w in words):
            return None  # "3 jours": a count with no "in"/"ago" to say which way it runs
        months = [w for w in words if w in self.lexicon.months]
        weekdays = [self.lexicon.weekdays[w] for w in words if w in self.lexicon.weekdays]
        if len(months) > 1 or len(weekdays) > 1 or _CHINESE_BEFORE_AFTER.search(text):
            return None
        if numbers and not months and not counted_elsewhere:
            return None  # "fri 29 10": which number is the month? Numeric dates are the grammar's
        named = {self.lexicon.months[w] for w in months}
        named |= {chinese_number(m) for m in _CHINESE_MONTH.findall(text)}
        if not any(
            loc.is_applicable(text, strip_timezone=False, settings=self._check_settings)
            for loc in self._locales
        ):
            return None
        base = now_local.replace(tzinfo=None, second=_MARK_SECOND, microsecond=_MARK_MICROSECOND)
        data = self.raw(text, ctx.prefer, base)
        found = data.date_obj
        if found is None:
            return None
        if data.period != "day":
            raise Refusal(
                f"'{text}' names a {data.period}, not a day. Give the day itself, "
                "e.g. 'Dec 3' or 'next Friday'."
            )
        if found.time() not in (time(0, 0), base.time()):
            raise Refusal(
                f"I read a time of day in '{text}' that I can't be sure of. Write the time as "
                "10:30am or 14:30."
            )
        if named and named != {found.month}:
            return None  # "12月3日前" read as "12 months and 3 days ago"
        if any(w in self._grammar_units for w in units):
            return None  # counts in Clerk's languages are the grammar's: "yesterday weeks after"
        if not FIRST_YEAR <= found.year <= LAST_YEAR and text.startswith(str(found.year)):
            return None  # "1040 dec 3": the number ends a title ("Form 1040"), not a year
        day = build(found.year, found.month, found.day)
        counting = any(w in self.lexicon.units for w in words) or found.time() == base.time()
        year_given = False
        for number in numbers:
            value = int(number)
            if len(number) == 4 and value == day.year:
                year_given = True
            elif value not in (day.day, day.month) and not counting:
                return None  # a number dateparser did not use, or used as a year ("Dec 3 10")
        if not year_given and abs(day.year - ctx.today.year) > 1:
            return None  # a year no one typed: "2 May 5" read as 2 May 2005
        checked_weekday = weekdays[0] if weekdays and (months or numbers) else None
        if self._ignores_a_part(text, ctx.prefer, base, found, checked_weekday is not None):
            return None
        if months and not year_given:
            day = pick_year(day.month, day.day, ctx)  # Clerk's year rule, not dateparser's
        check_weekday(day, checked_weekday)
        return Reading(day, literal=bool(months and numbers))

    def _ignores_a_part(
        self, text: str, prefer: str, base: datetime, found: datetime, weekday_checked: bool
    ) -> bool:
        """True when dateparser gives the same answer without a word, or with a number changed.

        dateparser skips what it does not need: "tomorrow week" comes back as tomorrow, "about
        Dec 3" as Dec 3. A part whose removal (or change, for a number) does not change the
        answer was not read, so the phrase as typed was not understood.
        """

        def same(variant: str) -> bool:
            variant = re.sub(r"\s+", " ", variant).strip()
            if not variant:
                return False
            again = self.raw(variant, prefer, base)
            return again.date_obj == found and again.period == "day"

        for match in re.finditer(r"\d+", text):
            bumped = str(int(match.group()) + 1).zfill(len(match.group()))
            if same(text[: match.start()] + bumped + text[match.end() :]):
                return True
        for match in _WORD.finditer(text):
            word = match.group()
            if word in self._fillers or (weekday_checked and word in self.lexicon.weekdays):
                continue
            if same(text[: match.start()] + " " + text[match.end() :]):
                return True
        return False
