"""The buttons on a briefing's lines, through signed requests to Clerk: each rewrites its own
line, and only its line, of the briefing Clerk sent."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.tools.standin.driver import Exchange
from handlers import scheduled
from handlers.kernel import blocks
from schedules import jobs
from schedules.delivery import deliver_due
from storage.models import AuditLog, Client, Contact, Deadline, DeadlineStatus, OutboxMessage
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, add_deadline


def _follow_up(firm: Harness, summary: str) -> int:
    with firm.db.unit_of_work("test") as s:
        contact = Contact(
            client_id=s.scalars(select(Client.id).where(Client.code == "ACME")).one(),
            summary=summary,
            occurred_at=datetime(2026, 11, 20, 10, 0, tzinfo=NY),
            follow_up_on=FRIDAY,
            logged_by_id=firm.user("U_LENA").id,
        )
        s.add(contact)
        s.flush()
        return contact.id


def _delivered(firm: Harness) -> tuple[list[int], int, dict[str, Any], str]:
    """Lena's briefing, really sent: (deadline ids, follow-up's contact id, the DM, channel)."""
    ids = [
        add_deadline(firm, "Opposition brief", FRIDAY + timedelta(days=3)),
        add_deadline(firm, "Expert report", FRIDAY + timedelta(days=7)),
    ]
    contact_id = _follow_up(firm, "Call about the settlement")
    jobs.run_job(firm.clerk, scheduled.job_named("briefing"), FRIDAY)
    deliver_due(firm.clerk, owner="test")
    with firm.db.reading() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.target == "U_LENA")).one()
    assert row.slack_channel
    (message,) = firm.standin.messages_in(row.slack_channel)
    return ids, contact_id, message, row.slack_channel


def _press(
    firm: Harness, user: str, action: str, value: str, message: dict[str, Any], ch: str
) -> Exchange:
    return firm.slack.action(user, action, value, channel_id=ch, message=message, ephemeral=False)


def _lines(message: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """{line id: (its text, its buttons' action ids)} as Slack shows the briefing."""
    found: dict[str, tuple[str, list[str]]] = {}
    for block in message["blocks"]:
        if block["type"] == "section" and block.get("block_id", "")[:1] in ("d", "f", "k"):
            found[block["block_id"]] = (block["text"]["text"], [])
        elif block["type"] == "actions":
            line = block["block_id"].removesuffix("-buttons")
            found[line][1].extend(e["action_id"] for e in block["elements"])
    return found


def _deadline(firm: Harness, deadline_id: int) -> Deadline:
    with firm.db.reading() as s:
        found = s.get(Deadline, deadline_id)
        assert found is not None
        return found


def _view(exchange: Exchange) -> dict[str, Any]:
    (opened,) = exchange.calls_to("views.open")
    view = opened.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_mark_done_rewrites_its_own_line_and_leaves_the_others(firm: Harness) -> None:
    (opposition, expert), contact_id, message, channel = _delivered(firm)
    exchange = _press(firm, "U_LENA", "briefing_done", f"d{opposition}", message, channel)
    assert _deadline(firm, opposition).status is DeadlineStatus.DONE
    assert not exchange.replies
    (update,) = exchange.calls_to("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (channel, message["ts"])
    (shown,) = firm.standin.messages_in(channel)
    blocks.validate(shown["blocks"])
    lines = _lines(shown)
    assert lines[f"d{opposition}"] == (
        f":white_check_mark: #{opposition} Opposition brief: marked done by <@U_LENA>.",
        [],
    )
    before = _lines(message)
    assert lines[f"d{expert}"] == before[f"d{expert}"]  # buttons and all
    assert lines[f"f{contact_id}"] == before[f"f{contact_id}"]
    assert shown["blocks"][0] == message["blocks"][0]  # the greeting as it was
    assert shown["metadata"] == message["metadata"]  # still found by its key


def test_two_lines_acted_on_one_after_the_other_both_keep_their_outcome(firm: Harness) -> None:
    (opposition, expert), _contact_id, message, channel = _delivered(firm)
    _press(firm, "U_LENA", "briefing_done", f"d{opposition}", message, channel)
    (after_first,) = firm.standin.messages_in(channel)
    _press(firm, "U_LENA", "briefing_snooze", f"d{expert}", after_first, channel)
    (shown,) = firm.standin.messages_in(channel)
    lines = _lines(shown)
    assert "marked done by <@U_LENA>" in lines[f"d{opposition}"][0]
    assert "snoozed until tomorrow morning" in lines[f"d{expert}"][0]
    assert "stays Fri 11 Dec 2026" in lines[f"d{expert}"][0]
    snoozed = _deadline(firm, expert).reminders_snoozed_until
    assert snoozed is not None and snoozed - firm.clerk.now() > timedelta(hours=23)
    with firm.db.reading() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.target == "U_LENA")).one()
    assert set(row.payload["outcomes"]) == {f"d{opposition}", f"d{expert}"}


def test_reassign_opens_a_people_picker_and_rewrites_its_line(firm: Harness) -> None:
    (opposition, _expert), _contact_id, message, channel = _delivered(firm)
    view = _view(_press(firm, "U_LENA", "briefing_reassign", f"d{opposition}", message, channel))
    assert any(b.get("element", {}).get("type") == "users_select" for b in view["blocks"])
    empty = firm.slack.view_submission("U_LENA", view, {})
    assert "Pick who should handle it" in empty.body
    firm.slack.view_submission("U_LENA", view, {"assignee": "U_MARK"})
    assert _deadline(firm, opposition).assignee_id == firm.user("U_MARK").id
    (shown,) = firm.standin.messages_in(channel)
    text, buttons = _lines(shown)[f"d{opposition}"]
    assert "reassigned to <@U_MARK> by <@U_LENA>" in text and buttons == []
    assert len([b for b in shown["blocks"] if b["type"] == "actions"]) == 2


def test_log_contact_opens_the_contact_form_for_the_client_and_rewrites_its_line(
    firm: Harness,
) -> None:
    _ids, contact_id, message, channel = _delivered(firm)
    pressed = _press(firm, "U_LENA", "briefing_log_contact", f"f{contact_id}", message, channel)
    view = _view(pressed)
    client_field = next(b for b in view["blocks"] if b.get("block_id") == "client")
    assert client_field["element"]["initial_value"] == "ACME"
    firm.slack.view_submission(
        "U_LENA", view, {"client": "ACME", "kind": "call", "summary": "Agreed to mediate"}
    )
    with firm.db.reading() as s:
        logged = s.scalars(select(Contact).where(Contact.summary == "Agreed to mediate")).one()
        followed = s.get(Contact, contact_id)
    assert logged.kind.value == "call"
    assert followed is not None and followed.follow_up_done_at is not None  # followed up
    (shown,) = firm.standin.messages_in(channel)
    text, buttons = _lines(shown)[f"f{contact_id}"]
    assert text == ":telephone_receiver: Call with *ACME* logged by <@U_LENA>: Agreed to mediate"
    assert buttons == []


def test_roles_without_the_right_are_refused_and_nothing_is_written(firm: Harness) -> None:
    (opposition, _expert), contact_id, message, channel = _delivered(firm)
    audit = firm.count(AuditLog)
    for action in ("briefing_done", "briefing_snooze", "briefing_reassign"):
        refused = _press(firm, "U_BILL", action, f"d{opposition}", message, channel)
        assert "does not allow" in str(refused.replies)
        assert not refused.calls_to("views.open") and not refused.calls_to("chat.update")
    assert firm.count(AuditLog) == audit
    assert _deadline(firm, opposition).status is DeadlineStatus.OPEN
    assert firm.standin.messages_in(channel) == [message]
    assert contact_id


def test_a_stale_forged_or_foreign_press_rewrites_nothing(firm: Harness) -> None:
    (opposition, _expert), _contact_id, message, channel = _delivered(firm)
    audit = firm.count(AuditLog)
    bad = _press(firm, "U_LENA", "briefing_done", "42", message, channel)
    assert "no longer valid" in str(bad.replies)
    missing = _press(firm, "U_LENA", "briefing_snooze", "d9999", message, channel)
    assert "There is no deadline #9999" in str(missing.replies)
    assert firm.count(AuditLog) == audit
    # a deadline not in this briefing: done, answered privately, the briefing untouched
    other = add_deadline(firm, "Not in the briefing", date(2027, 1, 30))
    pressed = _press(firm, "U_LENA", "briefing_done", f"d{other}", message, channel)
    assert "marked done" in str(pressed.replies) and not pressed.calls_to("chat.update")
    # a press naming another message (the digest channel): nothing rewritten
    elsewhere = _press(firm, "U_LENA", "briefing_done", f"d{opposition}", message, "C_DEADLINES")
    assert "marked done" in str(elsewhere.replies) and not elsewhere.calls_to("chat.update")
    assert firm.standin.messages_in(channel) == [message]
