"""Every built-in frcp rule against dates worked out by hand with a printed calendar.

Each expected date below was counted by hand (FRCP 6(a): exclude the trigger day, count
every day, roll a weekend or legal holiday forward, or backward for periods before the
trigger; 6(d): +3 days after the rolled 6(a) day, then roll again). They are literals on
purpose: computing them with the code under test would only prove it agrees with itself.

US federal holidays used (with observed days), from the `holidays` package:
2026: Thu 1 Jan, Mon 19 Jan (MLK), Fri 3 Jul (4 Jul observed), Thu 26 Nov (Thanksgiving),
      Fri 25 Dec.
2027: Fri 1 Jan, Mon 18 Jan (MLK), Mon 31 May (Memorial), Fri 18 Jun (Juneteenth observed),
      Mon 5 Jul (4 Jul observed), Thu 25 Nov, Fri 24 Dec (Christmas observed),
      Fri 31 Dec (New Year 2028 observed).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bot.dates.court import CourtCalendar
from bot.rules.apply import compute_chain
from bot.rules.loader import load_rule_sets

BOOK = load_rule_sets(None)
FRCP = BOOK.get("frcp")


@pytest.fixture(scope="module")
def calendar() -> CourtCalendar:
    return CourtCalendar("US")


D = date
# (rule id, trigger date, served by mail, expected due date, how it was worked out)
CASES: list[tuple[str, date, bool, date, str]] = [
    # --- answer: 21 days after service of the summons (no 6(d)) ---
    ("answer", D(2026, 12, 4), False, D(2026, 12, 28), "Fri 25 Dec Christmas -> Mon 28"),
    ("answer", D(2026, 12, 28), False, D(2027, 1, 19), "year end; Mon 18 Jan MLK -> Tue 19"),
    ("answer", D(2026, 11, 5), False, D(2026, 11, 27), "Thu 26 Nov Thanksgiving -> Fri 27"),
    ("answer", D(2027, 3, 2), False, D(2027, 3, 23), "Tue 23 Mar, a court day"),
    ("answer", D(2027, 5, 28), False, D(2027, 6, 21), "Fri 18 Jun Juneteenth obs. -> Mon 21"),
    ("answer", D(2026, 12, 4), True, D(2026, 12, 28), "service under Rule 4: mail adds nothing"),
    # --- answer-after-waiver: 60 days after the waiver request was sent ---
    ("answer-after-waiver", D(2026, 11, 2), False, D(2027, 1, 4), "Fri 1 Jan 2027 -> Mon 4"),
    ("answer-after-waiver", D(2026, 11, 19), False, D(2027, 1, 19), "Mon 18 Jan MLK -> Tue 19"),
    ("answer-after-waiver", D(2027, 11, 1), False, D(2028, 1, 3), "Fri 31 Dec 2027 obs. -> Mon 3"),
    # --- answer-counterclaim: 21 days after service, +3 by mail ---
    ("answer-counterclaim", D(2027, 12, 10), False, D(2028, 1, 3), "Fri 31 Dec obs. -> Mon 3"),
    ("answer-counterclaim", D(2027, 12, 10), True, D(2028, 1, 6), "Mon 3 Jan + 3 = Thu 6"),
    ("answer-counterclaim", D(2027, 1, 4), False, D(2027, 1, 25), "Mon 25 Jan, a court day"),
    ("answer-counterclaim", D(2027, 1, 4), True, D(2027, 1, 28), "Mon 25 + 3 = Thu 28 Jan"),
    ("answer-counterclaim", D(2026, 11, 26), False, D(2026, 12, 17), "Thu 17 Dec"),
    ("answer-counterclaim", D(2026, 11, 26), True, D(2026, 12, 21), "Thu 17 + 3 = Sun -> Mon 21"),
    # --- discovery-responses: 30 days after service, +3 by mail ---
    ("discovery-responses", D(2026, 12, 16), False, D(2027, 1, 15), "Fri 15 Jan, a court day"),
    ("discovery-responses", D(2026, 12, 16), True, D(2027, 1, 19), "Fri 15 + 3 = MLK -> Tue 19"),
    ("discovery-responses", D(2026, 12, 17), False, D(2027, 1, 19), "Sat 16 Jan, MLK -> Tue 19"),
    ("discovery-responses", D(2026, 12, 17), True, D(2027, 1, 22), "Tue 19 + 3 = Fri 22 Jan"),
    ("discovery-responses", D(2026, 10, 27), False, D(2026, 11, 27), "Thanksgiving -> Fri 27"),
    ("discovery-responses", D(2026, 10, 27), True, D(2026, 11, 30), "Fri 27 + 3 = Mon 30 Nov"),
    ("discovery-responses", D(2027, 12, 1), False, D(2028, 1, 3), "Fri 31 Dec obs. -> Mon 3"),
    ("discovery-responses", D(2027, 12, 1), True, D(2028, 1, 6), "Mon 3 + 3 = Thu 6 Jan"),
    # --- renewed-jmol-motion, new-trial-motion, alter-amend-motion: 28 days after entry ---
    ("renewed-jmol-motion", D(2026, 12, 4), False, D(2027, 1, 4), "Fri 1 Jan -> Mon 4"),
    ("renewed-jmol-motion", D(2026, 11, 27), False, D(2026, 12, 28), "Christmas -> Mon 28"),
    ("renewed-jmol-motion", D(2027, 12, 3), False, D(2028, 1, 3), "Fri 31 Dec obs. -> Mon 3"),
    ("renewed-jmol-motion", D(2026, 12, 4), True, D(2027, 1, 4), "runs from entry: no 6(d)"),
    ("new-trial-motion", D(2026, 12, 21), False, D(2027, 1, 19), "Mon 18 Jan MLK -> Tue 19"),
    ("new-trial-motion", D(2027, 5, 3), False, D(2027, 6, 1), "Mon 31 May Memorial -> Tue 1 Jun"),
    ("new-trial-motion", D(2026, 12, 4), False, D(2027, 1, 4), "Fri 1 Jan -> Mon 4"),
    ("alter-amend-motion", D(2026, 12, 4), False, D(2027, 1, 4), "Fri 1 Jan -> Mon 4"),
    ("alter-amend-motion", D(2027, 12, 3), False, D(2028, 1, 3), "Fri 31 Dec obs. -> Mon 3"),
    ("alter-amend-motion", D(2026, 12, 21), False, D(2027, 1, 19), "MLK -> Tue 19"),
    # --- attorney-fees-motion: 14 days after entry ---
    ("attorney-fees-motion", D(2026, 12, 4), False, D(2026, 12, 18), "Fri 18 Dec, a court day"),
    ("attorney-fees-motion", D(2026, 12, 11), False, D(2026, 12, 28), "Christmas -> Mon 28"),
    ("attorney-fees-motion", D(2026, 11, 12), False, D(2026, 11, 27), "Thanksgiving -> Fri 27"),
    ("attorney-fees-motion", D(2027, 12, 17), False, D(2028, 1, 3), "Fri 31 Dec obs. -> Mon 3"),
    ("attorney-fees-motion", D(2027, 1, 4), False, D(2027, 1, 19), "Mon 18 Jan MLK -> Tue 19"),
    # --- notice-of-appeal: 30 days after entry ---
    ("notice-of-appeal", D(2026, 12, 4), False, D(2027, 1, 4), "Sun 3 Jan -> Mon 4"),
    ("notice-of-appeal", D(2026, 10, 27), False, D(2026, 11, 27), "Thanksgiving -> Fri 27"),
    ("notice-of-appeal", D(2027, 12, 1), False, D(2028, 1, 3), "Fri 31 Dec obs. -> Mon 3"),
    ("notice-of-appeal", D(2026, 12, 17), False, D(2027, 1, 19), "Sat 16 Jan, MLK -> Tue 19"),
    # --- expert-disclosures: 90 days before trial, rolled backward ---
    ("expert-disclosures", D(2027, 4, 12), False, D(2027, 1, 12), "Tue 12 Jan, a court day"),
    ("expert-disclosures", D(2027, 4, 2), False, D(2026, 12, 31), "Sat 2 Jan, Fri 1 Jan -> Thu 31"),
    ("expert-disclosures", D(2027, 2, 24), False, D(2026, 11, 25), "Thanksgiving -> Wed 25 Nov"),
    (
        "expert-disclosures",
        D(2028, 3, 30),
        False,
        D(2027, 12, 30),
        "leap Feb; Fri 31 obs. -> Thu 30",
    ),
    # --- pretrial-disclosures: 30 days before trial, rolled backward ---
    ("pretrial-disclosures", D(2027, 2, 1), False, D(2026, 12, 31), "Sat 2, Fri 1 Jan -> Thu 31"),
    ("pretrial-disclosures", D(2027, 2, 17), False, D(2027, 1, 15), "Mon 18 MLK -> Fri 15 Jan"),
    (
        "pretrial-disclosures",
        D(2028, 2, 1),
        False,
        D(2027, 12, 30),
        "Sun 2 .. Fri 31 obs. -> Thu 30",
    ),
    ("pretrial-disclosures", D(2027, 6, 14), False, D(2027, 5, 14), "Sat 15 May -> Fri 14"),
    ("pretrial-disclosures", D(2027, 4, 15), False, D(2027, 3, 16), "Tue 16 Mar, a court day"),
    # --- rule-26f-conference: 21 days before the scheduling conference, rolled backward ---
    ("rule-26f-conference", D(2027, 2, 8), False, D(2027, 1, 15), "Mon 18 Jan MLK -> Fri 15"),
    ("rule-26f-conference", D(2026, 12, 17), False, D(2026, 11, 25), "Thanksgiving -> Wed 25"),
    ("rule-26f-conference", D(2028, 1, 21), False, D(2027, 12, 30), "Fri 31 Dec obs. -> Thu 30"),
    ("rule-26f-conference", D(2027, 1, 12), False, D(2026, 12, 22), "Tue 22 Dec, a court day"),
    # --- rebuttal-expert-disclosure: 30 days after the other side's disclosure ---
    ("rebuttal-expert-disclosure", D(2026, 12, 4), False, D(2027, 1, 4), "Sun 3 Jan -> Mon 4"),
    ("rebuttal-expert-disclosure", D(2026, 12, 17), False, D(2027, 1, 19), "Sat 16, MLK -> Tue"),
    ("rebuttal-expert-disclosure", D(2027, 12, 1), False, D(2028, 1, 3), "Fri 31 Dec obs. -> 3"),
    ("rebuttal-expert-disclosure", D(2026, 12, 17), True, D(2027, 1, 19), "no 6(d) by mail"),
    # --- notice-of-removal: 30 days after the defendant received the complaint ---
    ("notice-of-removal", D(2026, 10, 27), False, D(2026, 11, 27), "Thanksgiving -> Fri 27"),
    ("notice-of-removal", D(2027, 6, 14), False, D(2027, 7, 14), "Wed 14 Jul, a court day"),
    ("notice-of-removal", D(2027, 6, 4), False, D(2027, 7, 6), "Sun 4 Jul, Mon 5 obs. -> Tue 6"),
    ("notice-of-removal", D(2027, 5, 19), False, D(2027, 6, 21), "Juneteenth obs. -> Mon 21"),
    ("notice-of-removal", D(2027, 12, 1), False, D(2028, 1, 3), "Fri 31 Dec obs. -> Mon 3"),
]


def test_the_table_covers_every_builtin_rule_three_times() -> None:
    """A rule added to frcp.yml without hand-checked dates fails here."""
    trigger_dates = Counter(rule_id for rule_id, *_ in {(c[0], c[1]) for c in CASES})
    assert set(trigger_dates) == {r.id for r in FRCP.rules}
    assert min(trigger_dates.values()) >= 3, trigger_dates


@pytest.mark.parametrize(
    ("rule_id", "trigger_date", "by_mail", "expected", "how"),
    CASES,
    ids=[f"{c[0]}-{c[1]}{'-mail' if c[2] else ''}" for c in CASES],
)
def test_rule_date_matches_the_hand_count(
    calendar: CourtCalendar,
    rule_id: str,
    trigger_date: date,
    by_mail: bool,
    expected: date,
    how: str,
) -> None:
    rule = FRCP.find_rule(rule_id)
    assert rule is not None
    chain = compute_chain(BOOK, "frcp", rule.trigger, trigger_date, calendar, by_mail=by_mail)
    (deadline,) = [d for d in chain.deadlines if d.rule_id == rule_id]
    assert deadline.due_on == expected, how
    assert deadline.computation.result == expected
    assert deadline.computation.start == trigger_date
    assert deadline.computation.days == rule.days
    assert deadline.computation.direction == rule.direction
    assert deadline.mail_days_added == (by_mail and rule.mail_days_apply)
    assert deadline.computation.by_mail == deadline.mail_days_added
