"""``clerk digest --dry-run``: the day's messages with their times, nothing sent or written."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.billing.invoices import NewInvoice, record_invoice
from bot.cli import main
from bot.money import Money
from handlers.kernel import blocks
from schedules.dryrun import plan
from storage.models import AuditLog, EscalationEvent, JobRun, OutboxMessage
from tests.harness import Harness
from tests.schedules.conftest import NY, add_deadline


def test_the_plan_lists_the_mornings_messages_in_time_order(firm: Harness) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7))  # Fri 4 Dec: 3 days before
    before = (firm.count(OutboxMessage), firm.count(AuditLog), firm.count(JobRun))
    found = plan(firm.clerk, datetime(2026, 12, 4, 8, 45, tzinfo=NY))
    assert [(when.strftime("%H:%M"), item.kind) for when, item in found] == [
        ("08:00", "deadline_digest"),
        ("08:00", "briefing"),
    ]
    for _when, item in found:
        blocks.validate(item.message.blocks)
    assert (firm.count(OutboxMessage), firm.count(AuditLog), firm.count(JobRun)) == before
    assert plan(firm.clerk, datetime(2026, 12, 4, 7, 59, tzinfo=NY)) == []
    assert plan(firm.clerk, datetime(2026, 12, 5, 23, 0, tzinfo=NY)) == []  # Saturday: none


def test_the_overdue_job_is_previewed_without_recording_stage_changes(firm: Harness) -> None:
    with firm.db.unit_of_work("U_BILL") as s:
        new = NewInvoice("ACME", "1001", Money(90_000, "USD"), date(2026, 9, 1), date(2026, 10, 1))
        record_invoice(s, new=new, today=date(2026, 12, 4), created_by_id=firm.user("U_BILL").id)
    before = (firm.count(EscalationEvent), firm.count(AuditLog), firm.count(OutboxMessage))
    found = plan(firm.clerk, datetime(2026, 12, 4, 9, 0, tzinfo=NY))
    assert [(when.strftime("%H:%M"), item.kind, item.target) for when, item in found] == [
        ("08:30", "collections_start", "U_ADMIN"),  # the first run on the firm's data
        ("08:30", "overdue_accounts", "C_BILLING"),
    ]
    after = (firm.count(EscalationEvent), firm.count(AuditLog), firm.count(OutboxMessage))
    assert after == before
    again = plan(firm.clerk, datetime(2026, 12, 4, 9, 0, tzinfo=NY))
    assert [item.kind for _when, item in again] == [item.kind for _when, item in found]


def test_the_command_prints_each_message_with_its_time(
    firm: Harness,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_deadline(firm, "Opposition brief", date(2026, 12, 7), assignee="U_MARK")
    monkeypatch.chdir(tmp_path)  # no .env
    for name, value in {
        "DATABASE_URL": database_url,
        "CLERK_TIMEZONE": "America/New_York",
        "CLERK_DEADLINES_CHANNEL": "C_DEADLINES",
        "CLERK_BILLING_CHANNEL": "C_BILLING",
        "SLACK_BOT_TOKEN": "xoxb-dry-run",
        "SLACK_API_URL": "http://127.0.0.1:9/",  # unreachable: a dry run calls nothing
    }.items():
        monkeypatch.setenv(name, value)
    before = firm.count(OutboxMessage), firm.count(AuditLog)
    assert main(["digest", "--dry-run", "--at", "2026-12-04 09:00"]) == 0
    out = capsys.readouterr().out
    assert "── Fri 4 Dec 2026 08:00 · post to C_DEADLINES · deadline digest ──" in out
    assert "── Fri 4 Dec 2026 08:00 · DM to U_LENA · briefing ──" in out
    assert "DM to U_MARK" not in out  # Mark is in Los Angeles: 08:00 there is 11:00 here
    assert "Opposition brief" in out
    assert "2 messages · dry run: nothing was sent." in out
    assert main(["digest", "--dry-run", "--at", "2026-12-04 11:00"]) == 0
    out = capsys.readouterr().out
    assert "── Fri 4 Dec 2026 11:00 · DM to U_MARK · briefing ──" in out
    assert "3 messages · dry run: nothing was sent." in out
    assert (firm.count(OutboxMessage), firm.count(AuditLog)) == before

    assert main(["digest", "--dry-run", "--at", "2026-12-05 07:00"]) == 0
    assert "Nothing would be sent on Sat 5 Dec 2026 up to 07:00." in capsys.readouterr().out

    assert main(["digest", "--dry-run", "--at", "next tuesday-ish"]) == 2
    assert 'could not read "next tuesday-ish"' in capsys.readouterr().err
