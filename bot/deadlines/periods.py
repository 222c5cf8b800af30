"""Splitting ``TITLE [on|by|due] DATE`` for a new deadline, asking when a period was not read.

Why a step of its own between the date engine and ``decide``: the engine finds the longest date
at the end of the text, and when a period before it is typed in a way it does not read ("21
dyas after Dec 1", "30 days pre-trial Jun 1", "-21 court days before Dec 1") what it finds is
the trigger date, with the period left in the title. Storing that would store the trigger as the
deadline, silently. So a title still holding a period is never stored as typed: when a
corrected reading exists it is offered as a question (the same buttons as a past or ambiguous
date: the button re-runs the command with ``period:<day>`` confirmed, and the command is read
again, so a forged or stale value finds no matching reading and stores nothing), and otherwise
the command is refused with what to type instead.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.dates.engine import DateEngine, ParsedDate
from bot.dates.folding import strip_edges
from bot.dates.format import format_day
from bot.deadlines.dates import ChoiceValue
from bot.errors import InvalidInput, NeedsConfirmation
from bot.text import escape

TRAILING_KEYWORD = re.compile(r"(?:\s+(?:on|by|due|at|is))+$", re.IGNORECASE)
_WRITE = (
    "Write it as `N days after DATE` or `N court days before DATE`, e.g. "
    "`/deadline ACME-1 Opposition 21 days after Dec 1`."
)
# "Brief on Dec 3 or Dec 4": the title ends where a second date begins.
_TWO_DATES = re.compile(r"(?:\s(?:or|and|o|u|y|ή|και)|或|或者|和)$", re.IGNORECASE)
# Titles that name something by its number ("Exhibit", "Form", "No."): a count typed right
# after one ("Exhibit 104 days after") may be the number the title was missing.
_NUMBERED = re.compile(
    r"(?:^|\s)(?:exhibit|form|item|claim|volume|vol\.?|phase|no\.?|number|section|§|"
    r"schedule|ecf|dkt\.?|docket|page|paragraph|article|#)$",
    re.IGNORECASE,
)


def _shown(text: str, limit: int = 200) -> str:
    """User text quoted in a reply: no mention or link can be forged through it (Slack reads
    ``<...>`` and ``&``), no backtick closes the quote, and a long title is cut."""
    text = escape(text).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def period_key(day: ParsedDate) -> str:
    """The confirmation key of an offered period reading (its day, and time if any)."""
    when = day.at.isoformat(timespec="minutes") if day.at is not None else day.day.isoformat()
    return f"period:{when}"


def title_and_date(
    engine: DateEngine,
    text: str,
    *,
    now: datetime,
    confirmed: frozenset[str],
    choice: ChoiceValue,
) -> tuple[str, ParsedDate] | NeedsConfirmation:
    """The title and the date to settle, or the question to ask about a period left unread.

    Raises InvalidInput when the text holds a period Clerk cannot put right (a negative or
    absurd count, no count at all) or two dates; nothing is stored then either.
    """
    title, parsed = engine.split_trailing(text, now=now, prefer="future")
    title = TRAILING_KEYWORD.sub("", title.strip())
    if _TWO_DATES.search(title):
        raise InvalidInput(
            f"`{_shown(title)}` {_shown(parsed.source)} gives more than one date. Give the one "
            "that is due, e.g. `/deadline ACME-1 Reply brief on Dec 3`."
        )
    left = engine.periods.find(title)
    if left is None:
        if parsed.computation and parsed.source[:1].isdigit() and _NUMBERED.search(title):
            return _ask_whose_number(title, parsed, confirmed, choice)
        return title, parsed
    words, source = _shown(left.words), _shown(parsed.source)
    trigger = format_day(parsed.day)
    if left.problem is not None:
        raise InvalidInput(
            f"`{words}` before {source} looks like a period, but {left.problem}. I stored "
            f"nothing: {trigger} would be the date it runs from, not the deadline. {_WRITE}"
        )
    found = engine.periods.suggest(
        left, parsed.source, lambda phrase: engine.parse(phrase, now=now, prefer="future")
    )
    offers = [
        (strip_edges(title[: fix.title_end]).strip(), offer)
        for fix, offer in found
        if offer.computation is not None
    ]
    offers = [(head, offer) for head, offer in offers if head]
    if not offers:
        raise InvalidInput(
            f"I couldn't count the period `{words}` before {source}, so I stored nothing: "
            f"{trigger} would be the date it runs from, not the deadline. {_WRITE}"
        )
    keys = [period_key(offer) + (f"#{i}" if i else "") for i, (_, offer) in enumerate(offers)]
    for key, (head, offer) in zip(keys, offers, strict=True):
        if key in confirmed:
            return head, offer
    meant = " or ".join(
        f"`{_shown(offer.source)}` = *{format_day(offer.day)}* ({_shown(offer.explanation)}), "
        f"titled `{_shown(head)}`"
        for head, offer in offers
    )
    single = len(offers) == 1
    return NeedsConfirmation(
        question=(
            f"Did you mean {meant}? I couldn't read `{words}` as typed, and storing the date "
            "after it would store the trigger as the deadline. Nothing is stored until you "
            "choose."
        ),
        choices=[
            ("Use this" if single else _label(head, offer), choice(key))
            for key, (head, offer) in zip(keys, offers, strict=True)
        ],
    )


def _label(head: str, offer: ParsedDate) -> str:
    label = f"{format_day(offer.day)}: {head}"
    return label if len(label) <= 60 else label[:59].rstrip() + "…"


def _ask_whose_number(
    title: str, parsed: ParsedDate, confirmed: frozenset[str], choice: ChoiceValue
) -> tuple[str, ParsedDate] | NeedsConfirmation:
    """ "Exhibit 104 days after Jul 7": is 104 the exhibit's number or the count of days?

    Only the user knows; the period reading is offered, and the refusal says how to write the
    other one.
    """
    key = period_key(parsed)
    if key in confirmed:
        return title, parsed
    return NeedsConfirmation(
        question=(
            f"Did you mean `{_shown(parsed.source)}` = *{format_day(parsed.day)}* "
            f"({_shown(parsed.explanation)}), titled `{_shown(title)}`? If the number belongs "
            f"to the title, say so with the period after it, e.g. `{_shown(title)} "
            f"{_shown(parsed.source.split(' ', 1)[0])} 21 days after Dec 1`. Nothing is "
            "stored until you choose."
        ),
        choices=[("Use this", choice(key))],
    )
