"""What every part of the generator shares: the random source, today, and the firm so far.

The firm's *people, clients and matters* are kept in memory (they scale with the size of the
firm, tens of thousands of small tuples); its *history* (contacts, deadlines, invoices,
payments) is streamed to the writer and never held.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.tools.seeding.shape import FirmShape
from bot.tools.seeding.writer import BulkWriter
from storage.models import ClientStatus, Role

SEEDED_AT_HOUR = 6  # before any morning job, so everything seeded exists when they run


@dataclass(frozen=True)
class Person:
    id: int
    slack_id: str
    role: Role


@dataclass(frozen=True)
class MatterRef:
    id: int
    client_index: int
    code: str
    lawyer_id: int | None
    opened_on: date
    closed_on: date | None


@dataclass
class ClientRef:
    id: int
    code: str
    lawyer_id: int | None
    status: ClientStatus
    is_key: bool
    terms_days: int
    currency: str
    weight: float
    payer: str  # "good", "slow" or "bad"
    active_until: date  # a former client's last day with the firm
    retainer_cents: int | None = None
    matters: list[MatterRef] = field(default_factory=list)


@dataclass
class SeedContext:
    rng: random.Random
    today: date
    zone: ZoneInfo
    shape: FirmShape
    writer: BulkWriter
    people: list[Person] = field(default_factory=list)
    clients: list[ClientRef] = field(default_factory=list)
    matters: list[MatterRef] = field(default_factory=list)

    @property
    def history_start(self) -> date:
        return self.today - timedelta(days=round(365 * self.shape.history_years))

    @property
    def now(self) -> datetime:
        """When the seeded firm's people and clients were entered: early on its ``today``.

        Taken from the seed's own day rather than the machine's clock, so a firm seeded for a
        rehearsed morning (``--morning``) reads the same whatever day it was generated on.
        """
        return self.at(self.today, SEEDED_AT_HOUR)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """``hour:minute`` on ``day`` in the firm's time zone, as aware UTC."""
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def day_between(self, start: date, end: date) -> date:
        span = (end - start).days
        return start + timedelta(days=self.rng.randint(0, max(0, span)))

    def working_day_near(self, day: date) -> date:
        """Weekend days move to the Friday before (firms rarely log work on Sundays)."""
        if day.weekday() >= 5:
            return day - timedelta(days=day.weekday() - 4)
        return day

    def with_role(self, *roles: Role) -> list[Person]:
        return [p for p in self.people if p.role in roles]


class WeightedPicker:
    """Draws indexes with the given weights in O(log n), from one cumulative table."""

    def __init__(self, rng: random.Random, weights: list[float]) -> None:
        self.rng = rng
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1] if self.cumulative else 0.0

    def pick(self) -> int:
        return bisect.bisect_right(self.cumulative, self.rng.random() * self.total)

    def counts(self, n: int) -> list[int]:
        """How many of ``n`` items land on each index (a multinomial draw)."""
        found = [0] * len(self.cumulative)
        for _ in range(n):
            found[min(self.pick(), len(found) - 1)] += 1
        return found
