"""Periods left in a title: what a date search could not count, found before anything is stored.

Why: ``split_trailing`` takes the longest phrase at the end that reads as a date. When the
period before it is typed in a way Clerk does not read ("21 dyas after Dec 1", "-21 days
before", "1e9 days after", "30 days pre-trial Jun 1"), the search falls back to the trigger
date alone and the period stays in the title: storing that stores the trigger as the deadline
(the held-out fuzz found 377 such phrases). So the title is checked here. One that still holds
a count with a day/week/month word (any configured language, misspelt, spelled out, glued as
"21days"), or a unit or title ending in a period's connector, is never stored as it is: the
caller offers a corrected reading when ``suggest`` finds one, and refuses otherwise.

A count that no correction can make right (negative, "1e9", "21.5", "14-21", "1 454") is named
with the reason, so the refusal says what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.dates.folding import fold
from bot.dates.languages import Lexicon
from bot.dates.resolve import NotUnderstood, UnreadTrigger
from bot.errors import InvalidInput

_T = TypeVar("_T")
_TOKEN = re.compile(r"[^\W\d_]+|\d+|\S")
_SIGN = "-+−–"
_GROUPS = re.compile(r"\d{1,3} \d{3}")
# "21天", "后21天", "21个工作日": a Chinese period, understood or not, is never a title.
_ZH_PERIOD = re.compile(
    r"(?:以前|以后|以後|之前|之后|之後|前|后|後)?\s*(?:\d[\d,]*|[零〇一二两兩三四五六七八九十]+)"
    r"\s*(?:个|個)?\s*(?:工作日|天|周|週|星期)"
)
# Connectors whose presence at the very end of a title says the date is a trigger, not the
# deadline ("Objections before" Dec 1). Weaker ones ("from", "of") count only after a unit.
_STRONG = ("after", "before", "following", "prior to", "in advance of", "ahead of", "within")
_STRONG += ("preceding", "subsequent to", "antes de", "antes del", "después de", "después del")
_STRONG += ("tras", "dentro de", "de antelación a", "de antelación al", "πριν", "πριν από")
_STRONG += ("μετά", "μετά από", "εντός")
_PREFIXES = {"pre": "before", "post": "after"}  # "30 days pre-trial", "14 days post-service"


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one typo: a letter added, dropped, changed or two
    neighbours swapped ("dyas", "afer", "beofre", "dayss")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _nearest(word: str, known: frozenset[str], shortest: int) -> str | None:
    """The known word ``word`` is a typo of (words of ``shortest`` letters or more only)."""
    if len(word) < 3:
        return None
    return next((k for k in sorted(known) if len(k) >= shortest and _one_edit(word, k)), None)


@dataclass(frozen=True)
class Correction:
    """One way to read a left period: the title ends at ``title_end``, the period is ``words``
    (typos put right). "Reply 1 454 days after" has two: 454 days titled "Reply 1", and 1454
    days titled "Reply"."""

    title_end: int
    words: str


@dataclass(frozen=True)
class LeftPeriod:
    """A period found in a title: where it starts, its words as typed, and how to read it.

    ``problem`` says why no corrected reading can be offered (a negative count...), None when
    the ``corrections`` may read as a period.
    """

    start: int
    words: str
    corrections: tuple[Correction, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


class PeriodWords:
    """The period vocabulary of one set of configured languages, for checking titles."""

    def __init__(self, lexicon: Lexicon) -> None:
        lx = self.lex = lexicon
        single = {p for p in lx.units if " " not in p and "-" not in p}
        parts = {w for p in lx.units for w in re.split(r"[\s-]", p)}
        self.nouns = frozenset(single)
        self.modifiers = frozenset(parts - single)
        self.connectors = frozenset(lx.after_words | lx.before_words | lx.within_words)
        self.strong = frozenset(fold(c) for c in _STRONG)
        self.connector_words = frozenset(w for c in self.connectors for w in c.split())
        self.leads = frozenset(lx.period_leads)
        self.numbers = lx.numbers

    # -- finding -------------------------------------------------------------------------------

    def find(self, title: str) -> LeftPeriod | None:
        """The period left in ``title`` (typed text), None when the title holds none."""
        folded = fold(title)
        tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
        for index, token in enumerate(tokens):
            if self._unit(token.text) is None:
                continue
            found = self._period_at(title, tokens, index)
            if found is not None:
                return found
        zh = _ZH_PERIOD.search(folded)
        if zh is not None:
            words = title[zh.start() :]
            return LeftPeriod(zh.start(), words, (Correction(zh.start(), words),))
        return self._connector_at_end(title, folded)

    def _unit(self, word: str) -> str | None:
        """The unit word ``word`` is, or is a typo of."""
        if word in self.nouns:
            return word
        return _nearest(word, self.nouns, 4)

    def _period_at(self, title: str, tokens: list[_Token], unit: int) -> LeftPeriod | None:
        """The period around the unit at ``tokens[unit]``, if its count or connector is there."""
        first = unit
        while first > 0 and (
            tokens[first - 1].text == "-"
            or tokens[first - 1].text in self.modifiers
            or _nearest(tokens[first - 1].text, self.modifiers, 5)
        ):
            first -= 1
        count_start = self._count_start(tokens, first)
        after = tokens[unit + 1 :]
        follows = self._connector_follows(after)
        if count_start is None and not follows:
            return None  # "Rule 26(f) report on the days"? no count, no connector: a title
        if count_start is not None and not follows and after and self._adjective(tokens, unit):
            return None  # "Notice of 30-day hold": a period named, not counted from the date
        if count_start is None:
            start = tokens[first].start
            return LeftPeriod(start, title[start:], (), "there is no number of days")
        start = self._lead_start(title, tokens[count_start].start)
        count = title[tokens[count_start].start : tokens[first].start].strip()
        if _GROUPS.fullmatch(count):
            # "1 454 days": 454 days after a title ending in 1, or 1,454 days? Both are offered.
            last = tokens[first - 1].start
            joined = self._correct(title, tokens, start).replace(count, count.replace(" ", ""), 1)
            corrections = (
                Correction(last, self._correct(title, tokens, last)),
                Correction(start, joined),
            )
            return LeftPeriod(start, title[start:], corrections)
        corrections = (Correction(start, self._correct(title, tokens, start)),)
        return LeftPeriod(start, title[start:], corrections, self._count_problem(count))

    def _count_start(self, tokens: list[_Token], first: int) -> int | None:
        """Index of the first token of the count before ``tokens[first]``, None if none."""
        i = first - 1
        if i >= 0 and tokens[i].text == ")":  # "eighteen (18)"
            while i >= 0 and tokens[i].text != "(":
                i -= 1
            i -= 1
            if i < 0:
                return None
        if i >= 0 and tokens[i].text.isdigit():
            while (
                i >= 2
                and tokens[i - 2].text.isdigit()
                and (
                    tokens[i - 1].text in ",.'/’" + _SIGN
                    or (tokens[i - 1].text == "e" and tokens[i - 1].start == tokens[i - 2].end)
                )
            ):
                i -= 2
            while i >= 1 and tokens[i - 1].text.isdigit():  # "1 454": groups split by a space
                i -= 1
            sign = tokens[i - 1] if i >= 1 else None
            if sign and sign.text in _SIGN and sign.end == tokens[i].start:
                glued = i >= 2 and tokens[i - 2].end == sign.start  # "K-1": a title's, no sign
                i -= 0 if glued else 1
            return i
        for width in (3, 2, 1):  # "twenty-one", "twenty one", "eighteen"
            if i - width + 1 < 0:
                continue
            span = tokens[i - width + 1 : i + 1]
            words = " ".join(t.text for t in span if t.text != "-")
            if words in self.numbers or words.replace(" ", "-") in self.numbers:
                return i - width + 1
        return None

    def _lead_start(self, title: str, start: int) -> int:
        """Move ``start`` back over a lead ("within 7 days", "dentro de 10 días")."""
        before = fold(title[:start]).rstrip()
        for lead in sorted(self.leads, key=len, reverse=True):
            at = len(before) - len(lead)
            if before.endswith(lead) and (at == 0 or before[at - 1] == " "):
                return at
        return start

    def _connector_follows(self, after: list[_Token]) -> bool:
        if not after:
            return False
        first = after[0].text
        if first in self.connector_words or first in self.lex.event_links:
            return True
        if first in _PREFIXES and len(after) > 1 and after[1].text == "-":
            return True
        return _nearest(first, self.connector_words, 5) is not None

    def _adjective(self, tokens: list[_Token], unit: int) -> bool:
        """'30-day hold', '10 day notice': a singular unit before a noun names a period."""
        word = tokens[unit].text
        return word in self.nouns and not word.endswith(("s", "σ"))

    def _connector_at_end(self, title: str, folded: str) -> LeftPeriod | None:
        words = folded.split()
        for width in (3, 2, 1):
            tail = " ".join(words[-width:])
            if len(words) >= width and tail in self.strong:
                start = len(folded.rstrip()) - len(tail)
                return LeftPeriod(start, title[start:], (), "there is no number of days")
        return None

    # -- what to say ---------------------------------------------------------------------------

    @staticmethod
    def _count_problem(count: str) -> str | None:
        folded = fold(count)
        if re.search(r"\de", folded):
            return f"`{count}` is not a number of days Clerk can count"
        if folded[:1] in _SIGN:
            return f"a period cannot be a negative number of days (`{count}`)"
        if re.search(r"\d[./]\d", folded):
            return f"`{count}` is not a whole number of days"
        if re.search(r"\d[-–]\d", folded):
            return f"`{count}` is a range: give one number of days"
        return None

    def _correct(self, title: str, tokens: list[_Token], start: int) -> str:
        """The period's words with misspelt units and connectors put right."""
        out: list[str] = []
        position = start
        mine = [t for t in tokens if t.start >= start]
        skip_dash = False
        for token in mine:
            out.append(title[position : token.start])
            position = token.end
            text = token.text
            if skip_dash and text == "-":
                skip_dash = False
                out.append(" ")
                continue
            skip_dash = False
            if text in _PREFIXES and (nxt := _next(mine, token)) is not None and nxt.text == "-":
                out.append(_PREFIXES[text])
                skip_dash = True
                continue
            known = self.nouns | self.modifiers | self.connector_words
            if text in known or text.isdigit() or not text.isalpha():
                out.append(title[token.start : token.end])
                continue
            fixed = (
                _nearest(text, self.nouns, 4)
                or _nearest(text, self.modifiers, 5)
                or _nearest(text, self.connector_words, 5)
            )
            out.append(fixed or title[token.start : token.end])
        out.append(title[position:])
        return "".join(out).strip()

    def suggest(
        self, left: LeftPeriod, source: str, parse: Callable[[str], _T]
    ) -> list[tuple[Correction, _T]]:
        """Each correction that reads as a period with the date, with its reading.

        Tried as typed after correction, then with "on" before the date ("30 days before
        trial Jun 1"): all are guesses, so the caller asks before storing any.
        """
        found: list[tuple[Correction, _T]] = []
        refused: InvalidInput | None = None
        if left.problem is not None:
            return found
        for correction in left.corrections:
            phrases = [f"{correction.words} {source}"]
            if not correction.words.lower().endswith((" on", " of")):
                phrases.append(f"{correction.words} on {source}")
            for phrase in phrases:
                try:
                    found.append((correction, parse(phrase)))
                    break
                except (NotUnderstood, UnreadTrigger):
                    continue
                except InvalidInput as refusal:  # read, but refused ("1,000,000 days")
                    refused = refused or refusal
                    break
        if not found and refused is not None:
            raise refused  # the reason is the answer when no other reading is left
        return found


def _next(tokens: list[_Token], token: _Token) -> _Token | None:
    index = tokens.index(token)
    return tokens[index + 1] if index + 1 < len(tokens) else None
