"""Times of day in a date phrase, read by Clerk itself, and placed safely in the firm's zone.

Why not take the time from dateparser: dateparser keeps the time of its relative base for
"tomorrow" or "in 2 weeks" (so every relative date would look timed), and it quietly reads
"a las 10" as October. Clerk decides "this phrase has a time" from the text alone, cuts the
time out, parses the date part on its own, and joins the two here.

Rules, chosen so that Clerk never guesses an hour:
- am/pm (or "de la tarde", "μ.μ.", "下午") is exact; "12am" and "midnight" are refused
  (midnight belongs to two days; say 11:59pm or 12:01am).
- Without am/pm a time is read on the 24-hour clock ("14:30", "09:00", "10:00", "a las 10",
  "στις 10", "10点"), except hours 1 to 6, which are refused: "3:00" is almost always meant as
  3 pm, and Clerk will not guess.
- A zone written after the time must be the firm's own (EST/EDT/ET in New York), else refused.
- A wall time that does not exist (the spring-forward gap) is refused; one that happens twice
  (the autumn fold) takes the first, earlier instant, which can only make a deadline earlier,
  and says so in the explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.dates.format import format_day, format_time
from bot.dates.numbers import chinese_number
from bot.errors import InvalidInput

_BEFORE = r"(?<![0-9:/.\-])"
_PREFIX = r"(?:(?:at|@|a\s+las|a\s+la|στισ|στη|στην)\s*)?"
_ZONE = r"(?:\s*(?P<zone>est|edt|et|cst|cdt|ct|mst|mdt|mt|pst|pdt|pt|utc|gmt|z)(?![a-z]))?"
_AMPM = r"(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?|π\.?\s?μ\.?|μ\.?\s?μ\.?)(?![a-zα-ω])"
_PARTS_OF_DAY = (
    r"(?P<part>de\s+la\s+manana|de\s+la\s+madrugada|de\s+la\s+tarde|de\s+la\s+noche|"
    r"το\s+πρωι|το\s+απογευμα|το\s+βραδυ|το\s+μεσημερι)"
)
_ZH_NUM = r"\d{1,2}|[零〇一二两兩三四五六七八九十]{1,3}"
_ZH_PART = r"(?P<part>上午|早上|早晨|凌晨|中午|下午|傍晚|晚上)"
_PM_PARTS = {"de la tarde", "de la noche", "το απογευμα", "το βραδυ", "下午", "傍晚", "晚上"}
_AM_PARTS = {"de la manana", "de la madrugada", "το πρωι", "上午", "早上", "早晨", "凌晨"}
_NOON_PARTS = {"το μεσημερι", "中午"}
MIDNIGHT = (
    "'midnight' belongs to two days. Write 11:59pm for the end of the day, "
    "or 12:01am for the start of the next."
)
_GENERIC_ZONES = {"et": "E", "ct": "C", "mt": "M", "pt": "P"}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "zh",
            rf"{_ZH_PART}?\s*(?P<h>{_ZH_NUM})\s*[点點时時]"
            rf"(?:\s*(?P<m>半|一刻|三刻|\d{{1,2}}|[零〇一二三四五六七八九十]{{1,3}})\s*分?)?",
        ),
        ("zh", rf"{_ZH_PART}\s*(?P<h>\d{{1,2}})[:：](?P<m>\d{{2}})"),
        ("ampm", rf"{_PREFIX}{_BEFORE}(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?\s*{_AMPM}{_ZONE}"),
        ("part", rf"{_PREFIX}{_BEFORE}(?P<h>\d{{1,2}})(?::(?P<m>\d{{2}}))?\s+{_PARTS_OF_DAY}"),
        (
            "24h",
            rf"{_PREFIX}(?:(?<=\d)t)?{_BEFORE}(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?::\d{{2}})?"
            rf"(?![\d:]){_ZONE}",
        ),
        ("24h", rf"{_PREFIX}{_BEFORE}(?P<h>\d{{1,2}})h(?P<m>\d{{2}})(?!\d){_ZONE}"),
        ("noon", r"(?:(?:at|a\s+las|al|στισ)\s+)?(?:12\s+)?(?:noon|midday|mediodia)(?![a-z])"),
        (
            "midnight",
            r"(?:(?:at|a\s+la|a\s+las|al|τα|στα)\s+)?(?:12\s+)?"
            r"(?:midnight|medianoche|μεσανυχτα|午夜|半夜)",
        ),
    )
)


@dataclass(frozen=True)
class ClockTime:
    """A time of day found in a phrase, with where it was and any reason to refuse it."""

    hour: int
    minute: int
    start: int
    end: int
    zone: str | None = None
    problem: str | None = None  # raised only if the rest of the phrase is a date


def _bare_hour_pattern(month_words: str) -> re.Pattern[str]:
    """'at 10', 'a las 10', 'στις 10', but not 'στις 3 Δεκεμβρίου' (a date, 'on 3 December')."""
    return re.compile(
        r"(?:(?<![a-zα-ω])(?:at|a\s+las|στισ))\s+(?P<h>\d{1,2})"
        rf"(?=\s*$|\s+(?!{month_words}|\d|de\s|of\s))"
    )


def _read(kind: str, match: re.Match[str]) -> tuple[int, int, str | None]:
    """(hour, minute, problem) for one match; hour -1 marks a time that is not a time."""
    groups = match.groupdict()
    text = match.group(0).strip()
    if kind == "noon":
        return 12, 0, None
    if kind == "midnight":
        return 0, 0, MIDNIGHT
    hour = chinese_number(groups["h"]) if kind == "zh" else int(groups["h"])
    raw_minute = groups.get("m")
    minute = {"半": 30, "一刻": 15, "三刻": 45}.get(raw_minute or "")
    if minute is None:
        minute = chinese_number(raw_minute) if raw_minute else 0
    if minute > 59:
        return -1, 0, f"'{text}' is not a time of day."
    part = re.sub(r"\s+", " ", groups.get("part") or "")
    ampm = (groups.get("ampm") or "").replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return -1, 0, f"'{text}' is not a time of day."
        if hour == 12 and ampm in ("am", "πμ"):
            return 0, 0, "'12am' is midnight, which belongs to two days. Write 11:59pm or 12:01am."
        pm = ampm in ("pm", "μμ")
        return (hour % 12) + (12 if pm else 0), minute, None
    if part:
        if not 1 <= hour <= 12:
            return -1, 0, f"'{text}' is not a time of day."
        if part in _NOON_PARTS:  # "στις 12 το μεσημέρι", "中午1点"
            if hour == 12 or hour <= 3:
                return (hour % 12) + 12, minute, None
            return -1, 0, f"'{text}' is not a time of day."
        if part in _PM_PARTS:
            if part in ("de la noche", "晚上") and hour <= 4:
                return hour, minute, f"Is '{text}' late at night or early morning? Use am/pm."
            return (hour % 12) + 12, minute, None
        return hour % 12, minute, None
    if hour > 23:
        return -1, 0, f"'{text}' is not a time of day."
    leading_zero = groups["h"].startswith("0") and len(groups["h"]) == 2
    if 1 <= hour <= 6 and not leading_zero:
        question = (
            f"Is '{text}' in the morning or the afternoon? Write it with am/pm "
            f"({hour}am or {hour}pm) or on the 24-hour clock ({hour + 12:02d}:{minute:02d})."
        )
        return hour, minute, question
    return hour, minute, None


def find_time(folded: str, month_words: str) -> tuple[str, ClockTime | None]:
    """Cut the time of day out of a folded phrase: (phrase with the time blanked, the time).

    Blanking with spaces keeps every other character where it was, so spans still point at
    the user's text. Two times in one phrase are refused rather than one picked.
    """
    found: list[ClockTime] = []
    taken: list[tuple[int, int]] = []
    patterns = (*_PATTERNS, ("bare", _bare_hour_pattern(month_words)))
    for kind, pattern in patterns:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if start == end or any(start < e and s < end for s, e in taken):
                continue
            hour, minute, problem = _read(kind, match)
            zone = match.groupdict().get("zone")
            found.append(ClockTime(max(hour, 0), minute, start, end, zone, problem))
            taken.append((start, end))
    if not found:
        return folded, None
    blanked = list(folded)
    for item in found:
        blanked[item.start : item.end] = " " * (item.end - item.start)
    first = min(found, key=lambda t: t.start)
    if len(found) > 1:
        first = replace(first, problem="That phrase has two times of day in it; give one.")
    return "".join(blanked), first


def localize(day: date, clock: ClockTime, zone: ZoneInfo) -> tuple[datetime, str | None]:
    """The aware instant of ``clock`` on ``day`` in the firm's zone, and a note if it folded."""
    wall = datetime.combine(day, time(clock.hour, clock.minute))
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    shown = f"{clock.hour}:{clock.minute:02d}"
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if back != wall:
            raise InvalidInput(
                f"{shown} on {format_day(day)} does not exist in {zone.key}: the clocks jump "
                "forward an hour that night. Give a time before or after the change."
            )
        note = (
            f"{shown} happens twice that night as the clocks go back; Clerk took the first, "
            f"{first.tzname()}, the earlier of the two"
        )
        _check_zone(clock, first, zone)
        return first, note
    _check_zone(clock, first, zone)
    return first, None


def _check_zone(clock: ClockTime, at: datetime, zone: ZoneInfo) -> None:
    if clock.zone is None:
        return
    label = clock.zone.upper()
    actual = at.tzname() or ""
    generic = _GENERIC_ZONES.get(clock.zone)
    if label == actual or (generic and actual.startswith(generic) and len(actual) == 3):
        return
    if label in ("UTC", "GMT", "Z") and at.utcoffset() is not None and not at.utcoffset():
        return
    raise InvalidInput(
        f"Clerk reads times in the firm's time zone ({zone.key}, {actual} on that day). "
        f"Give the time without '{clock.zone.upper()}', converted to {actual}."
    )


def describe(at: datetime) -> str:
    """'Thu 3 Dec 2026 10:00 EST'."""
    return f"{format_day(at.date())} {format_time(at)} {at.tzname()}"


def local_days(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """UTC [from, to) of the firm-local days ``first`` to ``last``: local midnight to the
    local midnight after ``last`` (a day is 23 or 25 hours when the clocks change)."""
    begin = datetime.combine(first, time(0), tzinfo=zone)
    finish = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    return begin.astimezone(UTC), finish.astimezone(UTC)
