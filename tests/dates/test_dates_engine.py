"""The engine's contract beyond single phrases: titles, explanations, firm settings, clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from bot.dates.court import CourtCalendar
from bot.dates.engine import DateEngine, ParsedDate
from bot.errors import InvalidInput
from tests.dates.conftest import NEW_YORK, NOW

D = date


# --- split_trailing: "<title> <date>" ------------------------------------------------------

SPLITS = [
    ("Reply brief due next Friday", "Reply brief", D(2026, 11, 20), "next Friday"),
    ("Reply brief due on next Friday", "Reply brief", D(2026, 11, 20), "next Friday"),
    ("Call client tomorrow", "Call client", D(2026, 11, 19), "tomorrow"),
    ("Answer due 21 days after Dec 1", "Answer", D(2026, 12, 22), "21 days after Dec 1"),
    ("File reply - Dec 3.", "File reply", D(2026, 12, 3), "Dec 3"),
    ("Brief due Friday next week", "Brief", D(2026, 11, 27), "Friday next week"),
    ("Deposition of witness 2 Dec 3", "Deposition of witness 2", D(2026, 12, 3), "Dec 3"),
    ("Pay 2 May 5", "Pay 2", D(2027, 5, 5), "May 5"),
    ("Review (draft) on Dec 3", "Review (draft)", D(2026, 12, 3), "Dec 3"),
    ("Reply <v2> Dec 3", "Reply <v2>", D(2026, 12, 3), "Dec 3"),
    ("Pay 2 May 26", "Pay 2", D(2027, 5, 26), "May 26"),
    ("Call re 3:00 conference Friday", "Call re 3:00 conference", D(2026, 11, 20), "Friday"),
    ("Serve 3 days after Dec 1", "Serve", D(2026, 12, 4), "3 days after Dec 1"),
    ("Opposition 3 court days before Jan 18 2027", "Opposition", D(2027, 1, 13), None),
    ("Presentar escrito para el próximo viernes", "Presentar escrito", D(2026, 11, 20), None),
    ("Llamar al cliente mañana", "Llamar al cliente", D(2026, 11, 19), "mañana"),
    ("Κατάθεση υπομνήματος έως τις 3 Δεκεμβρίου", "Κατάθεση υπομνήματος", D(2026, 12, 3), None),
    ("Τηλεφώνημα στον πελάτη αύριο", "Τηλεφώνημα στον πελάτη", D(2026, 11, 19), "αύριο"),
    ("提交答辩状截止12月3日", "提交答辩状", D(2026, 12, 3), "12月3日"),
    ("回复意见下周五", "回复意见", D(2026, 11, 27), "下周五"),
    ("提交证据3个工作日后", "提交证据", D(2026, 11, 23), "3个工作日后"),
]


@pytest.mark.parametrize(("text", "title", "day", "source"), SPLITS, ids=[s[0] for s in SPLITS])
def test_split_trailing(
    engine: DateEngine, text: str, title: str, day: date, source: str | None
) -> None:
    got_title, parsed = engine.split_trailing(text, now=NOW)
    assert (got_title, parsed.day) == (title, day)
    assert parsed.at is None
    if source is not None:
        assert parsed.source == source
    assert parsed.source in text


def test_split_trailing_with_a_time(engine: DateEngine) -> None:
    title, parsed = engine.split_trailing("Hearing Dec 3 at 10am", now=NOW)
    assert title == "Hearing"
    assert parsed.at == datetime(2026, 12, 3, 10, 0, tzinfo=NEW_YORK)
    assert parsed.source == "Dec 3 at 10am"
    assert parsed.explanation == "Thu 3 Dec 2026 10:00 EST"


def test_split_trailing_keeps_an_ambiguous_date_ambiguous(engine: DateEngine) -> None:
    title, parsed = engine.split_trailing("Pay $500 on 3/4", now=NOW)
    assert title == "Pay $500"
    assert (parsed.day, parsed.alternatives) == (D(2027, 3, 4), (D(2027, 4, 3),))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("next Friday", "only a date"),
        ("due Dec 3", "only a date"),
        ("Review banana", "couldn't find a date"),
        ("Reply brief", "couldn't find a date"),
        ("", "couldn't find a date"),
        ("Meeting next week", "names a week"),
        ("Hearing Thursday Dec 4 2026", "is a Friday, not a Thursday"),
        ("Hearing Feb 30", "no 30 Feb"),
        ("Filing deadline Feb 29", "not a leap year"),
        ("Call Dec 3 3:00", "morning or the afternoon"),
        ("Answer 21 days after the hearing", "the date the period runs from"),
        ("提交答辩状12月3日前", "couldn't find a date"),  # not "3日前", three days ago
    ],
)
def test_split_trailing_refusals(engine: DateEngine, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        engine.split_trailing(text, now=NOW)


def test_split_leading(engine: DateEngine) -> None:
    name, parsed = engine.split_leading("Dec 24 Office closed", now=NOW)
    assert (name, parsed.day) == ("Office closed", D(2026, 12, 24))
    name, parsed = engine.split_leading("2026-12-31 Office move", now=NOW)
    assert (name, parsed.day) == ("Office move", D(2026, 12, 31))
    with pytest.raises(InvalidInput, match="name after the date"):
        engine.split_leading("Dec 24", now=NOW)
    with pytest.raises(InvalidInput, match="couldn't find a date"):
        engine.split_leading("Office closed", now=NOW)
    with pytest.raises(InvalidInput, match="couldn't find a date"):
        engine.split_leading("12月3日前办公室关闭", now=NOW)
    name, parsed = engine.split_leading("12月24日 办公室关闭", now=NOW)
    assert (name, parsed.day) == ("办公室关闭", D(2026, 12, 24))


# --- explanations and fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "explanation"),
    [
        ("Dec 3", "Thu 3 Dec 2026"),
        ("Dec 3 10am", "Thu 3 Dec 2026 10:00 EST"),
        ("Jun 3 2027 10am", "Thu 3 Jun 2027 10:00 EDT"),
        ("next Friday", "next Friday = Fri 20 Nov 2026 (the first Friday after today)"),
        ("下周五", "下周五 = Fri 27 Nov 2026 (Friday of next week; weeks start on Monday)"),
        ("in 3 days", "in 3 days = Sat 21 Nov 2026 (a Saturday, not a court day)"),
        ("Dec 25", "Fri 25 Dec 2026 (Christmas Day, not a court day)"),
        ("3/4", "Thu 4 Mar 2027 (read month first; day first it would be Sat 3 Apr 2027)"),
        ("21 days after Nov 20", "21 days after Fri 20 Nov 2026 -> Fri 11 Dec 2026"),
        (
            "30 days after Dec 17",
            "30 days after Thu 17 Dec 2026 = Sat 16 Jan 2027 -> Mon 18 Jan is Martin Luther "
            "King Jr. Day -> Tue 19 Jan 2027",
        ),
        (
            "Nov 7 2027 1:30am",
            "Sun 7 Nov 2027 01:30 EDT (1:30 happens twice that night as the clocks go back; "
            "Clerk took the first, EDT, the earlier of the two; a Sunday, not a court day)",
        ),
    ],
)
def test_explanation(engine: DateEngine, text: str, explanation: str) -> None:
    assert engine.parse(text, now=NOW).explanation == explanation


def test_rule_phrase_carries_its_computation(engine: DateEngine) -> None:
    parsed = engine.parse("30 days after service by mail on Dec 16", now=NOW)
    assert parsed.computation is not None
    assert parsed.computation.by_mail and not parsed.computation.court_days
    assert parsed.computation.start == D(2026, 12, 16)
    assert parsed.explanation == parsed.computation.explanation
    assert "+ 3 days for service by mail (FRCP 6(d))" in parsed.explanation


def test_a_trigger_without_a_year_is_the_nearest_one(engine: DateEngine) -> None:
    """Typed on 15 Dec, "21 days after Dec 1" counts from the 1 Dec just gone."""
    now = datetime(2026, 12, 15, 9, 0, tzinfo=NEW_YORK)
    parsed = engine.parse("21 days after Dec 1", now=now)
    assert parsed.computation is not None and parsed.computation.start == D(2026, 12, 1)
    assert parsed.day == D(2026, 12, 22)
    assert engine.parse("10 days after Jan 5", now=now).computation.start == D(2027, 1, 5)  # type: ignore[union-attr]


def test_a_dst_gap_is_refused_with_a_reason(engine: DateEngine) -> None:
    with pytest.raises(InvalidInput, match="does not exist in America/New_York"):
        engine.parse("Mar 8 2026 2:30am", now=NOW)


def test_the_autumn_fold_takes_the_earlier_instant(engine: DateEngine) -> None:
    parsed = engine.parse("Nov 7 2027 1:30am", now=NOW)
    assert parsed.at is not None
    assert parsed.at.astimezone(UTC) == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)


def test_all_day_relative_dates_drop_the_time_of_now(engine: DateEngine) -> None:
    for text in ("tomorrow", "in 21 days", "in 2 weeks", "mañana", "明天", "αύριο"):
        assert engine.parse(text, now=NOW).at is None, text


def test_is_past(engine: DateEngine) -> None:
    assert engine.parse("Oct 3", now=NOW, prefer="past").is_past(NOW)
    assert not engine.parse("tomorrow", now=NOW).is_past(NOW)
    assert not engine.parse("today", now=NOW).is_past(NOW)
    assert engine.parse("today 9am", now=NOW).is_past(NOW)
    assert not engine.parse("today 11am", now=NOW).is_past(NOW)
    late_evening_utc = datetime(2026, 11, 19, 3, 0, tzinfo=UTC)  # 22:00 on the 18th in New York
    assert not engine.parse("Nov 18", now=NOW).is_past(late_evening_utc)


def test_parsed_date_is_a_frozen_value() -> None:
    parsed = ParsedDate(day=D(2026, 12, 3), at=None, source="Dec 3", explanation="Thu 3 Dec 2026")
    assert parsed.all_day and parsed.computation is None and parsed.alternatives == ()
    with pytest.raises(AttributeError):
        parsed.day = D(2026, 12, 4)  # type: ignore[misc]


def test_a_naive_now_is_read_in_the_firm_zone(engine: DateEngine) -> None:
    assert engine.parse("today", now=datetime(2026, 11, 18, 23, 30)).day == D(2026, 11, 18)


# --- firm settings -----------------------------------------------------------------------------


def test_day_first_firm_reads_day_first_without_asking(calendar: CourtCalendar) -> None:
    firm = DateEngine(
        languages=("en", "es"), date_order="DMY", timezone=NEW_YORK, calendar=calendar
    )
    parsed = firm.parse("3/4", now=NOW)
    assert (parsed.day, parsed.alternatives) == (D(2027, 4, 3), ())
    assert firm.parse("03/04/2027", now=NOW).day == D(2027, 4, 3)
    with pytest.raises(InvalidInput):
        firm.parse("12/31/2026", now=NOW)  # no month 31


def test_month_first_firm_does_not_ask_either(calendar: CourtCalendar) -> None:
    firm = DateEngine(languages=("en",), date_order="MDY", timezone=NEW_YORK, calendar=calendar)
    parsed = firm.parse("3/4", now=NOW)
    assert (parsed.day, parsed.alternatives) == (D(2027, 3, 4), ())


def test_english_only_firm_refuses_other_languages(english: DateEngine) -> None:
    assert english.parse("next Friday", now=NOW).day == D(2026, 11, 20)
    for text in ("mañana", "αύριο", "明天", "el próximo viernes"):
        with pytest.raises(InvalidInput):
            english.parse(text, now=NOW)


def test_a_spanish_firm_keeps_its_month_abbreviations(calendar: CourtCalendar) -> None:
    """ "ago" is agosto for a Spanish-only firm; with English configured too, it is "ago"."""
    firm = DateEngine(languages=("es",), timezone=NEW_YORK, calendar=calendar)
    assert firm.parse("10 ago 2027", now=NOW).day == D(2027, 8, 10)


def test_weekdays_in_any_configured_language(calendar: CourtCalendar) -> None:
    """French is not one of Clerk's grammar languages: names come from dateparser's data."""
    firm = DateEngine(languages=("en", "fr"), timezone=NEW_YORK, calendar=calendar)
    assert firm.parse("vendredi", now=NOW).day == D(2026, 11, 20)
    assert firm.parse("demain", now=NOW).day == D(2026, 11, 19)
    assert firm.parse("3 décembre 2026", now=NOW).day == D(2026, 12, 3)
    assert firm.parse("le 3 décembre", now=NOW).day == D(2026, 12, 3)
    with pytest.raises(InvalidInput, match="names a month"):
        firm.parse("Mar", now=NOW)  # March in English, mardi in French: never guessed


def test_the_firm_calendar_closes_days_for_counting(engine: DateEngine) -> None:
    closed = CourtCalendar("US", closures=[(D(2026, 11, 27), "Office closed")])
    firm = DateEngine(languages=("en",), timezone=NEW_YORK, calendar=closed)
    now = datetime(2026, 11, 25, 9, 0, tzinfo=NEW_YORK)
    assert firm.parse("next business day", now=now).day == D(2026, 11, 30)
    assert engine.parse("next business day", now=now).day == D(2026, 11, 27)
    later = engine.with_calendar(closed)
    assert later.parse("next business day", now=now).day == D(2026, 11, 30)
    assert later.parse("Nov 27", now=now).explanation == (
        "Fri 27 Nov 2026 (Office closed, not a court day)"
    )
    assert engine.calendar is not closed


@pytest.mark.parametrize(
    ("languages", "date_order"), [(("xx",), None), ((), None), (("en",), "MDD")]
)
def test_bad_configuration_is_refused(
    calendar: CourtCalendar, languages: tuple[str, ...], date_order: str | None
) -> None:
    with pytest.raises(InvalidInput):
        DateEngine(languages=languages, date_order=date_order, timezone=NEW_YORK, calendar=calendar)


# --- the clock ---------------------------------------------------------------------------------


def test_parsing_never_reads_the_real_clock(engine: DateEngine) -> None:
    with time_machine.travel(datetime(2031, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        assert engine.parse("tomorrow", now=NOW).day == D(2026, 11, 19)
        assert engine.parse("Oct 3", now=NOW).day == D(2027, 10, 3)


def test_warm_up_under_a_frozen_clock_is_quick(calendar: CourtCalendar) -> None:
    firm = DateEngine(languages=("en", "es", "el", "zh"), timezone=NEW_YORK, calendar=calendar)
    with time_machine.travel(datetime(2027, 12, 31, 23, 59, tzinfo=NEW_YORK), tick=False):
        firm.warm_up()
        now = datetime.now(UTC)
    started = datetime.now(UTC)
    assert firm.parse("tomorrow", now=now).day == D(2028, 1, 1)
    assert datetime.now(UTC) - started < timedelta(seconds=1)
