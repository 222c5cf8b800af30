"""The services one running Clerk shares, handed to every handler module's ``register``.

Nothing here holds request state: every request opens its own unit of work, so several
Clerk processes on one database behave like one.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from bot.clock import Clock
from bot.firm.firm_settings import FirmSettings
from bot.firm.users import UserDirectory
from bot.settings import Settings
from storage.db import Database

if TYPE_CHECKING:
    from bot.dates.court import CourtCalendar
    from bot.dates.engine import DateEngine
    from bot.rules.loader import RuleBook

# A sentence handler reads a DM or @mention; it returns True if it understood the text.
SentenceHandler = Callable[..., bool]

CALENDAR_TTL_S = 60.0


@dataclass
class Clerk:
    settings: Settings
    db: Database
    clock: Clock
    client: WebClient
    directory: UserDirectory
    firm: FirmSettings
    commands: set[str] = field(default_factory=set)
    # Each slash command's runner, so a confirmation button can re-run the same command.
    runners: dict[str, Callable[..., Any]] = field(default_factory=dict)
    # `/clerk WORD ...` subcommands contributed by feature modules (report, import, audit).
    admin_subcommands: dict[str, Callable[..., Any]] = field(default_factory=dict)
    sentence_handlers: list[tuple[str, SentenceHandler]] = field(default_factory=list)
    # What Clerk says on its own (a ``schedules.registry.Proactive``: the jobs and how their
    # messages are drawn), set by the app shell so the scheduler needs no domain of its own.
    proactive: Any = None
    _calendar: tuple[float, Any] | None = None
    _calendar_lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> datetime:
        """The current instant by Clerk's clock (``--at`` and the tests move it)."""
        return self.clock.now()

    def today(self) -> date:
        """Today in the firm's time zone by Clerk's clock: the one "today" every reply,
        check and job uses."""
        return self.clock.now_in(self.settings.tz).date()

    def court_calendar(self) -> CourtCalendar:
        """Legal holidays plus firm closure days; re-read at most once a minute.

        Closure days are added from Slack on any process, so the cache is short-lived
        rather than invalidated by message.
        """
        from bot.dates.court import CourtCalendar

        with self._calendar_lock:
            cached = self._calendar
            if cached is not None and time.monotonic() - cached[0] < CALENDAR_TTL_S:
                return cached[1]
            closures = [(c.day, c.name) for c in self.firm.closures()]
            calendar = CourtCalendar(self.settings.holidays, closures=closures)
            self._calendar = (time.monotonic(), calendar)
            return calendar

    def forget_calendar(self) -> None:
        with self._calendar_lock:
            self._calendar = None

    def warm_up(self) -> None:
        """Pay dateparser's and the rule loader's first-call costs before the first request.

        A bad rule-set file stops start-up here with a message naming file, rule and field.
        What start-up loaded (dateparser's tables, the ORM's mappers, the rule sets) lives as
        long as the process, so it is then frozen out of the garbage collector's full passes:
        walking it on every pass was half of a large firm's reminder run (96 -> 48 ms).
        """
        self.dates.warm_up()
        _ = self.rules
        gc.collect()
        gc.freeze()

    @property
    def dates(self) -> DateEngine:
        """The date engine reading against the current court calendar (closures included)."""
        calendar = self.court_calendar()
        engine = self._date_engine
        return engine if engine.calendar is calendar else engine.with_calendar(calendar)

    @cached_property
    def _date_engine(self) -> DateEngine:
        from bot.dates.engine import DateEngine

        return DateEngine(
            languages=self.settings.languages,
            date_order=self.settings.date_order,
            timezone=self.settings.tz,
            calendar=self.court_calendar(),
        )

    @cached_property
    def rules(self) -> RuleBook:
        from bot.rules.loader import load_rule_sets

        return load_rule_sets(self.settings.rules_dir)
