"""Deciding whether a date the engine read may be stored as it is, or must be asked about.

A date in the past or an ambiguous numeric date (``3/4``) is never stored
silently. The date engine reads the text; this module turns its doubts into a question with
one button per reading (each button re-runs the command with that reading confirmed), so
nothing is stored before the user says which date they meant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates.format import format_day
from bot.errors import NeedsConfirmation

# Makes the button value a command re-run with ``key`` confirmed (see CommandRequest.confirm).
ChoiceValue = Callable[[str], str]


@dataclass(frozen=True)
class Reading:
    """A settled date: ``day`` in the firm time zone, ``at`` (aware) when a time was given."""

    day: date
    at: datetime | None
    explanation: str
    source: str


def shown(day: date, at: datetime | None, zone: ZoneInfo) -> str:
    if at is None:
        return format_day(day)
    local = at.astimezone(zone)
    hour = local.hour % 12 or 12
    return (
        f"{format_day(local.date())} {hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    )


def reading_key(day: date, at: datetime | None) -> str:
    return "reading:" + (at.isoformat(timespec="minutes") if at is not None else day.isoformat())


def past_key(day: date, at: datetime | None) -> str:
    return "past:" + (at.isoformat(timespec="minutes") if at is not None else day.isoformat())


def _options(parsed: Any, zone: ZoneInfo) -> list[Reading]:
    """The engine's reading first, then each alternative day (at the same time of day)."""
    at: datetime | None = parsed.at
    explanation = parsed.explanation
    if getattr(parsed, "computation", None) is None and not explanation.startswith(parsed.source):
        explanation = f"{parsed.source} = {explanation}"  # "Dec 18 = Fri 18 Dec 2026"
    first = Reading(
        day=at.astimezone(zone).date() if at is not None else parsed.day,
        at=at,
        explanation=explanation,
        source=parsed.source,
    )
    options = [first]
    # A counted alternative ("eighteen (19) days after": 19 days) keeps its own computation.
    counted = getattr(parsed, "alternative_explanations", ())
    for index, other in enumerate(getattr(parsed, "alternatives", ())):
        other_at = None
        if at is not None:
            other_at = datetime.combine(other, at.astimezone(zone).timetz())
        how = f"{parsed.source} = {shown(other, other_at, zone)}"
        if index < len(counted):
            how = counted[index]
        options.append(
            Reading(
                day=other,
                at=other_at,
                explanation=f"{how} (the reading you chose)",
                source=parsed.source,
            )
        )
    return options


def settle(
    parsed: Any,
    *,
    now: datetime,
    zone: ZoneInfo,
    confirmed: frozenset[str],
    choice: ChoiceValue,
    allow_past: bool = False,
) -> Reading:
    """Like ``decide``, but raises the question (for callers that answer through errors)."""
    decided = decide(
        parsed, now=now, zone=zone, confirmed=confirmed, choice=choice, allow_past=allow_past
    )
    if isinstance(decided, NeedsConfirmation):
        raise decided
    return decided


def decide(
    parsed: Any,
    *,
    now: datetime,
    zone: ZoneInfo,
    confirmed: frozenset[str],
    choice: ChoiceValue,
    allow_past: bool = False,
) -> Reading | NeedsConfirmation:
    """The reading to store, or the question (a ``NeedsConfirmation``) to ask the user first.

    ``parsed`` is the engine's ``ParsedDate``; its ``alternatives`` are the other days an
    ambiguous date can mean (``3/4``). ``allow_past`` is for dates of things that happened (a
    trigger such as entry of judgment), which are past by nature and are previewed before
    anything is stored.
    """
    options = _options(parsed, zone)
    reading = options[0]
    if len(options) > 1:
        picked = next((r for r in options if reading_key(r.day, r.at) in confirmed), None)
        if picked is None:
            listed = " or ".join(f"*{shown(r.day, r.at, zone)}*" for r in options)
            return NeedsConfirmation(
                question=(
                    f"`{parsed.source}` can be read more than one way: {listed}. Which did you "
                    "mean? Nothing is stored until you choose."
                ),
                choices=[
                    (shown(r.day, r.at, zone), choice(reading_key(r.day, r.at))) for r in options
                ],
            )
        reading = picked
    day, at = reading.day, reading.at
    today = now.astimezone(zone).date()
    is_past = (at < now) if at is not None else day < today
    if is_past and not allow_past and past_key(day, at) not in confirmed:
        days = (today - day).days
        ago = "earlier today" if days == 0 else ("yesterday" if days == 1 else f"{days} days ago")
        return NeedsConfirmation(
            question=(
                f"*{shown(day, at, zone)}* is in the past ({ago}). Store it anyway? "
                "Nothing is stored until you confirm."
            ),
            choices=[(f"Yes, {shown(day, at, zone)}", choice(past_key(day, at)))],
        )
    return reading
