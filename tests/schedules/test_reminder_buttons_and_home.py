"""The buttons of a per-item reminder DM (an older Clerk's, sent before the morning briefing)
and the App Home tab, through signed requests to Clerk."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot.billing.invoices import NewInvoice, record_invoice
from bot.money import Money
from bot.tools.standin.driver import Exchange
from handlers.deadlines.reminder_views import OUTBOX_KIND, Reminder, outbox_prefix
from handlers.kernel import blocks
from schedules.delivery import deliver_due
from schedules.outbox import enqueue
from storage.models import AuditLog, Deadline, DeadlineStatus, OutboxMessage
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, add_deadline, text_of


def _delivered_reminder(firm: Harness, **fields: Any) -> tuple[int, dict[str, Any], str]:
    """A reminder DM an older Clerk queued, really sent to Lena's DM: (deadline id, the
    message as Slack has it, channel)."""
    due = FRIDAY + timedelta(days=3)
    deadline_id = add_deadline(firm, "Opposition brief", due, **fields)
    facts = Reminder(deadline_id, "ACME-1", "Opposition brief", "Mon 7 Dec 2026", "", None, None, 3)
    with firm.db.unit_of_work("system") as s:
        enqueue(
            s,
            key=f"{outbox_prefix(deadline_id)}3:{due}:U_LENA",
            target="U_LENA",
            kind=OUTBOX_KIND,
            payload=facts.payload(),
        )
    deliver_due(firm.clerk, owner="test")
    with firm.db.reading() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.target == "U_LENA")).one()
    assert row.slack_channel
    (message,) = firm.standin.messages_in(row.slack_channel)
    return deadline_id, message, row.slack_channel


def _press(
    firm: Harness, user: str, action: str, value: str, message: dict[str, Any], ch: str
) -> Exchange:
    return firm.slack.action(user, action, value, channel_id=ch, message=message, ephemeral=False)


def _deadline(firm: Harness, deadline_id: int) -> Deadline:
    with firm.db.reading() as s:
        found = s.get(Deadline, deadline_id)
        assert found is not None
        return found


def test_mark_done_completes_the_deadline_and_rewrites_the_dm(firm: Harness) -> None:
    deadline_id, message, channel = _delivered_reminder(firm)
    exchange = _press(firm, "U_LENA", "reminder_done", str(deadline_id), message, channel)
    assert _deadline(firm, deadline_id).status is DeadlineStatus.DONE
    (shown,) = firm.standin.messages_in(channel)
    text = text_of(shown["blocks"])
    assert "Opposition brief: marked done by <@U_LENA>" in text
    assert "Opposition brief is due *in 3 days*" in text  # what the reminder said is kept
    assert not [b for b in shown["blocks"] if b["type"] == "actions"]  # no stale buttons
    blocks.validate(shown["blocks"])
    assert not exchange.replies
    again = _press(firm, "U_LENA", "reminder_done", str(deadline_id), message, channel)
    assert "already marked done" in str(again.replies)


def test_snooze_quiets_the_chain_for_a_day_and_keeps_the_date(firm: Harness) -> None:
    deadline_id, message, channel = _delivered_reminder(firm)
    _press(firm, "U_LENA", "reminder_snooze", str(deadline_id), message, channel)
    deadline = _deadline(firm, deadline_id)
    assert deadline.due_on == FRIDAY + timedelta(days=3)
    assert deadline.reminders_snoozed_until is not None
    assert deadline.reminders_snoozed_until - firm.clerk.now() > timedelta(hours=23)
    (shown,) = firm.standin.messages_in(channel)
    assert "snoozed until tomorrow morning" in text_of(shown["blocks"])
    assert "stays Mon 7 Dec 2026" in text_of(shown["blocks"])


def test_reassign_opens_a_people_picker_and_updates_the_dm(firm: Harness) -> None:
    deadline_id, message, channel = _delivered_reminder(firm)
    exchange = _press(firm, "U_LENA", "reminder_reassign", str(deadline_id), message, channel)
    (opened,) = exchange.calls_to("views.open")
    view = opened.params["view"]
    if isinstance(view, str):
        import json

        view = json.loads(view)
    assert any(b.get("element", {}).get("type") == "users_select" for b in view["blocks"])
    empty = firm.slack.view_submission("U_LENA", view, {})
    assert "Pick who should handle it" in empty.body
    assert _deadline(firm, deadline_id).assignee_id is None
    firm.slack.view_submission("U_LENA", view, {"assignee": "U_MARK"})
    assert _deadline(firm, deadline_id).assignee_id == firm.user("U_MARK").id
    (shown,) = firm.standin.messages_in(channel)
    assert "reassigned to <@U_MARK> by <@U_LENA>" in shown["text"]


def test_roles_without_deadline_rights_are_refused_and_nothing_is_written(firm: Harness) -> None:
    deadline_id, message, channel = _delivered_reminder(firm)
    audit = firm.count(AuditLog)
    for action in ("reminder_done", "reminder_snooze", "reminder_reassign"):
        refused = _press(firm, "U_BILL", action, str(deadline_id), message, channel)
        assert "does not allow" in str(refused.replies)
        assert not refused.calls_to("views.open") and not refused.calls_to("chat.update")
    assert firm.count(AuditLog) == audit
    assert _deadline(firm, deadline_id).status is DeadlineStatus.OPEN


def test_a_tampered_or_stale_button_value_gets_a_clear_reply(firm: Harness) -> None:
    _deadline_id, message, channel = _delivered_reminder(firm)
    audit = firm.count(AuditLog)
    bad = _press(firm, "U_LENA", "reminder_done", "abc", message, channel)
    assert "no longer valid" in str(bad.replies)
    missing = _press(firm, "U_LENA", "reminder_snooze", "9999", message, channel)
    assert "There is no deadline #9999" in str(missing.replies)
    assert firm.count(AuditLog) == audit


def _published(firm: Harness, user: str) -> str:
    exchange = firm.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    (call,) = exchange.calls_to("views.publish")
    view = call.params["view"]
    if isinstance(view, str):
        import json

        view = json.loads(view)
    assert call.params["user_id"] == user and view["type"] == "home"
    blocks.validate(view["blocks"], limit=100)
    return text_of(view["blocks"])


def test_home_shows_my_deadlines_follow_ups_and_my_clients_overdue(firm: Harness) -> None:
    add_deadline(firm, "Missed filing", FRIDAY - timedelta(days=2))
    add_deadline(firm, "Expert report", FRIDAY + timedelta(days=10))
    add_deadline(firm, "Next month", FRIDAY + timedelta(days=30))
    add_deadline(firm, "Mark's own", FRIDAY + timedelta(days=1), responsible="U_MARK")
    with firm.db.unit_of_work("U_BILL") as s:
        record_invoice(
            s,
            new=NewInvoice(
                "ACME", "1001", Money(250_000, "USD"), date(2026, 9, 1), date(2026, 10, 1)
            ),
            today=FRIDAY,
            created_by_id=firm.user("U_BILL").id,
        )
    lena = _published(firm, "U_LENA")
    assert "Missed filing" in lena and "missed" in lena and "Expert report" in lena
    assert "Next month" not in lena and "Mark's own" not in lena
    assert "*ACME* Acme Corp · $2,500.00" in lena
    mark = _published(firm, "U_MARK")
    assert "Mark's own" in mark and "Expert report" not in mark
    assert "None of your clients owes" in mark
    sam = _published(firm, "U_SAM")  # staff see no money at all
    assert "overdue accounts" not in sam and "Nothing due in the next 14 days" in sam


def test_other_tabs_are_left_alone(firm: Harness) -> None:
    exchange = firm.slack.event({"type": "app_home_opened", "user": "U_LENA", "tab": "messages"})
    assert not exchange.calls_to("views.publish")
