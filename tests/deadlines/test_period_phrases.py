"""``/deadline MATTER TITLE PERIOD DATE`` phrasings that were stored wrong (issue 25).

Through the real ``/deadline`` runner: every phrase is either stored with the rule's date and
its computation, or asked about / refused with nothing written. Questions use the same buttons
as a past or ambiguous date; pressing *Use this* stores the offered reading, a forged button
stores nothing. The clock is Wed 18 Nov 2026 in New York (``tests.deadlines.conftest``).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from bot.errors import ClerkError
from handlers.kernel.commands import CommandRequest
from handlers.kernel.errors import reply_for
from handlers.kernel.ids import Action
from tests.deadlines.conftest import counts, deadlines
from tests.deadlines.helpers import button, buttons, last, press, shown
from tests.harness import Harness


def run(h: Harness, text: str) -> tuple[str, dict[str, Any]]:
    """("stored" | "asked" | "refused", the reply) for ``/deadline ACME-1 text``."""
    request = CommandRequest(
        clerk=h.clerk,
        actor=h.clerk.directory.actor("U_LENA"),
        command="/deadline",
        text=f"ACME-1 {text}",
        channel_id="C_GENERAL",
        client=h.clerk.client,
    )
    before = counts(h.db)
    try:
        reply = h.clerk.runners["/deadline"](request)
    except ClerkError as error:
        assert counts(h.db) == before
        return "refused", reply_for(error).payload()
    assert reply is not None and not isinstance(reply, list)
    payload = reply.payload()  # type: ignore[union-attr]
    if counts(h.db) == before:
        return "asked", payload
    return "stored", payload


STORED = [
    # (typed after the matter code, title, due, words of the computation shown)
    (
        "Opposition 30 days in advance of trial on June 28, 2027",
        "Opposition",
        date(2027, 5, 28),
        "30 days before Mon 28 Jun 2027",
    ),
    (
        "Opposition 30 days ahead of trial on June 28, 2027",
        "Opposition",
        date(2027, 5, 28),
        "30 days before Mon 28 Jun 2027",
    ),
    (
        "Brief 30 days before trial on Jun 1 2028",
        "Brief",
        date(2028, 5, 2),
        "30 days before Thu 1 Jun 2028",
    ),
    (
        "Brief 10 days prior to the hearing on Jun 1 2028",
        "Brief",
        date(2028, 5, 22),
        "10 days before Thu 1 Jun 2028",
    ),
    (
        "Answer 21 days after entry of judgment on Dec 1 2027",
        "Answer",
        date(2027, 12, 22),
        "21 days after Wed 1 Dec 2027",
    ),
    (
        "Answer within 21 days of service on Dec 1 2027",
        "Answer",
        date(2027, 12, 22),
        "21 days after Wed 1 Dec 2027",
    ),
    (
        "Notice within 7 days before Dec 1 2027",
        "Notice",
        date(2027, 11, 24),
        "7 days before Wed 1 Dec 2027",
    ),
    (
        "Brief 14 days after electronic service on Dec 1 2027",
        "Brief",
        date(2027, 12, 15),
        "14 days after Wed 1 Dec 2027",
    ),
    ("Brief 14 days after service by mail on Dec 1 2027", "Brief", date(2027, 12, 20), "FRCP 6(d)"),
    ("Brief 21 court-days after Dec 1 2027", "Brief", date(2028, 1, 3), "21 court days after"),
    ("Brief 21days after Dec 1 2027", "Brief", date(2027, 12, 22), "21 days after Wed 1 Dec 2027"),
    (
        "Brief eighteen (18) days after Dec 1 2027",
        "Brief",
        date(2027, 12, 20),
        "18 days after Wed 1 Dec 2027",
    ),
    (
        "Reply 3,902 days after Dec 17 2026",
        "Reply",
        date(2037, 8, 24),
        "3902 days after Thu 17 Dec 2026",
    ),
    (
        "Reply 1,000 days after Dec 17 2026",
        "Reply",
        date(2029, 9, 12),
        "1000 days after Thu 17 Dec 2026",
    ),
    ("Form 1040 Dec 3", "Form 1040", date(2026, 12, 3), "Thu 3 Dec 2026"),
]


@pytest.mark.parametrize(("typed", "title", "due", "how"), STORED)
def test_legal_phrasings_are_stored_with_their_computation(
    clerk_at: Harness, typed: str, title: str, due: date, how: str
) -> None:
    outcome, reply = run(clerk_at, typed)
    assert outcome == "stored", shown(reply)
    (d,) = deadlines(clerk_at.db)
    assert (d.title, d.due_on) == (title, due)
    assert how in d.explanation and how in shown(reply)


def test_a_period_stored_over_http_shows_how_it_was_counted(clerk_at: Harness) -> None:
    h = clerk_at
    typed = "ACME-1 Opposition 30 days in advance of trial on June 28, 2027"
    reply = last(h.slack.command("U_LENA", "/deadline", typed))
    (d,) = deadlines(h.db)
    assert (d.title, d.due_on, d.source_text) == ("Opposition", date(2027, 5, 28), typed)
    assert "Sat 29 May 2027 -&gt; Fri 28 May 2027" in shown(reply)  # Slack shows "->"


def test_an_international_firm_reads_its_languages(database_url: str) -> None:
    from tests.deadlines.conftest import NOW, seed_firm
    from tests.harness import running_clerk

    phrases = [
        ("答辩状 2027年12月1日后21天", "答辩状", date(2027, 12, 22)),
        (
            "Réplica 10 días antes de la audiencia del 1 de junio de 2028",
            "Réplica",
            date(2028, 5, 22),
        ),
        ("Réplica con 10 días de antelación al 1 de junio de 2028", "Réplica", date(2028, 5, 22)),
        (
            "Υπόμνημα 10 ημέρες πριν από τη δικάσιμο της 1 Ιουνίου 2028",
            "Υπόμνημα",
            date(2028, 5, 22),
        ),
    ]
    with running_clerk(database_url, at=NOW, languages=["en", "es", "el", "zh"]) as h:
        h.add_people()
        seed_firm(h.db, with_people=False)
        for typed, title, due in phrases:
            outcome, reply = run(h, typed)
            assert outcome == "stored", (typed, shown(reply))
            assert (deadlines(h.db)[-1].title, deadlines(h.db)[-1].due_on) == (title, due)
        outcome, reply = run(h, "Réplica 10 dias de antelacion al 1 de junio de 2028")
        assert outcome == "stored"  # typed without accents


ASKED = [
    # (typed, the reading offered, its day)
    ("Brief 21 dyas after Dec 1 2027", "21 days after Dec 1 2027", "Wed 22 Dec 2027"),
    ("Brief 21 days afer Dec 1 2027", "21 days after Dec 1 2027", "Wed 22 Dec 2027"),
    ("Brief 21 days befor Dec 1 2027", "21 days before Dec 1 2027", "Wed 10 Nov 2027"),
    ("Motion 30 days pre-trial Jun 1 2028", "30 days before trial on Jun 1 2028", "Tue 2 May 2028"),
    (
        "Reply 14 days post-service Dec 1 2027",
        "14 days after service on Dec 1 2027",
        "Wed 15 Dec 2027",
    ),
    (
        "Brief 30 days before trial Jun 1 2028",
        "30 days before trial on Jun 1 2028",
        "Tue 2 May 2028",
    ),
    ("Reply 1 454 days after Dec 17 2026", "454 days after Dec 17 2026", "Wed 15 Mar 2028"),
    ("Exhibit 104 days after Jul 7 2027", "104 days after Jul 7 2027", "Tue 19 Oct 2027"),
]


@pytest.mark.parametrize(("typed", "offered", "day"), ASKED)
def test_a_period_read_by_a_guess_is_asked_and_nothing_is_written(
    clerk_at: Harness, typed: str, offered: str, day: str
) -> None:
    outcome, reply = run(clerk_at, typed)
    assert outcome == "asked", shown(reply)
    assert offered in shown(reply) and day in shown(reply)
    assert deadlines(clerk_at.db) == []


def test_use_this_stores_the_offered_reading_and_cancel_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    question = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Brief 21 dyas after Dec 1 2027"))
    assert "Did you mean" in shown(question) and deadlines(h.db) == []
    assert [b["text"]["text"] for b in buttons(question)] == ["Use this", "Cancel"]
    press(h, "U_LENA", question, Action.CANCEL_READING)
    assert deadlines(h.db) == []
    done = last(press(h, "U_LENA", question, Action.CONFIRM_READING))
    (d,) = deadlines(h.db)
    assert (d.title, d.due_on) == ("Brief", date(2027, 12, 22))
    assert d.source_text == "ACME-1 Brief 21 dyas after Dec 1 2027"
    assert "21 days after Wed 1 Dec 2027" in d.explanation and "Wed 22 Dec 2027" in shown(done)


def test_spaced_digit_groups_offer_each_count(clerk_at: Harness) -> None:
    h = clerk_at
    question = last(
        h.slack.command("U_LENA", "/deadline", "ACME-1 Reply 1 454 days after Dec 17 2026")
    )
    choices = [b for b in buttons(question) if b["action_id"] == Action.CONFIRM_READING]
    assert len(choices) == 2 and deadlines(h.db) == []
    last(press(h, "U_LENA", question, Action.CONFIRM_READING, index=1))
    (d,) = deadlines(h.db)
    assert (d.title, d.due_on) == ("Reply", date(2030, 12, 10))  # 1454 days: Tue 10 Dec 2030


def test_a_forged_period_button_stores_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    question = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Brief 21 dyas after Dec 1 2027"))
    data = json.loads(button(question, Action.CONFIRM_READING)["value"])
    data["k"] = ["period:2027-12-01"]  # the trigger itself, never offered
    again = last(h.slack.action("U_LENA", Action.CONFIRM_READING, json.dumps(data)))
    assert "Did you mean" in shown(again) and deadlines(h.db) == []
    junk = last(h.slack.action("U_LENA", Action.CONFIRM_READING, "period:2027-12-22"))
    assert "no longer valid" in shown(junk) and deadlines(h.db) == []


def test_words_and_figure_that_disagree_are_asked(clerk_at: Harness) -> None:
    h = clerk_at
    question = last(
        h.slack.command("U_LENA", "/deadline", "ACME-1 Brief eighteen (21) days after Dec 1 2027")
    )
    choices = [b for b in buttons(question) if b["action_id"] == Action.CONFIRM_READING]
    assert len(choices) == 2 and deadlines(h.db) == []
    last(press(h, "U_LENA", question, Action.CONFIRM_READING, index=1))
    (d,) = deadlines(h.db)
    assert d.due_on == date(2027, 12, 22) and d.explanation.startswith("21 days after")


def test_within_days_of_a_date_asks_which_way_it_runs(clerk_at: Harness) -> None:
    """ "within 7 business days of Dec 1" may run forward (after a filing) or back (before a
    trial): both days are offered, forward first, and nothing is written until one is picked.
    "within N days of service" only runs forward, and is stored (STORED above)."""
    h = clerk_at
    question = last(
        h.slack.command("U_LENA", "/deadline", "ACME-1 Brief within 7 business days of Dec 1 2027")
    )
    choices = [b for b in buttons(question) if b["action_id"] == Action.CONFIRM_READING]
    assert [b["text"]["text"] for b in choices] == ["Fri 10 Dec 2027", "Fri 19 Nov 2027"]
    assert deadlines(h.db) == []
    last(press(h, "U_LENA", question, Action.CONFIRM_READING, index=1))
    (d,) = deadlines(h.db)
    assert (d.title, d.due_on) == ("Brief", date(2027, 11, 19))
    assert d.explanation.startswith("7 court days before Wed 1 Dec 2027")


REFUSED = [
    ("Answer days after Dec 1", "no number of days"),
    ("Brief 1e9 days after Dec 1 2027", "not a number of days"),
    ("Objections -21 court days before Dec 1 2028", "negative"),
    ("Objections 14-21 days before Dec 1 2028", "range"),
    ("Brief 21.5 days after Dec 1 2027", "whole number"),
    ("Brief 1,000,000 days after Dec 1 2027", "more than 50 years"),
    ("Brief 0 days after Dec 1 2027", "0 days"),
    ("Objections before Dec 1 2027", "no number of days"),
    ("Brief 21 days after before Dec 1 2027", "couldn't"),
    ("Brief 21 days after 28 days before Dec 1 2027", "couldn't"),
    ("Reply on Dec 3 2027 or Dec 4 2027", "more than one date"),
    ("Status report 90 days Dec 1 2027", "couldn't count the period"),
]


@pytest.mark.parametrize(("typed", "message"), REFUSED)
def test_periods_no_reading_can_mend_are_refused(
    clerk_at: Harness, typed: str, message: str
) -> None:
    outcome, reply = run(clerk_at, typed)
    assert outcome == "refused", shown(reply)
    assert message in shown(reply)
    assert deadlines(clerk_at.db) == []


def test_a_refusal_never_echoes_a_mention(clerk_at: Harness) -> None:
    outcome, reply = run(clerk_at, "<!channel> 21 dyas afer Dec 1 2027")
    assert outcome == "asked" and "<!channel>" not in shown(reply)
