"""One corpus entry and the picks every shape shares (titles, counts, trigger dates).

Separate from the shapes so the English and the other-language generators build the same
thing: the text typed after the matter code, its shape for the report, and the oracle's answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from tests.deadlines.corpus.oracle import TODAY, Expected, ask, nearest
from tests.deadlines.corpus.render import WITH_YEAR, YEARLESS, Rendered, render_date


@dataclass(frozen=True)
class Phrase:
    """``text`` is what follows the matter code in ``/deadline ACME-1 ...``."""

    text: str
    shape: str
    variant: str
    title: str
    expected: Expected
    firm: str = "en"  # "en": an English-only firm; "intl": CLERK_LANGUAGES=en,es,el,zh


TITLES = [
    "Opposition",
    "Reply brief",
    "Answer",
    "Expert disclosures",
    "Objections",
    "Motion to compel",
    "Response to interrogatories",
    "Pretrial statement",
    "Notice of appeal",
    "Witness list",
    "Smith & Jones reply",
    "Mediation statement",
    "Status report",
    "Proposed jury instructions",
    "Opening brief",
    "Privilege log",
]
# Titles that end with (or hold) a number a parser could take for a count, a day or a year.
NUMBERED = [
    "Form 1040",
    "Exhibit 12",
    "Rule 26(f) report",
    "Motion in limine No. 3",
    "Schedule K-1",
    "Form 10-K",
    "Interrogatories Set 2",
    "Request 7",
    "ECF 45 response",
    "Phase 2",
    "Exhibit 104",
    "Claim 17",
    "Deposition of witness 4",
    "Rule 12(b)(6) motion",
    "Item 9",
    "Form 8-K",
    "Local Rule 7.1 statement",
    "Volume 3",
    "Section 1983 brief",
    "Notice of 30-day hold",
    "Exhibit 31",
    "Form 990",
]
COMMON_COUNTS = [1, 2, 3, 5, 7, 10, 14, 15, 18, 20, 21, 28, 30, 35, 45, 60, 90, 120, 180, 365]


def title(rng: random.Random, numbered: float = 0.35) -> str:
    return rng.choice(NUMBERED if rng.random() < numbered else TITLES)


def count(rng: random.Random, top: int = 400) -> int:
    return rng.choice(COMMON_COUNTS) if rng.random() < 0.7 else rng.randint(1, top)


def future_day(rng: random.Random, low: int = 0, high: int = 800) -> date:
    return TODAY + timedelta(days=rng.randint(low, high))


def yearless_day(rng: random.Random, low: int, high: int) -> date:
    """A day whose month and day are typed without a year (never 29 Feb)."""
    while True:
        day = TODAY + timedelta(days=rng.randint(low, high))
        if (day.month, day.day) != (2, 29):
            return day


@dataclass(frozen=True)
class Trigger:
    day: date
    rendered: Rendered
    yearless: bool

    def unless_ambiguous(self, expected: Expected) -> Expected:
        """An ambiguous trigger (12/3/2027) leaves no single right answer."""
        return ask("ambiguous numeric date") if self.rendered.ambiguous else expected


def trigger(rng: random.Random, yearless: float = 0.0, low: int = -60, high: int = 720) -> Trigger:
    """A trigger date: typed with its year, or without one within 100 days of today, where
    the nearest occurrence (Clerk's documented reading inside a rule phrase) is unmistakable."""
    if rng.random() < yearless:
        day = yearless_day(rng, -100, 100)
        assert nearest(day.month, day.day) == day
        return Trigger(day, render_date(day, rng.choice(YEARLESS), rng), yearless=True)
    day = TODAY + timedelta(days=rng.randint(low, high))
    return Trigger(day, render_date(day, rng.choice(WITH_YEAR), rng), yearless=False)


def join(*parts: str) -> str:
    return " ".join(p for p in parts if p)
