"""compute_chain and recompute_dependents: the trigger's chain, mail days, and moving a trigger.

Expected dates are hand-counted literals (see test_rules_frcp_dates.py for the holidays).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.dates.court import CourtCalendar
from bot.errors import NotFound
from bot.rules.apply import DependentState, compute_chain, recompute_dependents
from bot.rules.loader import RuleBook, load_rule_sets

FIRM = """\
name: firm-local
title: Firm local rules
jurisdiction: Example District
triggers:
  - id: motion-served
    description: Motion served
  - id: hearing
    description: Hearing date
rules:
  - id: opposition
    title: Opposition
    trigger: motion-served
    days: 5
    count: court
    direction: after
    citation: L.R. 7.1
    mail_days_apply: true
  - id: reply-brief
    title: Reply brief
    trigger: hearing
    days: 3
    count: court
    direction: before
    citation: L.R. 7.2
    extendable: false
"""


DEC_18 = date(2026, 12, 18)


@pytest.fixture(scope="module")
def calendar() -> CourtCalendar:
    return CourtCalendar("US")


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return load_rule_sets(None)


def test_judgment_chain_sorted_by_date_with_refs(book: RuleBook, calendar: CourtCalendar) -> None:
    chain = compute_chain(book, "FRCP", "Judgment", date(2026, 12, 4), calendar, by_mail=False)
    assert chain.rule == "frcp:judgment"
    assert (chain.set_name, chain.trigger_id, chain.trigger_date) == (
        "frcp",
        "judgment",
        date(2026, 12, 4),
    )
    # 14 days -> Fri 18 Dec; 28 days -> Fri 1 Jan (holiday) -> Mon 4 Jan;
    # 30 days -> Sun 3 Jan -> Mon 4 Jan. Same-day deadlines keep the file's order.
    assert [(d.rule, d.due_on) for d in chain.deadlines] == [
        ("frcp:attorney-fees-motion", date(2026, 12, 18)),
        ("frcp:renewed-jmol-motion", date(2027, 1, 4)),
        ("frcp:new-trial-motion", date(2027, 1, 4)),
        ("frcp:alter-amend-motion", date(2027, 1, 4)),
        ("frcp:notice-of-appeal", date(2027, 1, 4)),
    ]
    by_id = {d.rule_id: d for d in chain.deadlines}
    assert by_id["notice-of-appeal"].citation == "FRAP 4(a)(1)(A)"
    assert by_id["notice-of-appeal"].title == "Notice of appeal"
    assert [d.rule_id for d in chain.deadlines if not d.extendable] == [
        "renewed-jmol-motion",
        "new-trial-motion",
        "alter-amend-motion",
    ]
    assert not chain.mail_ignored


def test_by_mail_on_judgment_adds_nothing_and_says_so(
    book: RuleBook, calendar: CourtCalendar
) -> None:
    plain = compute_chain(book, "frcp", "judgment", date(2026, 12, 4), calendar, by_mail=False)
    mailed = compute_chain(book, "frcp", "judgment", date(2026, 12, 4), calendar, by_mail=True)
    assert [d.due_on for d in mailed.deadlines] == [d.due_on for d in plain.deadlines]
    assert not any(d.mail_days_added for d in mailed.deadlines)
    assert mailed.mail_ignored


def test_by_mail_adds_6d_days_to_discovery(book: RuleBook, calendar: CourtCalendar) -> None:
    # 30 days after Wed 16 Dec 2026 = Fri 15 Jan 2027; +3 = Mon 18 Jan (MLK) -> Tue 19 Jan.
    chain = compute_chain(
        book, "frcp", "discovery-served", date(2026, 12, 16), calendar, by_mail=True
    )
    (deadline,) = chain.deadlines
    assert deadline.due_on == date(2027, 1, 19)
    assert deadline.mail_days_added
    assert deadline.computation.by_mail


def test_trial_chain_counts_backward(book: RuleBook, calendar: CourtCalendar) -> None:
    # Trial Fri 2 Apr 2027: 90 before = Sat 2 Jan -> Fri 1 Jan (holiday) -> Thu 31 Dec 2026;
    # 30 before = Wed 3 Mar 2027.
    chain = compute_chain(book, "frcp", "trial", date(2027, 4, 2), calendar, by_mail=False)
    assert [(d.rule_id, d.due_on) for d in chain.deadlines] == [
        ("expert-disclosures", date(2026, 12, 31)),
        ("pretrial-disclosures", date(2027, 3, 3)),
    ]


def test_unknown_set_and_trigger(book: RuleBook, calendar: CourtCalendar) -> None:
    with pytest.raises(NotFound, match="Available: frcp"):
        compute_chain(book, "cplr", "judgment", date(2026, 12, 4), calendar, by_mail=False)
    with pytest.raises(NotFound, match="no trigger 'verdict'"):
        compute_chain(book, "frcp", "verdict", date(2026, 12, 4), calendar, by_mail=False)


def test_firm_set_from_tmp_path_with_court_days(tmp_path: Path, calendar: CourtCalendar) -> None:
    (tmp_path / "local.yml").write_text(FIRM, encoding="utf-8")
    firm_book = load_rule_sets(tmp_path)
    # 5 court days after Wed 23 Dec 2026: Thu 24, (Fri 25 Christmas, weekend), Mon 28,
    # Tue 29, Wed 30, Thu 31 Dec 2026.
    chain = compute_chain(
        firm_book, "firm-local", "motion-served", date(2026, 12, 23), calendar, by_mail=False
    )
    (opposition,) = chain.deadlines
    assert (opposition.rule, opposition.due_on) == ("firm-local:opposition", date(2026, 12, 31))
    assert opposition.computation.court_days
    # By mail: Thu 31 Dec + 3 = Sun 3 Jan 2027 -> Mon 4 Jan 2027.
    mailed = compute_chain(
        firm_book, "firm-local", "motion-served", date(2026, 12, 23), calendar, by_mail=True
    )
    assert mailed.deadlines[0].due_on == date(2027, 1, 4)
    # 3 court days before Mon 4 Jan 2027: Thu 31 Dec, Wed 30, Tue 29 Dec 2026
    # (Fri 1 Jan is a holiday, Sat and Sun are skipped).
    hearing = compute_chain(
        firm_book, "firm-local", "hearing", date(2027, 1, 4), calendar, by_mail=False
    )
    (reply,) = hearing.deadlines
    assert (reply.due_on, reply.extendable) == (date(2026, 12, 29), False)


def test_recompute_keeps_the_dependent_moved_by_hand(
    book: RuleBook, calendar: CourtCalendar
) -> None:
    """Judgment entered Fri 4 Dec 2026, then corrected to Fri 11 Dec 2026.

    The notice of appeal was computed as Mon 4 Jan 2027 but someone moved it to Fri 15 Jan
    (an extension): it must stay on 15 Jan and be flagged. The others move:
    14 days after 11 Dec = Fri 25 Dec (Christmas) -> Mon 28 Dec 2026;
    28 days after 11 Dec = Fri 8 Jan 2027.
    """
    dependents = [
        DependentState(
            "frcp:attorney-fees-motion", date(2026, 12, 18), date(2026, 12, 18), False, 1
        ),
        DependentState("frcp:notice-of-appeal", date(2027, 1, 15), date(2027, 1, 4), False, 2),
        DependentState("frcp:new-trial-motion", date(2027, 1, 4), date(2027, 1, 4), False, 3),
    ]
    changes = recompute_dependents(
        book, "frcp", "judgment", date(2026, 12, 11), calendar, dependents
    )
    assert [(c.deadline_id, c.rule, c.old, c.new, c.moved_by_hand) for c in changes] == [
        (1, "frcp:attorney-fees-motion", date(2026, 12, 18), date(2026, 12, 28), False),
        (2, "frcp:notice-of-appeal", date(2027, 1, 15), date(2027, 1, 15), True),
        (3, "frcp:new-trial-motion", date(2027, 1, 4), date(2027, 1, 8), False),
    ]
    kept = changes[1]
    assert not kept.moves
    # Shown for the lawyer's decision, not applied: 30 days after Fri 11 Dec 2026 = Sun
    # 10 Jan 2027 -> Mon 11 Jan 2027.
    assert kept.computation is not None
    assert kept.computation.result == date(2027, 1, 11)
    assert "moved by hand" in (kept.kept_reason or "")
    assert kept.title == "Notice of appeal"
    assert changes[0].computation is not None
    assert changes[0].computation.result == date(2026, 12, 28)


def test_recompute_uses_each_dependents_mail_flag(book: RuleBook, calendar: CourtCalendar) -> None:
    # Discovery served by mail, first on Thu 17 Dec 2026 (-> Tue 19 Jan + 3 = Fri 22 Jan 2027),
    # then the service date corrected to Wed 16 Dec 2026: Fri 15 Jan + 3 = MLK -> Tue 19 Jan.
    dependents = [
        DependentState("frcp:discovery-responses", date(2027, 1, 22), date(2027, 1, 22), True)
    ]
    (change,) = recompute_dependents(
        book, "frcp", "discovery-served", date(2026, 12, 16), calendar, dependents
    )
    assert (change.old, change.new, change.moved_by_hand) == (
        date(2027, 1, 22),
        date(2027, 1, 19),
        False,
    )


def test_recompute_keeps_what_it_cannot_recompute(book: RuleBook, calendar: CourtCalendar) -> None:
    dependents = [
        DependentState("frcp:no-such-rule", date(2027, 1, 4), date(2027, 1, 4), False),
        DependentState("frcp:answer", date(2027, 1, 4), date(2027, 1, 4), False),
        DependentState("frcp:notice-of-appeal", date(2027, 1, 4), None, False),
        DependentState("nonsense", date(2027, 1, 4), date(2027, 1, 4), False),
    ]
    changes = recompute_dependents(
        book, "frcp", "judgment", date(2026, 12, 11), calendar, dependents
    )
    assert all(c.new == c.old == date(2027, 1, 4) for c in changes)
    assert not any(c.moved_by_hand for c in changes)
    reasons = [c.kept_reason or "" for c in changes]
    assert "no longer in rule set 'frcp'" in reasons[0]
    assert "runs from trigger 'served'" in reasons[1]
    assert "no record" in reasons[2]
    assert "not a rule reference" in reasons[3]


def test_recompute_when_the_set_was_removed(book: RuleBook, calendar: CourtCalendar) -> None:
    dependents = [DependentState("ny:answer", date(2027, 1, 4), date(2027, 1, 4), False)]
    (change,) = recompute_dependents(book, "ny", "served", date(2026, 12, 11), calendar, dependents)
    assert change.new == change.old
    assert "no longer loaded" in (change.kept_reason or "")
