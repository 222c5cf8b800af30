"""A seeded generator of ``/deadline`` phrases, each with the oracle's answer.

Why so many shapes: the held-out fuzz found wrong dates where a title ended in a number,
where event words sat between the period and the date, and where a count was odd ("3,902",
"1e9", "-21"). Each shape here aims at one such way of typing, so the report per shape says
which kind of phrase Clerk still misreads. The same seed always gives the same corpus.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import time

from tests.deadlines.corpus import intl
from tests.deadlines.corpus.asking import (
    contradiction,
    count_odd,
    months,
    regressions,
    typo,
    within_of,
)
from tests.deadlines.corpus.oracle import (
    Direction,
    Period,
    Unit,
    ask,
    expect_plain,
    expect_rule,
    next_on_or_after,
)
from tests.deadlines.corpus.phrase import (
    NUMBERED,
    Phrase,
    count,
    future_day,
    join,
    title,
    trigger,
    yearless_day,
)
from tests.deadlines.corpus.render import WITH_YEAR, YEARLESS, render_date, render_time, words

SEED = 25
SIZE = 5_400
AFTER_WORDS = ["after", "following", "from"]
BEFORE_WORDS = ["before", "prior to", "in advance of", "ahead of"]
AFTER_EVENTS = [
    "after entry of judgment on",
    "after service of the complaint on",
    "after the hearing on",
    "following entry of the order on",
    "after the verdict on",
    "after the deposition on",
]
BEFORE_EVENTS = [
    "before trial on",
    "prior to the hearing on",
    "in advance of trial on",
    "ahead of the conference on",
    "before the pretrial conference on",
    "prior to trial on",
]
COURT_UNITS = ["court days", "business days", "court-days", "working days"]
CONNECTORS = ["on", "by", "due", "due on", "due by", ""]


def _unit_text(n: int, unit: str) -> str:
    return unit[:-1] if n == 1 and unit in ("days", "weeks") else unit


def _rule(
    rng: random.Random,
    shape: str,
    variant: str,
    *,
    n: int,
    unit: Unit,
    unit_text: str,
    direction: Direction,
    words_between: str,
    count_text: str | None = None,
    yearless: float = 0.0,
    by_mail: bool = False,
    lead: str = "",
) -> Phrase:
    """``TITLE [due] N UNIT WORDS DATE`` with its oracle answer."""
    t = title(rng)
    when = trigger(rng, yearless)
    due = "due" if rng.random() < 0.12 and not lead else ""
    typed = count_text if count_text is not None else str(n)
    text = join(t, due, lead, typed, _unit_text(n, unit_text), words_between, when.rendered.text)
    expected = when.unless_ambiguous(
        expect_rule(when.day, Period(n, unit, direction, by_mail=by_mail))
    )
    return Phrase(text, shape, f"{variant}/{when.rendered.style}", t, expected)


# --- plain dates -----------------------------------------------------------------------------


def plain(rng: random.Random) -> Phrase:
    t, day, conn = title(rng), future_day(rng), rng.choice(CONNECTORS)
    r = render_date(day, rng.choice(WITH_YEAR), rng)
    expected = ask("ambiguous numeric date") if r.ambiguous else expect_plain(day)
    return Phrase(join(t, conn, r.text), "plain", f"{r.style}/{conn or 'none'}", t, expected)


def plain_yearless(rng: random.Random) -> Phrase:
    """No year: the next such day on or after today (Clerk may ask about a past-looking one)."""
    t, conn = title(rng), rng.choice(CONNECTORS)
    day = yearless_day(rng, -200, 300)
    r = render_date(day, rng.choice(YEARLESS), rng)
    expected = expect_plain(next_on_or_after(day.month, day.day))
    return Phrase(
        join(t, conn, r.text), "plain_yearless", f"{r.style}/{conn or 'none'}", t, expected
    )


def title_number(rng: random.Random) -> Phrase:
    """A title ending in a number straight before the date ("Form 1040 Dec 3")."""
    t = rng.choice(NUMBERED)
    if rng.random() < 0.5:
        day = yearless_day(rng, -200, 300)
        r = render_date(day, rng.choice(YEARLESS), rng)
        expected = expect_plain(next_on_or_after(day.month, day.day))
    else:
        day = future_day(rng)
        r = render_date(day, rng.choice(WITH_YEAR), rng)
        expected = ask("ambiguous numeric date") if r.ambiguous else expect_plain(day)
    return Phrase(join(t, r.text), "title_number", r.style, t, expected)


def plain_time(rng: random.Random) -> Phrase:
    t, conn = title(rng), rng.choice(["on", "by", "due", ""])
    day = future_day(rng, 0, 400)
    r = render_date(day, rng.choice(("mdy", "mdy_long", "iso", "dmy", "ordinal")), rng)
    roll = rng.random()
    if roll < 0.1:
        bare = rng.choice(["1:00", "3:00", "4:30", "6:15", "midnight", "12am"])
        text = join(t, conn, r.text, bare)
        return Phrase(text, "plain_time", "ambiguous-time", t, ask("a time without am/pm"))
    at = time(rng.randint(7, 20), rng.choice([0, 0, 15, 30, 45]))
    typed = render_time(at, rng)
    text = join(t, conn, r.text, "at" if roll < 0.5 else "", typed)
    return Phrase(text, "plain_time", r.style, t, expect_plain(day, at))


def plain_past(rng: random.Random) -> Phrase:
    t, conn = title(rng), rng.choice(CONNECTORS)
    day = future_day(rng, -900, -1)
    r = render_date(day, rng.choice(("mdy", "mdy_long", "iso", "dmy", "ordinal")), rng)
    return Phrase(join(t, conn, r.text), "plain_past", r.style, t, expect_plain(day))


def plain_weekday(rng: random.Random) -> Phrase:
    """A weekday typed with the date: right, or contradicting it (must ask)."""
    t, conn, day = title(rng), rng.choice(["on", "by", "due", ""]), future_day(rng, 1, 500)
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    wrong = rng.random() < 0.4
    wd = (day.weekday() + rng.randint(1, 6)) % 7 if wrong else day.weekday()
    text = join(t, conn, f"{names[wd]} {day:%b} {day.day} {day.year}")
    expected = ask("weekday contradicts the date") if wrong else expect_plain(day)
    return Phrase(text, "plain_weekday", "wrong" if wrong else "right", t, expected)


# --- counted periods -------------------------------------------------------------------------


def rule_after(rng: random.Random) -> Phrase:
    n, word = count(rng), rng.choice([*AFTER_WORDS, "within"])
    within = word == "within"
    return _rule(
        rng,
        "rule_after",
        word,
        n=n,
        unit=Unit.DAY,
        unit_text="days",
        direction=Direction.AFTER,
        words_between="after" if within else word,
        lead="within" if within else "",
    )


def rule_before(rng: random.Random) -> Phrase:
    n, word = count(rng, 120), rng.choice(BEFORE_WORDS)
    return _rule(
        rng,
        "rule_before",
        word,
        n=n,
        unit=Unit.DAY,
        unit_text="days",
        direction=Direction.BEFORE,
        words_between=word,
    )


def rule_event(rng: random.Random) -> Phrase:
    """Event words between the period and the date: "30 days before trial on June 28"."""
    after = rng.random() < 0.5
    event = rng.choice(AFTER_EVENTS if after else BEFORE_EVENTS)
    direction = Direction.AFTER if after else Direction.BEFORE
    return _rule(
        rng,
        "rule_event",
        event.split()[0],
        n=count(rng, 120),
        unit=Unit.DAY,
        unit_text="days",
        direction=direction,
        words_between=event,
    )


def rule_court(rng: random.Random) -> Phrase:
    after = rng.random() < 0.5
    word = rng.choice(AFTER_WORDS if after else BEFORE_WORDS)
    unit_text = rng.choice(COURT_UNITS)
    return _rule(
        rng,
        "rule_court",
        f"{unit_text}/{word}",
        n=rng.randint(1, 40),
        unit=Unit.COURT_DAY,
        unit_text=unit_text,
        direction=Direction.AFTER if after else Direction.BEFORE,
        words_between=word,
    )


def rule_weeks(rng: random.Random) -> Phrase:
    after = rng.random() < 0.5
    word = rng.choice(["after", "before", "following", "prior to"][0 if after else 1 :: 2])
    return _rule(
        rng,
        "rule_weeks",
        word,
        n=rng.randint(1, 12),
        unit=Unit.WEEK,
        unit_text="weeks",
        direction=Direction.AFTER if after else Direction.BEFORE,
        words_between=word,
    )


def rule_calendar(rng: random.Random) -> Phrase:
    after = rng.random() < 0.5
    word = "after" if after else "before"
    return _rule(
        rng,
        "rule_calendar",
        word,
        n=count(rng, 120),
        unit=Unit.DAY,
        unit_text="calendar days",
        direction=Direction(word),
        words_between=word,
    )


def rule_mail(rng: random.Random) -> Phrase:
    """FRCP 6(d): 3 days added after the period when service was by mail."""
    court = rng.random() < 0.15
    return _rule(
        rng,
        "rule_mail",
        "court" if court else "days",
        n=rng.randint(1, 15) if court else count(rng, 60),
        unit=Unit.COURT_DAY if court else Unit.DAY,
        unit_text="court days" if court else "days",
        direction=Direction.AFTER,
        words_between="after service by mail on",
        by_mail=True,
    )


def rule_service(rng: random.Random) -> Phrase:
    """Service not by mail: no 3 days added."""
    return _rule(
        rng,
        "rule_service",
        "service",
        n=count(rng, 60),
        unit=Unit.DAY,
        unit_text="days",
        direction=Direction.AFTER,
        words_between="after service on",
    )


def rule_yearless(rng: random.Random) -> Phrase:
    """A trigger with no year: the nearest such day."""
    after = rng.random() < 0.6
    word = rng.choice(AFTER_WORDS if after else BEFORE_WORDS)
    return _rule(
        rng,
        "rule_yearless",
        word,
        n=count(rng, 90),
        unit=Unit.DAY,
        unit_text="days",
        direction=Direction.AFTER if after else Direction.BEFORE,
        words_between=word,
        yearless=1.0,
    )


def count_words(rng: random.Random) -> Phrase:
    """Counts spelled out, alone or with the figure in brackets as contracts write them."""
    n, paren = rng.randint(1, 60), rng.random() < 0.5
    typed = f"{words(n)} ({n})" if paren else words(n)
    after = rng.random() < 0.6
    return _rule(
        rng,
        "count_words",
        "paren" if paren else "words",
        n=n,
        unit=Unit.DAY,
        unit_text="days",
        direction=Direction.AFTER if after else Direction.BEFORE,
        words_between="after" if after else "before",
        count_text=typed,
    )


def count_thousands(rng: random.Random) -> Phrase:
    """ "1,000" and "3,902": the comma is a thousands separator, not a list."""
    n = rng.choice([1000, 1095, 1460, 2000, 3902, rng.randint(1000, 4000)])
    return _rule(
        rng,
        "count_thousands",
        "comma",
        n=n,
        unit=Unit.DAY,
        unit_text="days",
        direction=Direction.AFTER,
        words_between="after",
        count_text=f"{n:,}",
    )


Builder = Callable[[random.Random], Phrase]
WEIGHTS: dict[Builder, int] = {
    plain: 10,
    plain_yearless: 7,
    title_number: 7,
    plain_time: 6,
    plain_past: 3,
    plain_weekday: 4,
    rule_after: 10,
    rule_before: 8,
    rule_event: 8,
    rule_court: 7,
    rule_weeks: 4,
    rule_calendar: 2,
    rule_mail: 5,
    rule_service: 2,
    rule_yearless: 5,
    count_words: 4,
    count_thousands: 2,
    count_odd: 4,
    typo: 4,
    within_of: 2,
    months: 2,
    contradiction: 2,
}


def corpus(size: int = SIZE, seed: int = SEED) -> list[Phrase]:
    """``size`` distinct phrases (about 8% in Spanish, Greek and Chinese), regressions first."""
    rng = random.Random(seed)
    builders = list(WEIGHTS)
    weights = [WEIGHTS[b] for b in builders]
    found: dict[tuple[str, str], Phrase] = {(p.firm, p.text): p for p in regressions()}
    wanted_intl = size * 8 // 100
    attempts = 0
    while len(found) < size and attempts < size * 20:
        attempts += 1
        intl_count = sum(1 for p in found.values() if p.firm == "intl")
        if intl_count < wanted_intl and rng.random() < 0.1:
            phrase = intl.phrase(rng)
        else:
            phrase = rng.choices(builders, weights)[0](rng)
        found.setdefault((phrase.firm, phrase.text), phrase)
    return list(found.values())


def sample(size: int, seed: int = SEED) -> list[Phrase]:
    """The regressions and a seeded draw from the whole corpus: what the default suite runs."""
    everything = corpus(seed=seed)
    fixed = [p for p in everything if p.shape == "regression"]
    rest = [p for p in everything if p.shape != "regression"]
    return fixed + random.Random(seed + 1).sample(rest, max(0, size - len(fixed)))
