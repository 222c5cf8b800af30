"""Counted periods: "21 days after Dec 1", "30 days in advance of trial on June 28, 2027".

Why apart from the rest of the grammar: a period phrase is where a misread costs a missed
filing, and lawyers write it in many shapes. Each shape is read here whole or not at all:

- a count: "21", "3,902" (thousands), "eighteen", "eighteen (18)" (words and figure must
  agree; when they do not, both readings are offered and the user picks);
- an optional lead: "within" ("within 21 days of X" is the last day, as "21 days after X";
  "within 21 days before X" is "21 days before X"), "dentro de", "εντός";
- a unit: days, court/business/working days (also hyphenated, "court-days"), weeks;
- a connector: after, following, from, before, prior to, in advance of, ahead of, and the
  Spanish, Greek and Chinese ones;
- the trigger: a date, after optional service words ("service by mail on": FRCP 6(d)), or
  after words naming the event ("before trial on", "after entry of judgment on",
  "antes de la audiencia del", "πριν από τη δικάσιμο της").

The trigger date is read by the engine's ``inner`` callback (any date but a rule, nearest
year). When the words after a connector are not a date the reader raises ``UnreadTrigger``, so
the engine can try a shorter phrase and the words it leaves in the title are asked about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.dates.court import Computation, Direction, count_period
from bot.dates.folding import alternation
from bot.dates.format import format_day
from bot.dates.languages import COURT_DAY, DAY, WEEK, Lexicon
from bot.dates.numbers import chinese_number
from bot.dates.resolve import Context, Reading, Refusal, UnreadTrigger

InnerReader = Callable[[str], Reading]

_ZH_DIGITS = r"\d{1,2}|[零〇一二两兩三四五六七八九十]{1,3}"
_ZH_UNITS = {"天": DAY, "日": DAY, "工作日": COURT_DAY}
_ZH_BEFORE = ("以前", "之前", "前")
# Fifty years: longer is a typo ("3,902,000 days"), and dates past 2199 are not counted.
LONGEST = {DAY: 18_262, COURT_DAY: 12_600}
_EVENT_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_MAX_EVENT_WORDS = 6


@dataclass(frozen=True)
class _Period:
    """What the words before the trigger said: how many, of what, which way."""

    count: int
    figure: int | None  # the figure in brackets when it disagrees with the words
    unit: str
    direction: Direction
    by_mail: bool = False
    # "within 21 days of X" names no direction: after service it runs forward, before a
    # trial backward. Counted forward, with the backward day offered beside it.
    either_way: bool = False


class RuleReader:
    """Period phrases for one set of configured languages (see the module docstring)."""

    def __init__(self, lexicon: Lexicon, chinese: bool) -> None:
        lx = self.lex = lexicon
        self.chinese = chinese
        words = alternation(lx.numbers)
        digits = r"\d{1,3}(?:,\d{3})+|\d+"
        count = (
            rf"(?:(?P<d>{digits})(?:\s*\(\s*(?P<dw>{words})\s*\))?\s*"
            rf"|(?P<w>{words})(?:\s*\(\s*(?P<wd>{digits})\s*\))?\s+)"
        )
        lead = alternation(lx.period_leads)
        self.head = re.compile(
            rf"(?:(?P<lead>{lead})\s+)?{count}(?P<unit>{alternation(lx.units)})\s+(?P<rest>.+)"
        )
        self.connectors = sorted(
            lx.after_words | lx.before_words | lx.within_words, key=lambda w: (-len(w), w)
        )
        service = alternation(lx.service_by_mail | lx.service)
        self.service = re.compile(
            rf"(?:(?P<svc>{service})\s+)?(?P<inner>.+?)"
            rf"(?:\s+(?P<mail>{alternation(lx.by_mail)}))?"
        )
        self.link = re.compile(rf"(?<=\s)(?:{alternation(lx.event_links)})(?=\s)")
        # Words that cannot name an event: they would hide a second period or a date.
        connector_words = {w for c in lx.after_words | lx.before_words for w in c.split()}
        small = lx.event_links | lx.articles | lx.fillers | {"to", "a", "al", "in", "apo"}
        self.not_event = (
            (connector_words - small)
            | set(lx.months)
            | set(lx.weekdays)
            | {w for phrase in lx.days_from_today for w in phrase.split()}
            | {w for phrase in lx.units for w in phrase.split()}
            | set(lx.period_leads)
        )
        self.zh_rule = re.compile(
            r"(?P<inner>.+?)\s*(?P<dir>以后|以後|之后|之後|后|後|以前|之前|前)\s*"
            rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|{_ZH_DIGITS})\s*(?:个|個)?\s*(?P<unit>工作日|天|日)"
        )

    def read(self, text: str, ctx: Context, inner: InnerReader) -> Reading | None:
        """The period's last day, None when ``text`` is not a period phrase at all."""
        match = self.head.fullmatch(text)
        if match is not None:
            return self._western(match, ctx, inner)
        if self.chinese and (match := self.zh_rule.fullmatch(text)):
            direction: Direction = "before" if match["dir"] in _ZH_BEFORE else "after"
            n = chinese_number(match["n"].replace(",", ""))
            period = _Period(n, None, _ZH_UNITS[match["unit"]], direction)
            return self._count(period, inner(match["inner"]), ctx)
        return None

    # -- the parts -----------------------------------------------------------------------------

    def _count_of(self, match: re.Match[str]) -> tuple[int, int | None]:
        """The count, and the bracketed figure when it disagrees with the words."""
        if match["d"]:
            figure = int(match["d"].replace(",", ""))
            if match["dw"] is None:
                return figure, None
            words = self.lex.numbers[match["dw"]]
        else:
            words = self.lex.numbers[match["w"]]
            if match["wd"] is None:
                return words, None
            figure = int(match["wd"].replace(",", ""))
        # Words prevail over figures in a legal text; the figure is offered as the other reading.
        return words, (figure if figure != words else None)

    def _western(self, match: re.Match[str], ctx: Context, inner: InnerReader) -> Reading | None:
        count, figure = self._count_of(match)
        unit = self.lex.units[match["unit"]]
        rest = match["rest"]
        leads = bool(match["lead"])
        first_failure: UnreadTrigger | None = None
        for connector in self.connectors:
            if not rest.startswith(connector + " "):
                continue
            if connector in self.lex.within_words and not leads:
                continue  # "21 days of Dec 1" says no direction; "within 21 days of" does
            direction: Direction = "before" if connector in self.lex.before_words else "after"
            try:
                start, by_mail, served = self._trigger(rest[len(connector) + 1 :], inner)
            except UnreadTrigger as failure:
                first_failure = first_failure or failure
                continue
            # "within 21 days of service": what runs from service runs forward.
            either_way = connector in self.lex.within_words and not served
            period = _Period(count, figure, unit, direction, by_mail, either_way)
            return self._count(period, start, ctx)
        if first_failure is not None:
            raise first_failure
        return None

    def _trigger(self, rest: str, inner: InnerReader) -> tuple[Reading, bool, bool]:
        """The trigger date after a connector, whether service was by mail, and whether the
        trigger is a service at all.

        Tried as a date (after service words), then after each word that links an event to
        its date, left to right; the first that reads wins. Only "not a date" moves on: a
        date that is wrong (Feb 30) is refused where it is found.
        """
        plain = self.service.fullmatch(rest)
        assert plain is not None  # ".+?" matches any non-empty rest
        service = plain["svc"] or ""
        by_mail = service in self.lex.service_by_mail or bool(plain["mail"])
        try:
            return inner(plain["inner"]), by_mail, bool(service)
        except UnreadTrigger as failure:
            first = failure
        for link in self.link.finditer(rest):
            event = rest[: link.start()].split()
            if not self._is_event(event):
                continue
            after = self.service.fullmatch(rest[link.end() :].strip())
            if after is None or after["svc"]:
                continue
            mailed = bool(after["mail"]) or any(self._mail(w) for w in event)
            try:
                return inner(after["inner"]), mailed, False
            except UnreadTrigger:
                continue
        raise first

    def _is_event(self, words: list[str]) -> bool:
        if not 1 <= len(words) <= _MAX_EVENT_WORDS:
            return False
        return all(_EVENT_WORD.fullmatch(w) and w not in self.not_event for w in words)

    def _mail(self, word: str) -> bool:
        """'mail', 'mailing', 'mailed', 'correo', 'ταχυδρομείο' (not 'email': FRCP 6(d) adds
        nothing for electronic service since 2016)."""
        return any(word.startswith(m) for m in self.lex.mail_words)

    def _count(self, period: _Period, start: Reading, ctx: Context) -> Reading:
        """Count the period from the trigger, with the other readings the user must pick from."""
        unit, n = period.unit, period.count
        weeks_note = None
        counts = [n] + ([period.figure] if period.figure is not None else [])
        if unit == WEEK:  # "2 weeks after": counted as the 14 days it is
            weeks = "a week" if n == 1 else f"{n} weeks"
            unit, weeks_note, counts = DAY, f"{weeks} = {n * 7} days", [c * 7 for c in counts]
        if unit not in (DAY, COURT_DAY):
            raise Refusal(
                f"Clerk counts rule periods in days. Say it in days, e.g. "
                f"'30 days {period.direction} ...' rather than months or years."
            )
        for value in counts:
            if value == 0:
                raise Refusal(
                    "A period of 0 days is the trigger day itself: give that date, or the "
                    "number of days the period runs."
                )
            if value > LONGEST[unit]:
                raise Refusal(f"{value:,} days is more than 50 years: check the number of days.")
        court_days = unit == COURT_DAY
        direction: Direction = "before" if period.direction == "before" else "after"

        def counted(day: date, days: int) -> Computation:
            return count_period(
                ctx.calendar, day, days, direction, court_days=court_days, by_mail=period.by_mail
            )

        main = counted(start.day, counts[0])
        others = [counted(d, counts[0]) for d in start.alternatives]
        notes = [weeks_note] if weeks_note else []
        if start.alternatives:
            notes.append(
                f"the trigger date is ambiguous; from {format_day(start.alternatives[0])} it "
                f"would be {format_day(others[0].result)}"
            )
        if period.either_way:
            backward = count_period(
                ctx.calendar, start.day, counts[0], "before", court_days=court_days
            )
            others.append(backward)
            notes.append(
                f"'within {counts[0]} days of' can also run back from the date: counted "
                f"before it, it would be {format_day(backward.result)}"
            )
        if len(counts) > 1:
            other = counted(start.day, counts[1])
            others.append(other)
            notes.append(
                f"the words say {period.count} but the figure says {period.figure}; counting "
                f"{counts[1]} it would be {format_day(other.result)}"
            )
        return Reading(
            main.result,
            False,
            "; ".join(notes) or None,
            main,
            tuple(o.result for o in others),
            tuple(o.explanation for o in others),
        )
