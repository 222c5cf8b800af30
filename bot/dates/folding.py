"""Folding typed text for matching without losing track of where each character came from.

Lawyers type "Παρασκευή", "παρασκευη", "PARASKEVI"-less capitals, "mañana" or "manana",
full-width "１２月３日" from a Chinese keyboard. Matching runs on a folded copy (lower case,
accents dropped, full-width forms narrowed, final sigma made ordinary) that has exactly one
character per input character, so a match found in the folded copy is also the exact span of
the original text: ``ParsedDate.source`` and the title left by ``split_trailing`` are the
user's own characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# One token per CJK character (Chinese has no spaces, so any character can start a date),
# runs of digits, runs of other letters, and any other single non-space character.
_TOKEN = re.compile(rf"[{_CJK}]|\d+|[^\W\d_{_CJK}]+|[^\s]", re.UNICODE)
# A comma is noise except between digit groups: "3,902 days" is one count, not "3" and "902".
_LIST_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")
_TIDY_EDGES = " .;:!?\"'«»“”‘’-–—。；：！？"
_EDGE_PUNCTUATION = " \t\r\n,.;:!?()[]{}\"'«»“”‘’-–—，。；：！？（）、"


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    narrow = unicodedata.normalize("NFKC", char)
    if len(narrow) != 1:
        narrow = char
    parts = unicodedata.normalize("NFD", narrow)
    base = parts[0] if all(unicodedata.combining(c) for c in parts[1:]) else narrow
    if len(base) != 1:
        base = narrow
    lower = base.lower()
    if len(lower) != 1:
        lower = base
    if lower == "ς":
        return "σ"
    if lower.isspace():
        return " "
    return lower


def fold(text: str) -> str:
    """Lower-case, accent-free text of exactly the same length as ``text``."""
    return "".join(_fold_char(c) for c in text)


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token; a date phrase can only begin or end on these bounds."""
    return [m.span() for m in _TOKEN.finditer(text)]


def tidy(folded: str) -> str:
    """Commas and doubled spaces are noise once the phrase is folded: 'fri, dec. 4' -> ..."""
    text = _LIST_COMMA.sub(" ", folded).replace("，", " ").replace("、", " ")
    text = re.sub(r"\s+", " ", text)
    return text.strip(_TIDY_EDGES)


def strip_edges(text: str) -> str:
    """Drop separators a title or a source picks up at its ends ('Reply brief -')."""
    return text.strip(_EDGE_PUNCTUATION)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so 'sept' beats 'sep'."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not unique:
        return "(?!)"  # a language with no such words: a pattern that never matches
    return "(?:" + "|".join(re.escape(w) for w in unique) + ")"
