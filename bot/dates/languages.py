"""The words Clerk's own date grammar knows, per language (en, es, el, zh, and any other).

Why Clerk keeps its own word lists when dateparser has some: dateparser misses or misreads
exactly the phrases a docket depends on ("el próximo viernes", "下周五", "fin de mes",
"3 court days before"), and the grammar must know which words are date words to refuse the
rest. The tables live in ``vocabulary``, written as a lawyer types them; here they are folded
once (lower case, no accents, final sigma made ordinary) to match the folded input.

For a configured language other than these four, the lexicon takes month and weekday names and
"today/tomorrow/yesterday" from dateparser's own locale data, so weekday names work in every
configured language; anything longer goes to dateparser (with Clerk's checks around it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from bot.dates.folding import fold
from bot.dates.vocabulary import (
    ARTICLES,
    CHINESE,
    COURT_DAY,
    DAY,
    ENGLISH,
    GREEK,
    LAST,
    LAST_WEEK,
    MONTH,
    NEXT,
    NEXT_WEEK,
    PLAIN,
    SPANISH,
    THIS,
    THIS_WEEK,
    WEEK,
    YEAR,
)

__all__ = [
    "COURT_DAY",
    "DAY",
    "LAST",
    "LAST_WEEK",
    "MONTH",
    "NEXT",
    "NEXT_WEEK",
    "PLAIN",
    "THIS",
    "THIS_WEEK",
    "WEEK",
    "YEAR",
    "Lexicon",
    "lexicon_for",
    "merged",
]


def _folded(words: Mapping[str, object]) -> dict[str, object]:
    return {fold(k): v for k, v in words.items()}


@dataclass(frozen=True)
class Lexicon:
    """One language's date vocabulary, folded. Empty fields simply add no patterns."""

    code: str
    months: Mapping[str, int] = field(default_factory=dict)
    weekdays: Mapping[str, int] = field(default_factory=dict)
    days_from_today: Mapping[str, int] = field(default_factory=dict)
    weekday_before: Mapping[str, str] = field(default_factory=dict)
    weekday_after: Mapping[str, str] = field(default_factory=dict)
    articles: frozenset[str] = frozenset()
    units: Mapping[str, str] = field(default_factory=dict)
    numbers: Mapping[str, int] = field(default_factory=dict)
    in_words: frozenset[str] = frozenset()  # "in 3 days", "en 3 días", "σε 3 ημέρες"
    from_now_words: frozenset[str] = frozenset()  # "3 days from now"
    ago_before: frozenset[str] = frozenset()  # "hace 3 días", "πριν από 3 ημέρες"
    ago_after: frozenset[str] = frozenset()  # "3 days ago"
    next_business_day: frozenset[str] = frozenset()
    month_end: Mapping[str, int] = field(default_factory=dict)  # phrase -> months from now
    year_end: Mapping[str, int] = field(default_factory=dict)
    of_month: Mapping[str, int] = field(default_factory=dict)  # "the 3rd of next month"
    after_words: frozenset[str] = frozenset()  # "21 days after DATE"
    before_words: frozenset[str] = frozenset()
    service_by_mail: frozenset[str] = frozenset()  # "after service by mail on DATE"
    service: frozenset[str] = frozenset()  # "after service on DATE" (no 6(d) days)
    by_mail: frozenset[str] = frozenset()  # "... DATE by mail"
    period_leads: frozenset[str] = frozenset()  # "within 21 days after", "dentro de 10 días"
    within_words: frozenset[str] = frozenset()  # "within 21 days of" (only after a lead)
    event_links: frozenset[str] = frozenset()  # "after entry of judgment on DATE"
    mail_words: frozenset[str] = frozenset()  # an event served by mail: FRCP 6(d) applies
    keywords: frozenset[str] = frozenset()  # stripped before a date: "due", "by", "para"
    fillers: frozenset[str] = frozenset()  # words that never make a phrase a date by themselves


def _fs(*words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


_BUILT_IN: dict[str, dict[str, object]] = {
    "en": ENGLISH,
    "es": SPANISH,
    "el": GREEK,
    "zh": CHINESE,
}


def _build(code: str, data: Mapping[str, object]) -> Lexicon:
    values: dict[str, object] = {}
    for name, value in data.items():
        if isinstance(value, Mapping):
            values[name] = _folded(value)
        else:
            values[name] = _fs(*value)  # type: ignore[misc]
    return Lexicon(code=code, **values)  # type: ignore[arg-type]


def _from_dateparser(code: str) -> Lexicon:
    """Month and weekday names, and today/tomorrow/yesterday, from dateparser's locale data."""
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(code).info
    month_keys = "january february march april may june july august september october "
    month_keys += "november december"
    weekday_keys = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    months = {fold(w): i + 1 for i, key in enumerate(month_keys.split()) for w in info.get(key, ())}
    weekdays = {fold(w): i for i, key in enumerate(weekday_keys) for w in info.get(key, ())}
    relative = info.get("relative-type", {})
    days: dict[str, int] = {}
    for key, offset in (("0 day ago", 0), ("in 1 day", 1), ("1 day ago", -1)):
        days.update({fold(w): offset for w in relative.get(key, ())})
    # One- and two-letter abbreviations ("vi", "ma") are too easily part of a title.
    months = {w: m for w, m in months.items() if len(w) > 2}
    weekdays = {w: d for w, d in weekdays.items() if len(w) > 2}
    fillers = frozenset(fold(w) for w in ARTICLES.get(code, ()))
    return Lexicon(
        code=code, months=months, weekdays=weekdays, days_from_today=days, fillers=fillers
    )


@lru_cache(maxsize=64)
def lexicon_for(code: str) -> Lexicon:
    """The lexicon of one language code ('en', 'es', 'el', 'zh', or any dateparser language)."""
    data = _BUILT_IN.get(code)
    return _build(code, data) if data is not None else _from_dateparser(code)


def _plain_words(lexicon: Lexicon) -> set[str]:
    """Every word of a lexicon's phrases other than month and weekday names."""
    words: set[str] = set()
    for name in Lexicon.__dataclass_fields__:
        if name in ("code", "months", "weekdays"):
            continue
        for phrase in getattr(lexicon, name):
            words.update(phrase.split())
    return words


def merged(codes: Sequence[str]) -> Lexicon:
    """One lexicon for all configured languages: a firm that writes "next viernes" is clear."""
    parts = [lexicon_for(c) for c in codes]
    values: dict[str, object] = {}
    for name in Lexicon.__dataclass_fields__:
        if name == "code":
            continue
        items = [getattr(p, name) for p in parts]
        if isinstance(items[0], frozenset):
            values[name] = frozenset().union(*items)
        else:
            combined: dict[str, object] = {}
            for item in items:
                combined.update(item)
            values[name] = combined
    # A word that is a month in one language and a weekday in another ("mar": March, and
    # mardi in French) is read only as the month: a lone "Mar" is then refused, not guessed.
    # A month abbreviation that is an ordinary word of another configured language is not a
    # month at all: Spanish "ago" (agosto) would turn an English "10 ago" into 10 August.
    months = values["months"]
    weekdays = values["weekdays"]
    assert isinstance(months, dict) and isinstance(weekdays, dict)
    for part in parts:
        others = _plain_words(part) - set(part.months)
        for other in parts:
            if other is not part:
                for word in set(other.months) & others:
                    if other.months[word] != part.months.get(word):
                        months.pop(word, None)
    values["weekdays"] = {w: d for w, d in weekdays.items() if w not in months}
    return Lexicon(code="+".join(codes), **values)  # type: ignore[arg-type]
