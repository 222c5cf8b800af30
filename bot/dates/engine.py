"""The date engine: free text in the firm's languages to one certain day (or a refusal).

Flow for one phrase (``parse``), each step there because a silent mistake is worse than a
refusal:

1. fold the text (case, accents, full-width digits) keeping one character per character;
2. cut out a time of day by Clerk's own rules (``times``), so "tomorrow" stays all-day;
3. strip a leading keyword ("due", "by", "para el", "στις", "截止"), trying the phrase
   without stripping first ("antes de ayer" is a date, not "antes de" + "ayer");
4. read the rest with Clerk's grammar (``grammar``), else with dateparser under checks
   (``fallback``); anything else is refused with examples of what works;
5. join the time, refusing a wall time that does not exist in the firm's zone.

``split_trailing`` finds the longest phrase at the end of a sentence that reads as a date
("Reply brief due next Friday" -> "Reply brief", next Friday). A phrase Clerk recognises but
refuses (Feb 30, a weekday that contradicts the date) stops the search: trying a shorter phrase
would quietly drop the part that was wrong.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from bot.dates.court import Computation, CourtCalendar
from bot.dates.fallback import DateparserReader
from bot.dates.folding import alternation, fold, tidy, token_spans
from bot.dates.format import format_day, format_time
from bot.dates.grammar import Grammar
from bot.dates.languages import merged
from bot.dates.periods import PeriodWords
from bot.dates.resolve import (
    Context,
    NotUnderstood,
    Prefer,
    Reading,
    Refusal,
    UnreadTrigger,
)
from bot.dates.times import ClockTime, describe, find_time, localize
from bot.errors import InvalidInput

EXAMPLES = "Try 'Dec 3', '2026-12-03', 'next Friday' or '21 days after Dec 1'."
_CJK_KEYWORD = re.compile(r"[\u3400-\u9fff]")
_TITLE_EDGES = " \t\r\n-–—:,;|"
# A date phrase cannot begin right after (or end right before) one of these: it would be
# the tail of a longer date ("12月3日前", "3/4/2027") or carry a modifier ("12月3日前").
_GLUED_BEFORE = frozenset("0123456789年月日号號/.:")
_GLUED_AFTER = frozenset("0123456789年月日号號/.:前后後以之内內")
# A date never begins with a closing mark: "<draft> on Dec 3" keeps its ">" in the title.
_NEVER_OPENS_A_DATE = ")]}>»”’、，。"
_SOURCE_EDGES = "-–—:,;|.!?。，；：！？"


# A date never starts inside a number: "3,902" / "1 454" (digit groups), "-21" and "14-21"
# (a sign or a range), "1e9" (an exponent). Starting there would silently drop part of it.
_DIGIT_GROUP_BEFORE = re.compile(r"(?:\d[,'’]|(?:^|\s)\d{1,3} )$")
_DIGIT_GROUP = re.compile(r"\d{3}(?!\d)")
_SIGNS = "-+−–"
_SIGN_BEFORE = re.compile(r"(?:^|[\s(\[\d])[-+−–]$")
_EXPONENT_BEFORE = re.compile(r"\de[-+]?$")


def _inside_a_number(folded: str, start: int) -> bool:
    """True when ``start`` is the middle of a number typed with separators, sign or exponent."""
    if folded[start] in _SIGNS:
        return folded[start + 1 : start + 2].isdigit()  # "-21 court days": never a date
    if not folded[start].isdigit():
        return False
    before = folded[max(0, start - 5) : start]
    if _DIGIT_GROUP_BEFORE.search(before) and _DIGIT_GROUP.match(folded, start):
        return True
    return bool(_SIGN_BEFORE.search(before) or _EXPONENT_BEFORE.search(before))


_QUOTED = re.compile(r"(?<!\w)'([^']+)'(?!\w)")


def _in_users_words(message: str, folded: str, typed: str) -> str:
    """Quote the user's own spelling in a refusal ("Δεκεμβρίου", not "δεκεμβριου").

    The grammar works on folded text, which has one character per typed character, so a
    quoted folded phrase is found at the same place in the typed one.
    """
    if len(folded) != len(typed):
        return message

    def swap(match: re.Match[str]) -> str:
        where = folded.find(match.group(1))
        if where < 0:
            return match.group(0)
        return f"'{typed[where : where + len(match.group(1))]}'"

    return _QUOTED.sub(swap, message)


@dataclass(frozen=True)
class ParsedDate:
    """One day read from text, with what was read and how, for the reply and the audit."""

    day: date
    at: datetime | None
    source: str
    explanation: str
    computation: Computation | None = None
    alternatives: tuple[date, ...] = ()
    alternative_explanations: tuple[str, ...] = ()
    zone: tzinfo | None = field(default=None, compare=False, repr=False)

    @property
    def all_day(self) -> bool:
        return self.at is None

    def is_past(self, now: datetime) -> bool:
        """True for a day before today (firm zone) or a time before ``now``."""
        if self.at is not None:
            return self.at < (now if now.tzinfo else now.replace(tzinfo=self.zone))
        zone = self.zone or now.tzinfo
        today = now.astimezone(zone).date() if now.tzinfo and zone else now.date()
        return self.day < today


class DateEngine:
    """Reads dates for one firm: its languages, date order, time zone and court calendar."""

    def __init__(
        self,
        *,
        languages: Sequence[str] = ("en",),
        date_order: str | None = None,
        timezone: ZoneInfo,
        calendar: CourtCalendar,
    ) -> None:
        codes = tuple(dict.fromkeys(code.strip().lower() for code in languages if code.strip()))
        if not codes:
            raise InvalidInput("Configure at least one language for dates, e.g. 'en'.")
        if date_order is not None and sorted(date_order.upper()) != ["D", "M", "Y"]:
            raise InvalidInput(f"Date order '{date_order}' must be e.g. MDY, DMY or YMD.")
        try:
            self._fallback_languages = codes
            self.lexicon = merged(codes)
        except (ValueError, KeyError) as exc:
            raise InvalidInput(f"Unknown date language in {list(codes)}: {exc}") from exc
        self.languages = codes
        self.date_order = date_order.upper() if date_order else None
        self.zone = timezone
        self.calendar = calendar
        self.grammar = Grammar(self.lexicon, codes)
        self.periods = PeriodWords(self.lexicon)
        self.fallback = DateparserReader(codes, self.date_order, timezone, self.lexicon)
        latin = [k for k in self.lexicon.keywords if not _CJK_KEYWORD.search(k)]
        cjk = [k for k in self.lexicon.keywords if _CJK_KEYWORD.search(k)]
        self._keyword = re.compile(
            rf"\s*(?:(?:{alternation(latin)})(?=\s)|(?:{alternation(cjk)}))\s*"
        )

    # -- public ------------------------------------------------------------------------------

    def with_calendar(self, calendar: CourtCalendar) -> DateEngine:
        """This engine reading against another court calendar (closures added since start-up).

        Shares the compiled grammar and the warmed dateparser parsers, so it costs nothing.
        """
        twin = copy.copy(self)
        twin.calendar = calendar
        return twin

    def warm_up(self) -> None:
        """Pay dateparser's first-call cost (locale loading) at start-up, in every language."""
        # The machine's time is right here: nothing read is kept, only the parsers are loaded.
        now = datetime.now(self.zone)
        for phrase in ("Dec 3 2026", "tomorrow", "next Friday", "21 days after Dec 1"):
            with contextlib.suppress(InvalidInput):
                self.parse(phrase, now=now)
        self.fallback.warm_up(now.replace(tzinfo=None))

    def parse(
        self, text: str, *, now: datetime, prefer: Literal["future", "past"] = "future"
    ) -> ParsedDate:
        """The whole ``text`` as one date; InvalidInput (with examples) when it is not one."""
        if prefer not in ("future", "past"):
            raise ValueError(f"prefer must be 'future' or 'past', not {prefer!r}")
        if not text or not text.strip():
            raise InvalidInput(f"No date given. {EXAMPLES}")
        try:
            return self._interpret(text, self._local(now), prefer)
        except NotUnderstood:
            raise NotUnderstood(f"I couldn't read '{text.strip()}' as a date. {EXAMPLES}") from None

    def split_trailing(
        self, text: str, *, now: datetime, prefer: Literal["future", "past"] = "future"
    ) -> tuple[str, ParsedDate]:
        """('Reply brief', next Friday) from 'Reply brief due next Friday'.

        The longest phrase at the end that reads as a date wins; a keyword before it
        (due/by/on/at, para el, στις, 截止...) is dropped from both title and date.
        """
        local = self._local(now)
        folded = fold(text)
        unread: UnreadTrigger | None = None
        for start, _ in token_spans(text):
            if start and folded[start - 1] in _GLUED_BEFORE:
                continue  # inside a date: "3日前" is not the date of "12月3日前"
            if text[start] in _NEVER_OPENS_A_DATE or _inside_a_number(folded, start):
                continue
            try:
                parsed = self._interpret(text[start:], local, prefer)
            except NotUnderstood:
                continue
            except UnreadTrigger as refusal:
                # "答辩状 2027年12月1日后21天" tried from "答": the period's trigger would hold the
                # title. A shorter phrase may read; what it leaves in the title is checked by
                # the caller, which asks about any period left there.
                unread = unread or refusal
                continue
            title = text[:start].strip(_TITLE_EDGES)
            if not title:
                raise InvalidInput(
                    f"'{text.strip()}' is only a date. Put what is due before it, "
                    "e.g. 'Reply brief due next Friday'."
                )
            return title, parsed
        if unread is not None:
            raise unread
        raise InvalidInput(
            f"I couldn't find a date at the end of '{text.strip()}'. End it with one, "
            f"e.g. 'Reply brief due Dec 3'. {EXAMPLES}"
        )

    def split_leading(
        self, text: str, *, now: datetime, prefer: Literal["future", "past"] = "future"
    ) -> tuple[str, ParsedDate]:
        """('Office closed', Dec 24) from 'Dec 24 Office closed': the date comes first."""
        local = self._local(now)
        folded = fold(text)
        for _, end in reversed(token_spans(text)):
            if end < len(folded) and folded[end] in _GLUED_AFTER:
                continue  # "12月3日" is not the date of "12月3日前"
            try:
                parsed = self._interpret(text[:end], local, prefer)
            except NotUnderstood:
                continue
            rest = text[end:].strip(_TITLE_EDGES)
            if not rest:
                raise InvalidInput("Give a name after the date, e.g. 'Dec 24 Office closed'.")
            return rest, parsed
        raise InvalidInput(
            f"I couldn't find a date at the start of '{text.strip()}'. Start it with one, "
            f"e.g. 'Dec 24 Office closed'. {EXAMPLES}"
        )

    # -- internals ---------------------------------------------------------------------------

    def _local(self, now: datetime) -> datetime:
        return now.astimezone(self.zone) if now.tzinfo else now.replace(tzinfo=self.zone)

    def _keyword_cuts(self, blanked: str) -> list[int]:
        """Where the date may start: at once, or after one or two leading keywords."""
        cuts = [0]
        position = 0
        for _ in range(2):
            match = self._keyword.match(blanked, position)
            if not match or match.end() == position:
                break
            position = match.end()
            cuts.append(position)
        return cuts

    def _inner_reader(self, ctx: Context, now_local: datetime) -> Callable[[str], Reading]:
        """How a rule phrase reads its trigger date: any date but a rule, nearest year."""
        nearest = Context(ctx.today, "nearest", ctx.date_order, ctx.calendar)

        def inner(trigger: str) -> Reading:
            phrase = tidy(trigger)
            reading = self.grammar.read(phrase, nearest, None)
            if reading is None:
                reading = self.fallback.read(phrase, nearest, now_local)
            if reading is None:
                raise UnreadTrigger(
                    f"I couldn't read '{trigger.strip()}' as the date the period runs from. "
                    f"Give it as a date, e.g. 'Dec 1' or '2026-12-01'."
                )
            return reading

        return inner

    def _first_reading(
        self, phrases: list[tuple[int, str]], ctx: Context, now_local: datetime
    ) -> tuple[int, Reading | None]:
        """The first keyword cut that reads as a date, and its reading.

        Clerk's grammar is tried on every cut before dateparser on any: "on Friday" must be
        read by the grammar after "on", not by dateparser with "on" (its weekday semantics
        differ); and without stripping first, so "antes de ayer" is not "ayer".
        """
        inner = self._inner_reader(ctx, now_local)
        readers: tuple[Callable[[str], Reading | None], ...] = (
            lambda phrase: self.grammar.read(phrase, ctx, inner),
            lambda phrase: self.fallback.read(phrase, ctx, now_local),
        )
        for read in readers:
            for cut, phrase in phrases:
                if phrase and (reading := read(phrase)) is not None:
                    return cut, reading
        return 0, None

    def _interpret(self, text: str, now_local: datetime, prefer: Prefer) -> ParsedDate:
        folded = fold(text)
        blanked, clock = find_time(folded, self.grammar.month_words)
        ctx = Context(now_local.date(), prefer, self.date_order, self.calendar)
        cuts = self._keyword_cuts(blanked)
        phrases = [(cut, tidy(blanked[cut:])) for cut in cuts]
        if clock is not None and not phrases[-1][1]:  # a time alone: "10am", "by 5pm"
            cut, reading = phrases[-1][0], Reading(ctx.today, literal=False, note="today")
        else:
            try:
                cut, reading = self._first_reading(phrases, ctx, now_local)
            except Refusal as refusal:
                typed = text
                if clock is not None:
                    typed = (
                        text[: clock.start] + " " * (clock.end - clock.start) + text[clock.end :]
                    )
                folded_phrases = " | ".join(phrase for _, phrase in phrases)
                typed_phrases = " | ".join(tidy(typed[cut:]) for cut in cuts)
                message = _in_users_words(str(refusal), folded_phrases, typed_phrases)
                raise type(refusal)(message) from None  # an UnreadTrigger stays one
        if reading is None:
            raise NotUnderstood(f"I couldn't read '{text.strip()}' as a date. {EXAMPLES}")
        if clock is not None and clock.problem:
            raise Refusal(clock.problem)
        start = min(cut, clock.start) if clock is not None else cut
        source = text[start:].strip().strip(_SOURCE_EDGES).strip()
        return self._result(reading, source, clock)

    def _result(self, reading: Reading, source: str, clock: ClockTime | None) -> ParsedDate:
        day = reading.day
        at = None
        notes = [reading.note] if reading.note and reading.note != "today" else []
        if clock is not None:
            at, fold_note = localize(day, clock, self.zone)
            if fold_note:
                notes.append(fold_note)
        shown = describe(at) if at is not None else format_day(day)
        if reading.computation is not None:
            explanation = reading.computation.explanation
            if at is not None:
                explanation += f", {format_time(at)} {at.tzname()}"
        elif reading.literal:
            explanation = shown
        else:
            explanation = f"{source} = {shown}"
        if reading.computation is None and not self.calendar.is_court_day(day):
            why = self.calendar.why_closed(day) or ""
            notes.append(why.replace(f"{format_day(day)} is ", "") + ", not a court day")
        if notes:
            explanation += " (" + "; ".join(notes) + ")"
        return ParsedDate(
            day=day,
            at=at,
            source=source,
            explanation=explanation,
            computation=reading.computation,
            alternatives=reading.alternatives,
            alternative_explanations=reading.alternative_explanations,
            zone=self.zone,
        )
