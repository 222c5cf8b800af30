"""Clerk's own date grammar, tried before dateparser on the whole (folded, tidied) phrase.

Why: these are the phrases a docket depends on and that dateparser gets wrong or not at all
("end of month", "3 court days before Jan 18", "下周五", "el próximo viernes", "Feb 29" in
2027, "3/4" read silently as March). Every pattern must match the whole phrase: a phrase with
one unknown word is not read here (the engine then tries dateparser under strict checks, and
refuses if that fails too).

Order matters only where patterns could overlap: plain calendar dates first, then relative
words, weekdays, offsets ("in 3 weeks") and last the rule phrases ("21 days after DATE"), whose
DATE is read by the engine's ``inner`` callback with the "nearest" year rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from bot.dates.court import count_period
from bot.dates.folding import alternation
from bot.dates.languages import COURT_DAY, DAY, MONTH, NEXT_WEEK, PLAIN, THIS_WEEK, WEEK, Lexicon
from bot.dates.languages import LAST_WEEK as PREVIOUS_WEEK
from bot.dates.numbers import chinese_number
from bot.dates.resolve import (
    Context,
    Reading,
    Refusal,
    add_months,
    build,
    check_weekday,
    expand_year,
    month_end,
    month_end_of,
    numeric_readings,
    pick_year,
    resolve_weekday,
)
from bot.dates.rules import InnerReader, RuleReader

_ZH_DIGITS = r"\d{1,2}|[零〇一二两兩三四五六七八九十]{1,3}"
_ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEK_PREFIX = {"这": THIS_WEEK, "這": THIS_WEEK, "本": THIS_WEEK, "下": NEXT_WEEK}
_ZH_WEEK_PREFIX["上"] = PREVIOUS_WEEK
_ZH_UNITS = {"天": DAY, "日": DAY, "周": WEEK, "週": WEEK, "星期": WEEK, "礼拜": WEEK}
_ZH_UNITS.update({"禮拜": WEEK, "月": MONTH, "年": "year", "工作日": COURT_DAY})
_ZH_MONTH_OFFSET = {"下": 1, "本": 0, "这": 0, "這": 0, "上": -1}
_ZH_AFTER = {"后", "後", "以后", "以後", "之后", "之後", "内", "內"}
# Counts beyond 50 years are typos ("in 2026 weeks"), not deadlines.
_FARTHEST = {DAY: 18_262, WEEK: 2_609, MONTH: 600, "year": 50, COURT_DAY: 12_600}
_ORDINAL = r"(?:st|nd|rd|th|η|ης|º|°)?"
_YEAR = r"(?P<y>\d{4}|['’]\d{2})"


class Grammar:
    """Compiled patterns for one set of configured languages."""

    def __init__(self, lexicon: Lexicon, languages: Sequence[str]) -> None:
        self.lex = lexicon
        self.chinese = "zh" in languages
        lx = lexicon
        wd = alternation(lx.weekdays) + r"\.?"
        mon = alternation(lx.months) + r"\.?"
        art = alternation(lx.articles or {"the"})
        num = r"\d{1,4}|" + alternation(lx.numbers) if lx.numbers else r"\d{1,4}"
        self.month_words = alternation(lx.months) if lx.months else r"(?!x)x"
        wd1 = rf"(?:(?:{art})\s+)?(?:(?P<wd1>{wd})\s+)?(?:(?:{art})\s+)?"
        wd2 = rf"(?:\s+\(?(?P<wd2>{wd})\)?)?"
        year = rf"(?:\s+(?:de\s+|del\s+)?{_YEAR})?"

        def c(pattern: str) -> re.Pattern[str]:
            return re.compile(pattern)

        self.iso = c(rf"{wd1}(?P<y>\d{{4}})(?P<s>[-/.])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}}){wd2}")
        self.numeric = c(
            rf"{wd1}(?P<a>\d{{1,2}})(?:/(?P<b>\d{{1,2}})|(?P<s>[-/.])(?P<b2>\d{{1,2}})"
            rf"(?P=s)(?P<y>\d{{4}}|\d{{2}})){wd2}"
        )
        self.month_day = c(rf"{wd1}(?P<mon>{mon})\s*(?P<d>\d{{1,2}}){_ORDINAL}{year}{wd2}")
        self.day_month = c(
            rf"{wd1}(?P<d>\d{{1,2}}){_ORDINAL}\s*(?:of\s+|de\s+)?(?P<mon>{mon}){year}{wd2}"
        )
        self.month_only = c(rf"(?:(?:{art})\s+)?(?P<mon>{mon}){year}")
        self.zh_date = c(
            rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?P<m>{_ZH_DIGITS})\s*月\s*(?P<d>{_ZH_DIGITS})\s*[日号號]"
            r"(?:\s*[(（]?\s*(?:星期|礼拜|禮拜|周|週)(?P<zwd>[一二三四五六日天])\s*[)）]?)?"
        )
        self.relative_day = c(rf"(?:(?:{art})\s+)?(?P<rel>{alternation(lx.days_from_today)})")
        self.business_day = c(rf"(?:(?:{art})\s+)?(?P<bd>{alternation(lx.next_business_day)})")
        self.month_end = c(rf"(?P<me>{alternation(lx.month_end)})")
        self.year_end = c(rf"(?P<ye>{alternation(lx.year_end)})")
        self.of_month = c(
            rf"(?:(?:{art})\s+)?(?P<d>\d{{1,2}}){_ORDINAL}\s+(?P<rel>{alternation(lx.of_month)})"
        )
        self.zh_of_month = c(
            rf"(?P<rel>下个月|下個月|下月|本月|这个月|這個月|上个月|上個月|上月)\s*"
            rf"(?P<d>{_ZH_DIGITS})\s*[号號日]"
        )
        self.end_of_named_month = c(rf"(?:the\s+)?end\s+of\s+(?P<mon>{mon}){year}")
        pre = alternation(lx.weekday_before)
        post = alternation(lx.weekday_after)
        self.weekday = c(
            rf"(?:(?:{art})\s+)?(?:(?P<pre>{pre})\s+)?(?:(?:{art})\s+)?(?P<wd>{wd})"
            rf"(?:\s+(?P<post>{post}))?"
        )
        unit = alternation(lx.units)
        self.offset = c(
            rf"(?:(?P<in>{alternation(lx.in_words)})\s+)?(?P<n>{num})\s+(?P<unit>{unit})"
            rf"(?:\s+(?P<from>{alternation(lx.from_now_words)}))?"
        )
        self.ago = c(
            rf"(?:(?P<before>{alternation(lx.ago_before)})\s+(?P<n>{num})\s+(?P<unit>{unit}))|"
            rf"(?:(?P<n2>{num})\s+(?P<unit2>{unit})\s+(?P<after>{alternation(lx.ago_after)}))"
        )
        self.rules = RuleReader(lexicon, self.chinese)
        self.zh_weekday = c(
            r"(?P<pre>这|這|本|下|上)?\s*(?:个|個)?\s*(?:星期|礼拜|禮拜|周|週)(?P<zwd>[一二三四五六日天])"
        )
        # "3个月后" is three months on; "3月后" would be "after March", so 月 needs its 个.
        self.zh_offset = c(
            rf"(?P<n>{_ZH_DIGITS})\s*(?:(?:个|個)\s*(?P<unit>月)|(?:个|個)?\s*"
            r"(?P<unit2>工作日|天|日|星期|礼拜|禮拜|周|週|年))"
            r"\s*(?P<dir>以后|以後|之后|之後|后|後|内|內|以前|之前|前)"
        )
        self.zh_month_end = c(rf"(?P<m>{_ZH_DIGITS})\s*月\s*(?:底|末)")

    # -- helpers -------------------------------------------------------------------------------

    def _weekday_of(self, word: str | None) -> int | None:
        return None if word is None else self.lex.weekdays[word.rstrip(".")]

    def _number(self, text: str) -> int:
        if text.isdigit():
            return int(text)
        return self.lex.numbers.get(text, chinese_number(text))

    def _wd_check(self, match: re.Match[str]) -> int | None:
        first, second = self._weekday_of(match["wd1"]), self._weekday_of(match["wd2"])
        if first is not None and second is not None and first != second:
            raise Refusal("That date names two different weekdays. Check the date.")
        return first if first is not None else second

    # -- the grammar ---------------------------------------------------------------------------

    def read(self, text: str, ctx: Context, inner: InnerReader | None) -> Reading | None:
        """The reading of the whole ``text``, None if no pattern covers all of it."""
        for reader in (self._dates, self._relative, self._offsets):
            reading = reader(text, ctx)
            if reading is not None:
                return reading
        if inner is not None:
            reading = self.rules.read(text, ctx, inner)
            if reading is not None:
                return reading
        if self.month_only.fullmatch(text):
            raise Refusal(
                f"'{text}' names a month, not a day. Give the day too, e.g. 'Dec 3' or "
                "'2026-12-03'."
            )
        return None

    def _dates(self, text: str, ctx: Context) -> Reading | None:
        if match := self.iso.fullmatch(text):
            day = build(int(match["y"]), int(match["m"]), int(match["d"]))
            check_weekday(day, self._wd_check(match))
            return Reading(day)
        if match := self.numeric.fullmatch(text):
            second = match["b"] or match["b2"]
            weekday = self._wd_check(match)
            return numeric_readings(int(match["a"]), int(second), match["y"], ctx, weekday)
        for pattern in (self.month_day, self.day_month):
            if match := pattern.fullmatch(text):
                month = self.lex.months[match["mon"].rstrip(".")]
                if match["y"]:
                    day = build(expand_year(match["y"], ctx.today), month, int(match["d"]))
                else:
                    day = pick_year(month, int(match["d"]), ctx)
                check_weekday(day, self._wd_check(match))
                return Reading(day)
        if self.chinese and (match := self.zh_date.fullmatch(text)):
            month, day_number = chinese_number(match["m"]), chinese_number(match["d"])
            if match["y"]:
                day = build(int(match["y"]), month, day_number)
            else:
                day = pick_year(month, day_number, ctx)
            check_weekday(day, _ZH_WEEKDAY.get(match["zwd"] or ""))
            return Reading(day)
        return None

    def _relative(self, text: str, ctx: Context) -> Reading | None:
        today = ctx.today
        if match := self.relative_day.fullmatch(text):
            offset = self.lex.days_from_today[match["rel"]]
            return Reading(today + timedelta(days=offset), literal=False)
        if match := self.business_day.fullmatch(text):
            computation = count_period(ctx.calendar, today, 1, "after", court_days=True)
            return Reading(computation.result, False, "the first court day after today")
        if match := self.month_end.fullmatch(text):
            return Reading(month_end(today, self.lex.month_end[match["me"]]), literal=False)
        if match := self.year_end.fullmatch(text):
            year = today.year + self.lex.year_end[match["ye"]]
            return Reading(build(year, 12, 31), literal=False)
        if match := self.of_month.fullmatch(text):
            months_ahead = self.lex.of_month[match["rel"]]
            return self._day_of_month(int(match["d"]), months_ahead, ctx)
        if self.chinese and (match := self.zh_of_month.fullmatch(text)):
            months_ahead = _ZH_MONTH_OFFSET[match["rel"][0]]
            return self._day_of_month(chinese_number(match["d"]), months_ahead, ctx)
        if match := self.end_of_named_month.fullmatch(text):
            month = self.lex.months[match["mon"].rstrip(".")]
            return self._end_of_month_number(month, match["y"], ctx)
        if self.chinese and (match := self.zh_month_end.fullmatch(text)):
            return self._end_of_month_number(chinese_number(match["m"]), None, ctx)
        if match := self.weekday.fullmatch(text):
            pre = self.lex.weekday_before.get(match["pre"] or "", PLAIN)
            post = self.lex.weekday_after.get(match["post"] or "", PLAIN)
            if pre != PLAIN and post != PLAIN and pre != post:
                raise Refusal(f"'{text}' says two different things about which week. Say one.")
            kind = post if post != PLAIN else pre
            return resolve_weekday(self._weekday_of(match["wd"]) or 0, kind, ctx)
        if self.chinese and (match := self.zh_weekday.fullmatch(text)):
            kind = _ZH_WEEK_PREFIX.get(match["pre"] or "", PLAIN)
            return resolve_weekday(_ZH_WEEKDAY[match["zwd"]], kind, ctx)
        return None

    def _day_of_month(self, day: int, months_ahead: int, ctx: Context) -> Reading:
        """'the 3rd of next month': that day of the month so many months from this one."""
        first = month_end(ctx.today, months_ahead).replace(day=1)
        return Reading(build(first.year, first.month, day), literal=False)

    def _end_of_month_number(self, month: int, year: str | None, ctx: Context) -> Reading:
        if year:
            end = month_end(build(expand_year(year, ctx.today), month, 1), 0)
        else:
            end = month_end_of(month, ctx)
        return Reading(end, literal=False, note="the last day of the month")

    def _offsets(self, text: str, ctx: Context) -> Reading | None:
        match = self.offset.fullmatch(text)
        if match and (match["in"] or match["from"]):
            return self._shift(match["n"], self.lex.units[match["unit"]], 1, text, ctx)
        if match:
            raise Refusal(
                f"'{text}' from when? Say where it counts from, e.g. 'in 3 days' (from today) "
                "or '3 days after Dec 1' (from a trigger date)."
            )
        if match := self.ago.fullmatch(text):
            n, unit = (match["n"], match["unit"]) if match["n"] else (match["n2"], match["unit2"])
            return self._shift(n, self.lex.units[unit], -1, text, ctx)
        if self.chinese and (match := self.zh_offset.fullmatch(text)):
            unit = _ZH_UNITS[match["unit"] or match["unit2"]]
            sign = 1 if match["dir"] in _ZH_AFTER else -1
            return self._shift(match["n"], unit, sign, text, ctx)
        return None

    def _shift(self, count: str, unit: str, sign: int, text: str, ctx: Context) -> Reading:
        """'in 3 weeks': plain calendar arithmetic from today, all day, no FRCP rolling."""
        n = self._number(count)
        today = ctx.today
        if unit == COURT_DAY:
            direction = "after" if sign > 0 else "before"
            computation = count_period(ctx.calendar, today, n, direction, court_days=True)
            return Reading(computation.result, False, None, computation)
        if n > _FARTHEST[unit]:
            raise Refusal(f"'{text}' is more than 50 years away. Give the date itself.")
        if unit in (DAY, WEEK):
            days = n * (7 if unit == WEEK else 1)
            day = today + timedelta(days=sign * days)
            return Reading(build(day.year, day.month, day.day), literal=False)
        months = n * (12 if unit != MONTH else 1)
        return Reading(add_months(today, sign * months, text), literal=False)
