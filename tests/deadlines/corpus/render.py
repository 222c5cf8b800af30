"""How a lawyer types a date, a time or a count: the surface forms the generator draws from.

Kept apart from the shapes so each form is written once and every shape can use any of them.
A rendering says whether it is ambiguous (``12/3/2027`` is 3 Dec or 12 Mar with no firm date
order), because an ambiguous form has no single right answer and must be asked about.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ONES = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

WITH_YEAR = ("mdy", "mdy_long", "iso", "numeric", "dmy", "dmy_long", "ordinal", "weekday")
YEARLESS = ("md", "md_long", "dm", "md_ordinal")


@dataclass(frozen=True)
class Rendered:
    text: str
    style: str
    ambiguous: bool = False


def short_month(month: int) -> str:
    return MONTHS[month - 1][:3]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def render_date(day: date, style: str, rng: random.Random) -> Rendered:
    """``day`` in ``style``; numeric month-first forms are ambiguous when both readings are
    real, different dates."""
    m, d, y = day.month, day.day, day.year
    mon, month = short_month(m), MONTHS[m - 1]
    match style:
        case "mdy":
            text = f"{mon} {d} {y}" if rng.random() < 0.7 else f"{mon} {d}, {y}"
        case "mdy_long":
            text = f"{month} {d}, {y}"
        case "iso":
            text = day.isoformat()
        case "numeric":
            if d > 12 and rng.random() < 0.3:
                return Rendered(f"{d}/{m}/{y}", style)  # day first, readable only one way
            text = f"{m}/{d}/{y}" if rng.random() < 0.7 else f"{m:02d}/{d:02d}/{y}"
            return Rendered(text, style, ambiguous=d <= 12 and d != m)
        case "dmy":
            text = f"{d} {mon} {y}"
        case "dmy_long":
            text = f"{d} {month} {y}"
        case "ordinal":
            text = f"{mon} {ordinal(d)}, {y}"
        case "weekday":
            wd = WEEKDAYS[day.weekday()]
            text = f"{wd}, {month} {d}, {y}" if rng.random() < 0.5 else f"{wd[:3]} {mon} {d} {y}"
        case "md":
            text = f"{mon} {d}"
        case "md_long":
            text = f"{month} {d}"
        case "dm":
            text = f"{d} {mon}"
        case "md_ordinal":
            text = f"{month} {ordinal(d)}"
        case _:
            raise ValueError(f"unknown date style {style!r}")
    return Rendered(text, style)


def words(n: int) -> str:
    """1..99 in English words, hyphenated the way a brief spells them ("twenty-one")."""
    if not 1 <= n <= 99:
        raise ValueError("only 1..99 are spelled out")
    if n < 20:
        return ONES[n - 1]
    tens, unit = divmod(n, 10)
    return TENS[tens - 2] + (f"-{ONES[unit - 1]}" if unit else "")


def render_time(at: time, rng: random.Random) -> str:
    """A clock time with am/pm or on the 24-hour clock (never 1:00-6:59 bare: ambiguous)."""
    hour12 = at.hour % 12 or 12
    half = "am" if at.hour < 12 else "pm"
    space = " " if rng.random() < 0.3 else ""
    if at.minute == 0 and rng.random() < 0.6:
        return f"{hour12}{space}{half}"
    if at.hour >= 13 and rng.random() < 0.4:
        return f"{at.hour}:{at.minute:02d}"
    return f"{hour12}:{at.minute:02d}{space}{half}"
