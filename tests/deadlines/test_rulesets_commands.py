"""/deadline rules and /deadline apply through signed HTTP: preview, Confirm, move, cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from handlers.deadlines.ruleset_views import RulesetAction
from storage.models import AuditLog, Deadline, DeadlineStatus
from tests.deadlines.conftest import NOW, counts, deadlines, pending_count, seed_firm
from tests.deadlines.helpers import last, press, refusal, shown
from tests.harness import Harness, running_clerk

TEST_RULES = """
name: test-court
title: Test Court Rules
jurisdiction: Test County Court
triggers:
  - id: order
    description: Scheduling order entered
rules:
  - {id: brief, title: Opening brief, trigger: order, days: 10, direction: after, citation: TCR 1}
  - {id: reply, title: Reply brief, trigger: order, days: 20, direction: after, citation: TCR 2}
  - {id: memo, title: Hearing memo, trigger: order, days: 30, direction: after, citation: TCR 3}
"""


@pytest.fixture
def with_rules(database_url: str, tmp_path: Path) -> Iterator[Harness]:
    (tmp_path / "test.yml").write_text(TEST_RULES)
    with running_clerk(database_url, at=NOW, rules_dir=tmp_path) as running:
        running.add_people()
        seed_firm(running.db, with_people=False)
        yield running


def test_rules_lists_the_sets_and_one_sets_rules_with_citations(clerk_at: Harness) -> None:
    h = clerk_at
    sets = shown(last(h.slack.command("U_LENA", "/deadline", "rules")))
    assert "frcp" in sets and "judgment" in sets and "discovery-served" in sets
    frcp = shown(last(h.slack.command("U_LENA", "/deadline", "rules FRCP")))
    for citation in ("FRCP 50(b)", "FRAP 4(a)(1)(A)", "FRCP 26(a)(3)(B)", "28 U.S.C. 1446(b)(1)"):
        assert citation in frcp
    assert "cannot be extended" in frcp and "+3 days if served by mail" in frcp
    unknown = refusal(h, "U_LENA", "rules nysupreme")
    assert "There is no rule set" in unknown and "frcp" in unknown


def apply(h: Harness, text: str, user: str = "U_LENA") -> dict:
    return last(h.slack.command(user, "/deadline", f"apply {text}"))


def test_the_preview_shows_every_deadline_and_stores_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    before = counts(h.db)
    preview = apply(h, "ACME-1 frcp judgment Dec 4")
    text = shown(preview)
    assert preview["response_type"] == "ephemeral"
    assert "Fri 4 Dec 2026" in text
    assert "Motion for attorney's fees" in text and "Fri 18 Dec 2026" in text
    assert "FRAP 4(a)(1)(A)" in text and "Mon 4 Jan 2027" in text
    assert "FRCP 50(b)" in text and "Cannot be extended" in text
    assert counts(h.db) == before  # no deadline, no audit row
    assert pending_count(h.db) == 1


def test_confirm_stores_the_trigger_and_its_deadlines_linked_and_audited(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    preview = apply(h, "ACME-1 frcp judgment Dec 4")
    done = press(h, "U_LENA", preview, RulesetAction.APPLY_CONFIRM)
    reply = last(done)
    assert reply.get("replace_original") is True and "Stored" in reply["text"]
    trigger, *rest = deadlines(h.db)
    assert trigger.is_trigger and trigger.rule == "frcp:judgment"
    assert trigger.due_on == date(2026, 12, 4) and trigger.title == "Entry of judgment"
    assert len(rest) == 5
    by_rule = {d.rule: d for d in rest}
    appeal = by_rule["frcp:notice-of-appeal"]
    assert appeal.trigger_id == trigger.id and appeal.due_on == date(2027, 1, 4)
    assert appeal.computed_on == appeal.due_on and appeal.citation == "FRAP 4(a)(1)(A)"
    assert by_rule["frcp:attorney-fees-motion"].due_on == date(2026, 12, 18)
    assert "cannot be extended" in (by_rule["frcp:renewed-jmol-motion"].explanation or "").lower()
    assert {d.responsible_id for d in [trigger, *rest]} == {trigger.responsible_id}
    with h.db.reading() as s:
        audited = s.scalars(select(AuditLog).where(AuditLog.entity == "deadlines")).all()
    assert len(audited) == 6 and {a.actor for a in audited} == {"U_LENA"}


def test_a_second_confirm_stores_nothing_more(clerk_at: Harness) -> None:
    h = clerk_at
    preview = apply(h, "ACME-1 frcp judgment Dec 4")
    press(h, "U_LENA", preview, RulesetAction.APPLY_CONFIRM)
    after_first = counts(h.db)
    again = last(press(h, "U_LENA", preview, RulesetAction.APPLY_CONFIRM))
    assert "Already stored" in again["text"]
    assert counts(h.db) == after_first and len(deadlines(h.db)) == 6


def test_concurrent_double_clicks_store_once(clerk_at: Harness) -> None:
    h = clerk_at
    preview = apply(h, "ACME-1 frcp judgment Dec 4")
    threads = [
        threading.Thread(target=press, args=(h, "U_LENA", preview, RulesetAction.APPLY_CONFIRM))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    h.executor.wait_idle(timeout=30)
    assert len(deadlines(h.db)) == 6


def test_cancel_stores_nothing_and_a_later_confirm_neither(clerk_at: Harness) -> None:
    h = clerk_at
    before = counts(h.db)
    preview = apply(h, "ACME-1 frcp judgment Dec 4")
    assert (
        "nothing was stored"
        in last(press(h, "U_LENA", preview, RulesetAction.APPLY_CANCEL))["text"]
    )
    late = last(press(h, "U_LENA", preview, RulesetAction.APPLY_CONFIRM))
    assert "already answered" in late["text"]
    assert counts(h.db) == before


def test_someone_else_cannot_confirm_your_preview(clerk_at: Harness) -> None:
    h = clerk_at
    preview = apply(h, "ACME-1 frcp judgment Dec 4")
    before = counts(h.db)
    reply = last(press(h, "U_SAM", preview, RulesetAction.APPLY_CONFIRM))
    assert "who asked for this preview" in reply["text"]
    assert counts(h.db) == before


def test_mlk_day_rolls_the_notice_of_appeal(clerk_at: Harness) -> None:
    text = shown(apply(clerk_at, "ACME-1 frcp judgment Dec 17"))
    assert "Sat 16 Jan 2027" in text and "Tue 19 Jan 2027" in text


def test_by_mail_adds_three_days_only_where_the_rule_allows(clerk_at: Harness) -> None:
    h = clerk_at
    text = shown(apply(h, "ACME-1 frcp discovery-served Nov 20 by mail"))
    assert "served by mail" in text.lower() and "FRCP 6(d)" in text
    assert "Thu 24 Dec 2026" in text  # 30 days -> Sun 20 Dec -> Mon 21 Dec, + 3 days
    judgment = shown(apply(h, "ACME-1 frcp judgment Dec 4 by mail"))
    assert "adds no days" in judgment and "Mon 4 Jan 2027" in judgment
    press(
        h,
        "U_LENA",
        apply(h, "ACME-1 frcp discovery-served Nov 20 by mail"),
        RulesetAction.APPLY_CONFIRM,
    )
    stored = [d for d in deadlines(h.db) if not d.is_trigger]
    assert [d.due_on for d in stored] == [date(2026, 12, 24)] and stored[0].by_mail


def test_bad_applies_are_refused_and_store_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    cases = [
        ("ACME-1 frcp judgment", "Usage"),
        ("ACME-1 nysupreme judgment Dec 4", "There is no rule set"),
        ("ACME-1 frcp judgement Dec 4", "has no trigger 'judgement'"),
        ("ACME-3 frcp judgment Dec 4", "closed"),
        ("ACME-9 frcp judgment Dec 4", "There is no matter"),
        ("ACME-1 frcp judgment by mail", "On what date?"),
    ]
    before = counts(h.db)
    assert "Usage" in shown(apply(h, cases[0][0]))  # one through signed HTTP
    for text, expected in cases:
        assert expected in refusal(h, "U_LENA", f"apply {text}"), text
    assert "does not allow" in refusal(h, "U_BILL", "apply ACME-1 frcp judgment Dec 4")
    assert counts(h.db) == before and pending_count(h.db) == 0


def test_moving_a_trigger_recomputes_two_and_keeps_the_one_moved_by_hand(
    with_rules: Harness,
) -> None:
    h = with_rules
    press(h, "U_LENA", apply(h, "ACME-1 test-court order Dec 7"), RulesetAction.APPLY_CONFIRM)
    trigger, brief, reply_brief, memo = deadlines(h.db)
    assert [brief.due_on, reply_brief.due_on, memo.due_on] == [
        date(2026, 12, 17),
        date(2026, 12, 28),  # Sun 27 Dec rolls to Monday
        date(2027, 1, 6),
    ]
    last(h.slack.command("U_LENA", "/deadline", f"move {memo.id} Jan 8 2027"))
    before = counts(h.db)
    preview = last(h.slack.command("U_LENA", "/deadline", f"move {trigger.id} Dec 10"))
    text = shown(preview)
    assert "Mon 21 Dec 2026" in text and "Wed 30 Dec 2026" in text
    assert "Moved by hand" in text and "Fri 8 Jan 2027" in text
    assert "Clerk had computed Wed 6 Jan 2027" in text
    assert counts(h.db) == before  # the preview moved nothing
    press(h, "U_LENA", preview, RulesetAction.MOVE_CONFIRM)
    trigger, brief, reply_brief, memo = deadlines(h.db)
    assert trigger.due_on == date(2026, 12, 10)
    assert brief.due_on == brief.computed_on == date(2026, 12, 21)
    assert reply_brief.due_on == reply_brief.computed_on == date(2026, 12, 30)
    assert memo.due_on == date(2027, 1, 8) and memo.computed_on == date(2027, 1, 6)
    again = last(press(h, "U_LENA", preview, RulesetAction.MOVE_CONFIRM))
    assert "Already" in again["text"]
    assert deadlines(h.db)[1].due_on == date(2026, 12, 21)


def test_cancelling_a_trigger_offers_its_open_deadlines(clerk_at: Harness) -> None:
    h = clerk_at
    press(h, "U_LENA", apply(h, "ACME-1 frcp judgment Dec 4"), RulesetAction.APPLY_CONFIRM)
    trigger, first, *others = deadlines(h.db)
    last(h.slack.command("U_LENA", "/deadline", f"done {first.id}"))
    offer = last(h.slack.command("U_LENA", "/deadline", f"cancel {trigger.id} judgment vacated"))
    assert "Cancel these 4 deadlines" in shown(offer)
    assert all(d.status is DeadlineStatus.OPEN for d in deadlines(h.db)[2:])
    press(h, "U_LENA", offer, RulesetAction.CANCEL_DEPENDENTS)
    trigger, first, *others = deadlines(h.db)
    assert trigger.status is DeadlineStatus.CANCELLED
    assert first.status is DeadlineStatus.DONE  # done stays done
    assert all(d.status is DeadlineStatus.CANCELLED for d in others)
    assert all("judgment vacated" in (d.cancel_reason or "") for d in others)
    after = counts(h.db)
    again = last(press(h, "U_LENA", offer, RulesetAction.CANCEL_DEPENDENTS))
    assert "already answered" in again["text"].lower() and counts(h.db) == after
    late_keep = last(press(h, "U_LENA", offer, RulesetAction.KEEP_DEPENDENTS))
    assert "already answered" in late_keep["text"].lower() and counts(h.db) == after


def test_a_trigger_is_never_among_a_lawyers_deadlines_to_remind(clerk_at: Harness) -> None:
    from bot.deadlines.service import open_deadlines_for

    h = clerk_at
    press(h, "U_LENA", apply(h, "ACME-1 frcp served Nov 16"), RulesetAction.APPLY_CONFIRM)
    trigger, answer = deadlines(h.db)
    with h.db.reading() as s:
        found = open_deadlines_for(
            s, user_id=answer.responsible_id or 0, start=date(2026, 11, 1), end=date(2026, 12, 31)
        )
    assert [d.id for d in found] == [answer.id]


def test_keeping_a_cancelled_triggers_deadlines(clerk_at: Harness) -> None:
    h = clerk_at
    press(h, "U_LENA", apply(h, "ACME-1 frcp trial Mar 1 2027"), RulesetAction.APPLY_CONFIRM)
    trigger = deadlines(h.db)[0]
    offer = last(h.slack.command("U_LENA", "/deadline", f"cancel {trigger.id} trial vacated"))
    press(h, "U_LENA", offer, RulesetAction.KEEP_DEPENDENTS)
    assert [d.status for d in deadlines(h.db)] == [
        DeadlineStatus.CANCELLED,
        DeadlineStatus.OPEN,
        DeadlineStatus.OPEN,
    ]


def test_a_trigger_cannot_be_marked_done(clerk_at: Harness) -> None:
    h = clerk_at
    press(h, "U_LENA", apply(h, "ACME-1 frcp served Nov 16"), RulesetAction.APPLY_CONFIRM)
    trigger = deadlines(h.db)[0]
    reply = shown(last(h.slack.command("U_LENA", "/deadline", f"done {trigger.id}")))
    assert "is a trigger" in reply
    with h.db.reading() as s:
        assert s.get(Deadline, trigger.id).status is DeadlineStatus.OPEN  # type: ignore[union-attr]
