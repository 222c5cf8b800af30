"""Spanish, Greek and Chinese phrases, for a firm with ``CLERK_LANGUAGES=en,es,el,zh``.

Run in a second firm because the default test firm reads English only, and adding languages
changes what some English words can mean ("mar" is March in both, "dic" only in Spanish).
The shapes follow how each language states a period: "21 días después del 1 de diciembre",
"21 ημέρες μετά τις 1 Δεκεμβρίου", "12月1日后21天" (the date first, then the count).
"""

from __future__ import annotations

import random
from datetime import date

from tests.deadlines.corpus.oracle import (
    Direction,
    Expected,
    Period,
    Unit,
    expect_plain,
    expect_rule,
    next_on_or_after,
)
from tests.deadlines.corpus.phrase import Phrase, count, future_day, join, trigger, yearless_day

SPANISH_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
GREEK_MONTHS = [
    "Ιανουαρίου",
    "Φεβρουαρίου",
    "Μαρτίου",
    "Απριλίου",
    "Μαΐου",
    "Ιουνίου",
    "Ιουλίου",
    "Αυγούστου",
    "Σεπτεμβρίου",
    "Οκτωβρίου",
    "Νοεμβρίου",
    "Δεκεμβρίου",
]
TITLES = {
    "es": ["Réplica", "Contestación a la demanda", "Recurso de apelación", "Alegatos"],
    "el": ["Υπόμνημα", "Προτάσεις", "Έφεση", "Αντίκρουση"],
    "zh": ["答辩状", "上诉状", "证据清单", "反诉状"],
}
PLAIN_KEYWORDS = {
    "es": ["el", "para el", "vence el", "a más tardar el", ""],
    "el": ["στις", "έως τις", "μέχρι τις", ""],
    "zh": ["", "截止", "于"],
}


def _date(language: str, day: date, with_year: bool) -> str:
    if language == "es":
        text = f"{day.day} de {SPANISH_MONTHS[day.month - 1]}"
        return f"{text} de {day.year}" if with_year else text
    if language == "el":
        text = f"{day.day} {GREEK_MONTHS[day.month - 1]}"
        return f"{text} {day.year}" if with_year else text
    text = f"{day.month}月{day.day}日"
    return f"{day.year}年{text}" if with_year else text


def _plain(rng: random.Random, language: str) -> tuple[str, str, Expected]:
    keyword = rng.choice(PLAIN_KEYWORDS[language])
    if rng.random() < 0.3:
        day = yearless_day(rng, -200, 300)
        typed, expected = (
            _date(language, day, False),
            expect_plain(next_on_or_after(day.month, day.day)),
        )  # noqa: E501
    else:
        day = future_day(rng, -30, 700)
        typed, expected = _date(language, day, True), expect_plain(day)
    return keyword, typed, expected


def _rule_text(language: str, n: int, court: bool, after: bool, typed: str) -> str:
    if language == "es":
        unit = (
            ("día hábil" if n == 1 else "días hábiles") if court else ("día" if n == 1 else "días")
        )  # noqa: E501
        return join(str(n), unit, "después del" if after else "antes del", typed)
    if language == "el":
        unit = "εργάσιμες ημέρες" if court else ("ημέρα" if n == 1 else "ημέρες")
        return join(str(n), unit, "μετά τις" if after else "πριν τις", typed)
    unit = "个工作日" if court else "天"
    return f"{typed}{'后' if after else '前'}{n}{unit}"


def phrase(rng: random.Random) -> Phrase:
    """One phrase in Spanish, Greek or Chinese: a plain date or a counted period."""
    language = rng.choice(["es", "el", "zh"])
    t = rng.choice(TITLES[language])
    space = "" if language == "zh" and rng.random() < 0.6 else " "
    if rng.random() < 0.4:
        keyword, typed, expected = _plain(rng, language)
        text = t + space + join(keyword, typed) if language == "zh" else join(t, keyword, typed)
        return Phrase(text, f"intl_{language}", "plain", t, expected, firm="intl")
    court, after = rng.random() < 0.3, rng.random() < 0.6
    n = rng.randint(1, 20) if court else count(rng, 90)
    when = trigger(rng, yearless=0.25)
    typed = _date(language, when.day, not when.yearless)
    body = _rule_text(language, n, court, after, typed)
    period = Period(
        n, Unit.COURT_DAY if court else Unit.DAY, Direction.AFTER if after else Direction.BEFORE
    )
    expected = expect_rule(when.day, period)
    variant = f"{'court' if court else 'days'}/{'after' if after else 'before'}"
    return Phrase(t + space + body, f"intl_{language}", variant, t, expected, firm="intl")
