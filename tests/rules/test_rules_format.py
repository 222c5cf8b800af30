"""The plain-text descriptions: sets, a chain preview, a trigger move; and the README example."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.dates.court import Computation, CourtCalendar
from bot.rules.apply import (
    ComputedDeadline,
    DependentChange,
    DependentState,
    compute_chain,
    recompute_dependents,
)
from bot.rules.format import (
    describe_changes,
    describe_period,
    describe_set,
    describe_sets,
    format_day,
    preview_line,
    preview_text,
)
from bot.rules.loader import load_rule_sets

BOOK = load_rule_sets(None)
README = Path(__file__).parents[2] / "README.md"


@pytest.fixture(scope="module")
def calendar() -> CourtCalendar:
    return CourtCalendar("US")


def test_format_day_is_locale_free() -> None:
    assert format_day(date(2027, 1, 4)) == "Mon 4 Jan 2027"
    assert format_day(date(2027, 12, 31)) == "Fri 31 Dec 2027"


def test_preview_line_matches_the_pinned_example() -> None:
    explanation = "30 days after Fri 4 Dec 2026 -> Sun 3 Jan 2027 -> Mon 4 Jan 2027"
    computation = Computation(
        start=date(2026, 12, 4),
        days=30,
        direction="after",
        court_days=False,
        by_mail=False,
        result=date(2027, 1, 4),
        explanation=explanation,
    )
    deadline = ComputedDeadline(
        rule="frcp:notice-of-appeal",
        rule_id="notice-of-appeal",
        title="Notice of appeal",
        citation="FRAP 4(a)(1)(A)",
        due_on=date(2027, 1, 4),
        computation=computation,
        mail_days_added=False,
        mail_days_apply=False,
        note=None,
        extendable=True,
    )
    assert preview_line(deadline) == (
        "Notice of appeal — Mon 4 Jan 2027 — FRAP 4(a)(1)(A) — "
        "30 days after Fri 4 Dec 2026 -> Sun 3 Jan 2027 -> Mon 4 Jan 2027"
    )


def test_preview_text_of_a_judgment(calendar: CourtCalendar) -> None:
    chain = compute_chain(BOOK, "frcp", "judgment", date(2026, 12, 4), calendar, by_mail=False)
    text = preview_text(chain)
    lines = text.splitlines()
    assert lines[0] == (
        "Federal Rules of Civil Procedure (frcp): Entry of judgment on Fri 4 Dec 2026 "
        "-> 5 deadlines"
    )
    appeal = next(line for line in lines if line.startswith("Notice of appeal — "))
    assert appeal.startswith("Notice of appeal — Mon 4 Jan 2027 — FRAP 4(a)(1)(A) — ")
    for citation in ("FRCP 50(b)", "FRCP 59(b)", "FRCP 59(e)"):
        at = next(i for i, line in enumerate(lines) if f" — {citation} — " in line)
        assert lines[at + 1] == "    Cannot be extended."
        assert lines[at + 2] == "    FRCP 6(b)(2): the court must not extend this time."
    assert "absent a stipulation or court order" in lines[-1]
    assert "by mail" not in text


def test_preview_text_by_mail_says_so_for_each(calendar: CourtCalendar) -> None:
    judgment = preview_text(
        compute_chain(BOOK, "frcp", "judgment", date(2026, 12, 4), calendar, by_mail=True)
    )
    assert judgment.count("Served by mail: no days added; FRCP 6(d) does not apply here.") == 5
    assert "Service by mail adds no days to any of these" in judgment
    discovery = preview_text(
        compute_chain(BOOK, "frcp", "discovery-served", date(2026, 12, 16), calendar, by_mail=True)
    )
    assert "(served by mail)" in discovery.splitlines()[0]
    assert "Responses and objections to discovery requests — Tue 19 Jan 2027 — " in discovery
    assert "Served by mail: 3 days added (FRCP 6(d))." in discovery
    assert "adds no days to any" not in discovery
    not_mailed = preview_text(
        compute_chain(BOOK, "frcp", "discovery-served", date(2026, 12, 16), calendar, by_mail=False)
    )
    assert "If served by mail, 3 more days apply (FRCP 6(d))." in not_mailed


def test_describe_sets_lists_triggers() -> None:
    text = describe_sets(BOOK)
    assert text.startswith(
        "frcp — Federal Rules of Civil Procedure — United States district courts"
    )
    assert "  judgment: Entry of judgment (5 deadlines)" in text
    assert "  served: Summons and complaint served on the defendant (1 deadline)" in text


def test_describe_set_shows_every_rule_with_its_citation() -> None:
    frcp = BOOK.get("frcp")
    text = describe_set(frcp)
    for rule in frcp.rules:
        assert f"{rule.id}: {rule.title} — {describe_period(rule)} — {rule.citation}" in text
    assert "notice-of-appeal: Notice of appeal — 30 days after — FRAP 4(a)(1)(A)" in text
    assert (
        "answer-counterclaim: Answer to counterclaim or crossclaim — 21 days after — "
        "FRCP 12(a)(1)(B) — +3 days if served by mail (FRCP 6(d))"
    ) in text
    assert "expert-disclosures: Expert disclosures — 90 days before" in text
    assert "FRCP 50(b) — cannot be extended" in text
    assert "absent a stipulation or court order" in text


def test_describe_changes_flags_the_one_moved_by_hand(calendar: CourtCalendar) -> None:
    changes = recompute_dependents(
        BOOK,
        "frcp",
        "judgment",
        date(2026, 12, 11),
        calendar,
        [
            DependentState("frcp:notice-of-appeal", date(2027, 1, 15), date(2027, 1, 4), False),
            DependentState("frcp:new-trial-motion", date(2027, 1, 4), date(2027, 1, 4), False),
        ],
    )
    kept, moved = describe_changes(changes).splitlines()
    assert kept == (
        "Notice of appeal: stays Fri 15 Jan 2027 (MOVED BY HAND, not changed: moved by hand "
        "since it was computed; the rule now gives Mon 11 Jan 2027)"
    )
    assert moved.startswith("Motion for a new trial: Mon 4 Jan 2027 -> Fri 8 Jan 2027 (")
    same = DependentChange("frcp:x", date(2027, 1, 4), date(2027, 1, 4), False, title="X")
    assert describe_changes([same]) == "X: unchanged, Mon 4 Jan 2027"


def test_readme_example_is_a_valid_rule_set(tmp_path: Path, calendar: CourtCalendar) -> None:
    """The YAML in the README section must load, and its worked date must be right."""
    (block,) = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    (tmp_path / "ny.yml").write_text(block, encoding="utf-8")
    book = load_rule_sets(tmp_path)
    ny = book.get("ny-cplr")
    assert [r.id for r in ny.rules] == [
        "answer-personal",
        "notice-of-appeal",
        "notice-of-appeal-by-mail",
    ]
    # 35 days after Mon 1 Mar 2027: 30 to Wed 31 Mar, 5 more to Mon 5 Apr 2027.
    chain = compute_chain(
        book, "ny-cplr", "judgment-served-by-mail", date(2027, 3, 1), calendar, by_mail=False
    )
    assert chain.deadlines[0].due_on == date(2027, 4, 5)
