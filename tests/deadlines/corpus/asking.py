"""Shapes with no single right answer, and the issue's own findings.

Why apart from the answerable shapes: for these the only safe outcome is a question or a
refusal (a misspelt "afer", a count of "1e9" or "eighteen (19)", two directions at once), so
any stored row is WRONG whatever its date. Keeping them together makes that contract plain.
"""

from __future__ import annotations

import random
from datetime import date

from tests.deadlines.corpus.oracle import (
    Direction,
    Period,
    Unit,
    ask,
    expect_plain,
    expect_rule,
    next_on_or_after,
)
from tests.deadlines.corpus.phrase import Phrase, count, future_day, join, title, trigger

TYPOS = {
    "days": ["dyas", "dys", "dasy", "dayss"],
    "after": ["afer", "aftr", "atfer"],
    "before": ["befor", "beofre", "bfore"],
    "court days": ["cort days", "court dyas"],
}


ODD_COUNTS = {
    "zero": "0",
    "negative": "-21",
    "negative-court": "-5",
    "sci": "1e9",
    "sci-small": "2e1",
    "decimal": "21.5",
    "missing": "",
    "huge": "1000000",
    "mismatch": "eighteen (19)",
    "mismatch-2": "twenty-one (12)",
    "fraction": "1/2",
    "range": "14-21",
}


def count_odd(rng: random.Random) -> Phrase:
    """Counts with no single right reading: each must be asked about or refused."""
    variant = rng.choice(list(ODD_COUNTS))
    t, when = title(rng), trigger(rng, 0.2)
    court = variant == "negative-court" or rng.random() < 0.2
    word = rng.choice(["after", "before"])
    text = join(t, ODD_COUNTS[variant], "court days" if court else "days", word, when.rendered.text)
    return Phrase(text, "count_odd", variant, t, ask(f"count {variant}"))


def typo(rng: random.Random) -> Phrase:
    """A misspelt unit or direction: Clerk must not guess which word was meant."""
    key = rng.choice(list(TYPOS))
    t, when, n = title(rng), trigger(rng, 0.2), count(rng, 60)
    unit = "court days" if key == "court days" else "days"
    direction = "before" if key == "before" else rng.choice(["after", "before"])
    unit = rng.choice(TYPOS[key]) if key in ("days", "court days") else unit
    direction = rng.choice(TYPOS[key]) if key in ("after", "before") else direction
    text = join(t, str(n), unit, direction, when.rendered.text)
    return Phrase(text, "typo", key, t, ask("a typo"))


def within_of(rng: random.Random) -> Phrase:
    """ "within 21 days of DATE": before or after the date? No single answer."""
    t, when, n = title(rng), trigger(rng, 0.2), count(rng, 60)
    text = join(t, "within", str(n), "days of", when.rendered.text)
    return Phrase(text, "within_of", "of", t, ask("direction unclear"))


def months(rng: random.Random) -> Phrase:
    """Months and years are not counted by the rules (no FRCP rule for month ends)."""
    t, when, n = title(rng), trigger(rng, 0.2), rng.randint(1, 12)
    unit = rng.choice(["months", "month", "years"]) if n > 1 else rng.choice(["month", "year"])
    text = join(t, str(n), unit, rng.choice(["after", "before"]), when.rendered.text)
    return Phrase(text, "months", unit, t, ask("months are not counted"))


def contradiction(rng: random.Random) -> Phrase:
    t, when, n = title(rng), trigger(rng), count(rng, 60)
    other = future_day(rng, 1, 400)
    forms = {
        "after-before": join(t, str(n), "days after before", when.rendered.text),
        "before-after": join(t, str(n), "days before after", when.rendered.text),
        "two-dates": join(
            t, "on", when.rendered.text, "or", f"{other:%b} {other.day} {other.year}"
        ),
        "two-periods": join(t, str(n), "days after", str(n + 7), "days before", when.rendered.text),
    }
    variant = rng.choice(list(forms))
    return Phrase(forms[variant], "contradiction", variant, t, ask("contradiction"))


def regressions() -> list[Phrase]:
    """The held-out fuzz's findings (issue 25), always in the corpus and every sample."""

    def rule(text: str, t: str, n: int, unit: Unit, d: Direction, on: date) -> Phrase:
        return Phrase(text, "regression", text, t, expect_rule(on, Period(n, unit, d)))

    return [
        rule(
            "Opposition 30 days in advance of trial on June 28, 2027",
            "Opposition",
            30,
            Unit.DAY,
            Direction.BEFORE,
            date(2027, 6, 28),
        ),
        rule(
            "Reply 3,902 days after Dec 17 2026",
            "Reply",
            3902,
            Unit.DAY,
            Direction.AFTER,
            date(2026, 12, 17),
        ),
        Phrase("Answer days after Dec 1", "regression", "no count", "Answer", ask("no count")),
        Phrase("Brief 1e9 days after Dec 1 2027", "regression", "1e9", "Brief", ask("1e9")),
        Phrase(
            "Objections -21 court days before Dec 1 2028",
            "regression",
            "negative",
            "Objections",
            ask("negative count"),
        ),
        Phrase(
            "Form 1040 Dec 3",
            "regression",
            "Form 1040",
            "Form 1040",
            expect_plain(next_on_or_after(12, 3)),
        ),
    ]
