"""Edges: bad list scopes, ambiguous trigger dates, stale previews, mentions and bare codes."""

from __future__ import annotations

from datetime import date

from handlers.deadlines.ruleset_views import RulesetAction
from handlers.kernel.ids import Action
from storage.models import DeadlineStatus
from tests.deadlines.conftest import counts, deadlines, pending_count
from tests.deadlines.helpers import buttons, last, press, refusal, shown
from tests.harness import Harness


def test_bad_list_and_rules_words_are_refused(clerk_at: Harness) -> None:
    h = clerk_at
    before = counts(h.db)
    assert "one person, client or matter at a time" in refusal(h, "U_LENA", "list ACME NOLAW")
    assert "There is no client `NOPE`" in refusal(h, "U_LENA", "list NOPE")
    assert "There is no matter `ACME-7`" in refusal(h, "U_LENA", "list ACME-7")
    assert "not an active member" in refusal(h, "U_LENA", "list <@U_GHOST|ghost>")
    assert "from 1 to" in refusal(h, "U_LENA", "list next 0 days")
    assert "Usage: `/deadline rules [RULESET]`" in refusal(h, "U_LENA", "rules frcp extra")
    assert counts(h.db) == before


def test_an_ambiguous_trigger_date_is_asked_before_any_preview(clerk_at: Harness) -> None:
    h = clerk_at
    question = last(h.slack.command("U_LENA", "/deadline", "apply ACME-1 frcp served 3/4"))
    assert len([b for b in buttons(question) if b["action_id"] == Action.CONFIRM_READING]) == 2
    assert pending_count(h.db) == 0
    preview = last(press(h, "U_LENA", question, Action.CONFIRM_READING, index=1))
    assert "Preview" in shown(preview) and pending_count(h.db) == 1
    press(h, "U_LENA", preview, RulesetAction.APPLY_CONFIRM)
    trigger = deadlines(h.db)[0]
    assert trigger.is_trigger and trigger.due_on == date(2027, 4, 3)  # the second reading


def test_a_trigger_date_without_a_year_is_the_nearest_one(clerk_at: Harness) -> None:
    h = clerk_at  # today is Wed 18 Nov 2026
    assert "Fri 13 Nov 2026" in shown(
        last(h.slack.command("U_LENA", "/deadline", "apply ACME-1 frcp judgment Nov 13"))
    )
    assert "Mon 1 Mar 2027" in shown(
        last(h.slack.command("U_LENA", "/deadline", "apply ACME-1 frcp trial Mar 1"))
    )


def test_a_move_preview_is_refused_once_the_trigger_moved_again(clerk_at: Harness) -> None:
    h = clerk_at
    press(
        h,
        "U_LENA",
        last(h.slack.command("U_LENA", "/deadline", "apply ACME-1 frcp served Nov 16")),
        RulesetAction.APPLY_CONFIRM,
    )
    trigger, answer = deadlines(h.db)
    first = last(h.slack.command("U_LENA", "/deadline", f"move {trigger.id} Nov 17"))
    second = last(h.slack.command("U_LENA", "/deadline", f"move {trigger.id} Nov 18"))
    press(h, "U_LENA", second, RulesetAction.MOVE_CONFIRM)
    moved = [d.due_on for d in deadlines(h.db)]
    stale = last(press(h, "U_LENA", first, RulesetAction.MOVE_CONFIRM))
    assert "changed after this preview" in stale["text"]
    assert [d.due_on for d in deadlines(h.db)] == moved
    assert deadlines(h.db)[0].due_on == date(2026, 11, 18)
    assert deadlines(h.db)[1].due_on == date(2026, 12, 9)  # 21 days after Wed 18 Nov


def test_moving_a_trigger_to_its_own_date_is_refused(clerk_at: Harness) -> None:
    h = clerk_at
    press(
        h,
        "U_LENA",
        last(h.slack.command("U_LENA", "/deadline", "apply ACME-1 frcp served Nov 16")),
        RulesetAction.APPLY_CONFIRM,
    )
    trigger = deadlines(h.db)[0]
    assert "already on that date" in refusal(h, "U_LENA", f"move {trigger.id} Nov 16")


def test_a_done_dependent_is_not_moved_with_its_trigger(clerk_at: Harness) -> None:
    h = clerk_at
    press(
        h,
        "U_LENA",
        last(h.slack.command("U_LENA", "/deadline", "apply ACME-1 frcp trial Mar 1 2027")),
        RulesetAction.APPLY_CONFIRM,
    )
    trigger, expert, pretrial = deadlines(h.db)
    last(h.slack.command("U_LENA", "/deadline", f"done {expert.id}"))
    preview = last(h.slack.command("U_LENA", "/deadline", f"move {trigger.id} Mar 8 2027"))
    press(h, "U_LENA", preview, RulesetAction.MOVE_CONFIRM)
    trigger, expert_after, pretrial_after = deadlines(h.db)
    assert expert_after.due_on == expert.due_on and expert_after.status is DeadlineStatus.DONE
    assert pretrial.due_on == date(2027, 1, 29)  # Sat 30 Jan rolls back to Friday
    assert pretrial_after.due_on == date(2027, 2, 5)  # Sat 6 Feb rolls back to Friday


def test_a_bare_matter_code_in_a_dm_gets_the_usage(clerk_at: Harness) -> None:
    ex = clerk_at.slack.dm("U_LENA", "ACME-1")
    (post,) = ex.calls_to("chat.postMessage")
    assert "What I can read" in post.params["text"]


def test_a_mention_in_a_channel_adds_and_answers_only_the_asker(clerk_at: Harness) -> None:
    h = clerk_at
    ex = h.slack.event(
        {
            "type": "app_mention",
            "channel": "C_DEADLINES",
            "user": "U_SAM",
            "text": "<@U_CLERK> ACME-2 file the lease renewal by Dec 14",
            "ts": "1700000000.000200",
        }
    )
    (answer,) = ex.calls_to("chat.postEphemeral")
    assert answer.params["user"] == "U_SAM" and "Mon 14 Dec 2026" in answer.params["text"]
    (d,) = deadlines(h.db)
    assert d.title == "file the lease renewal" and d.due_on == date(2026, 12, 14)
