"""Deciding whether a date the engine read may be stored as it is, or must be asked about.

SPEC section 4: a date in the past or an ambiguous numeric date (``3/4``) is never stored
silently. The date engine reads the text; this module turns its doubts into a question with
one button per reading (each button re-runs the command with that reading confirmed), so
nothing is stored before the user says which date they meant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import NeedsConfirmation
from bot.rules.format import format_day

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


def _day_of(parsed: Any, zone: ZoneInfo) -> tuple[date, datetime | None]:
    at = getattr(parsed, "at", None)
    if at is not None:
        return at.astimezone(zone).date(), at
    return parsed.day, None


def settle(
    parsed: Any,
    *,
    now: datetime,
    zone: ZoneInfo,
    confirmed: frozenset[str],
    choice: ChoiceValue,
    allow_past: bool = False,
) -> Reading:
    """The reading to store, or a ``NeedsConfirmation`` asking the user first.

    ``parsed`` is the engine's ``ParsedDate``; its ``alternatives`` are the other readings of
    an ambiguous date. ``allow_past`` is for dates of things that happened (a trigger such as
    entry of judgment), which are past by nature and are previewed before anything is stored.
    """
    readings: Sequence[Any] = [parsed, *getattr(parsed, "alternatives", ())]
    if len(readings) > 1:
        picked = next((r for r in readings if reading_key(*_day_of(r, zone)) in confirmed), None)
        if picked is None:
            options = [_day_of(r, zone) for r in readings]
            listed = " or ".join(f"*{shown(d, a, zone)}*" for d, a in options)
            raise NeedsConfirmation(
                question=(
                    f"`{parsed.source}` can be read more than one way: {listed}. Which did you "
                    "mean? Nothing is stored until you choose."
                ),
                choices=[(shown(d, a, zone), choice(reading_key(d, a))) for d, a in options],
            )
        parsed = picked
    day, at = _day_of(parsed, zone)
    today = now.astimezone(zone).date()
    is_past = (at < now) if at is not None else day < today
    if is_past and not allow_past and past_key(day, at) not in confirmed:
        days = (today - day).days
        ago = "earlier today" if days == 0 else ("yesterday" if days == 1 else f"{days} days ago")
        raise NeedsConfirmation(
            question=(
                f"*{shown(day, at, zone)}* is in the past ({ago}). Store it anyway? "
                "Nothing is stored until you confirm."
            ),
            choices=[(f"Yes, {shown(day, at, zone)}", choice(past_key(day, at)))],
        )
    return Reading(day=day, at=at, explanation=parsed.explanation, source=parsed.source)
