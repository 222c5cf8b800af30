"""Names as a conflict check compares them: what differs between two spellings of one party
is taken away first, then rapidfuzz scores what is left.

Two records of one party differ in case, accents ("Müller", "Muller"), punctuation
("O'Brien & Co.", "OBrien and Co"), legal form ("Acme, Inc.", "ACME Corporation", "Acme
S.A."), word order ("Smith, John", "John Smith") and typing slips ("Acme Corporaton"). The
first four are removed by :func:`normalise`; word order and slips are what the scorers in
:func:`score` forgive (``token_sort_ratio`` and ``token_set_ratio`` over the normalised
words).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

# Legal forms and the words around them that say nothing about who a party is.
LEGAL_FORMS = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "cos",
        "companies",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "lllp",
        "plc",
        "pllc",
        "pc",
        "pa",
        "gmbh",
        "ag",
        "kg",
        "kgaa",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "aps",
        "pty",
        "pte",
        "sl",
        "sro",
        "kk",
        "se",
        "sca",
        "the",
        "and",
        "of",
        "group",
        "holding",
        "holdings",
        "und",
        "et",
        "y",
    }
)
# Long legal-form words are also dropped when mistyped by one letter ("Corporaton").
_LONG_FORMS = tuple(w for w in LEGAL_FORMS if len(w) >= 7)
# Letters Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th"})
# German spellings without umlauts ("Mueller") read as the umlaut folded ("Muller").
_UMLAUTS = re.compile(r"(?<=[a-z])([aou])e")
# Dots and apostrophes join ("S.A.", "O'Brien"); everything else that is not a letter or a
# digit separates words.
_JOINERS = re.compile(r"[.'’`´]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")

MIN_QUERY_LETTERS = 2
# A score (0-100) from which two normalised names are taken for the same party.
MATCH_CUTOFF = 86
# A name this long or longer also matches one typing slip away ("Akme" for "Acme"), which
# the ratio scorers put below MATCH_CUTOFF for short names.
ONE_SLIP_LENGTH = 4


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_legal_form(word: str) -> bool:
    if word in LEGAL_FORMS:
        return True
    return len(word) >= 7 and any(
        Levenshtein.distance(word, form, score_cutoff=1) <= 1 for form in _LONG_FORMS
    )


def words(name: str) -> list[str]:
    """The words of a name that tell who it is, lower case and unaccented, in typed order.

    A name made only of legal-form words ("The Company") keeps them: something must be left
    to compare.
    """
    folded = _JOINERS.sub("", _ascii_fold(name).replace("&", " and "))
    folded = _UMLAUTS.sub(r"\1", folded)
    found = [w for w in _SEPARATORS.split(folded) if w]
    kept = [w for w in found if not _is_legal_form(w)]
    return kept or found


def normalise(name: str) -> str:
    """The comparable form of a name, its words in alphabetical order: "Smith, John" and
    "John Smith Inc." both become "john smith"."""
    return " ".join(sorted(words(name)))


def too_short(name: str) -> bool:
    """Whether a name has too few letters or digits to search for (one letter matches
    everything)."""
    return sum(c.isalnum() for c in name) < MIN_QUERY_LETTERS


def score(query: str, candidate: str, *, score_cutoff: float = 0) -> float:
    """How alike two normalised names are, 0-100.

    ``token_sort_ratio`` forgives word order and slips; ``token_set_ratio`` also lets one
    name hold the other ("Acme" in "Acme Widgets"), but only when the shorter side has two
    words or more or the longer one adds a single word, so a one-word search ("Smith") does
    not match every name with that word in it at full marks.
    """
    best = fuzz.token_sort_ratio(query, candidate, score_cutoff=score_cutoff)
    q, c = query.count(" ") + 1, candidate.count(" ") + 1
    if min(q, c) >= 2 or abs(q - c) == 1:
        best = max(best, fuzz.token_set_ratio(query, candidate, score_cutoff=score_cutoff))
    return best if best >= score_cutoff else 0
