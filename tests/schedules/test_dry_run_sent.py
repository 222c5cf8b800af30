"""``clerk digest --dry-run`` after the morning ran: what was sent is not listed again.

The real run dedupes by outbox key (``schedules.outbox.enqueue_many``), so a second run that
day sends nothing; the dry run consults the same keys and says so, instead of listing the
morning's DMs as if they were still to go.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli import main
from schedules import dryrun
from schedules.dryrun import plan
from schedules.runner import Scheduler
from storage.models import OutboxMessage, OutboxStatus
from tests.harness import Harness
from tests.schedules.conftest import NY, add_deadline, outbox


def _real_run(firm: Harness, at: datetime) -> None:
    """What the scheduler does at ``at``: every job's slot due and not yet run, then delivery."""
    firm.clerk.clock.offset += at - firm.clerk.now()
    scheduler = Scheduler(firm.clerk)
    try:
        scheduler.catch_up()
    finally:
        scheduler.leader.release()


def _states(firm: Harness) -> list[tuple[str, str, OutboxStatus]]:
    return [(row.kind, row.target, row.status) for row in outbox(firm)]


def test_a_later_dry_run_lists_nothing_the_morning_already_sent(firm: Harness) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7), assignee="U_MARK")  # Monday: 3 days out
    _real_run(firm, datetime(2026, 12, 4, 8, 45, tzinfo=NY))
    # Lena's briefing and the digest went out; Mark's waits for 08:00 in Los Angeles
    assert sorted(_states(firm)) == [
        ("briefing", "U_LENA", OutboxStatus.SENT),
        ("briefing", "U_MARK", OutboxStatus.PENDING),
        ("deadline_digest", "C_DEADLINES", OutboxStatus.SENT),
    ]

    ten = datetime(2026, 12, 4, 10, 0, tzinfo=NY)
    assert plan(firm.clerk, ten) == []
    waiting = dryrun.rehearse(firm.clerk, ten)
    assert waiting.already == {OutboxStatus.SENT: 2}  # Mark's is due at 11:00, after ten

    _real_run(firm, datetime(2026, 12, 4, 11, 30, tzinfo=NY))
    assert all(status is OutboxStatus.SENT for _kind, _target, status in _states(firm))
    sent = firm.count(OutboxMessage)

    later = datetime(2026, 12, 4, 15, 0, tzinfo=NY)
    assert plan(firm.clerk, later) == []
    assert dryrun.rehearse(firm.clerk, later).already == {OutboxStatus.SENT: 3}
    _real_run(firm, later)
    assert firm.count(OutboxMessage) == sent  # the real run sends 0: the dry run agrees


def test_what_is_new_since_the_morning_is_still_listed(firm: Harness) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7))
    _real_run(firm, datetime(2026, 12, 4, 8, 45, tzinfo=NY))
    # Tomorrow's planned messages are not today's keys: Monday's dry run lists them all
    monday = dryrun.rehearse(firm.clerk, datetime(2026, 12, 7, 9, 0, tzinfo=NY))
    kinds = sorted(item.kind for _when, item in monday.found)
    assert kinds == ["briefing", "deadline_digest", "report"]  # Monday: the weekly report too
    assert monday.already == {}


def test_the_command_says_what_it_left_out(
    firm: Harness,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_deadline(firm, "Answer", date(2026, 12, 7), assignee="U_MARK")
    _real_run(firm, datetime(2026, 12, 4, 8, 45, tzinfo=NY))
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
    before = firm.count(OutboxMessage)
    assert main(["digest", "--dry-run", "--at", "2026-12-04 12:00"]) == 0
    out = capsys.readouterr().out
    assert "briefing ──" not in out and "deadline digest ──" not in out
    assert "Nothing would be sent on Fri 4 Dec 2026 up to 12:00." in out
    assert (
        "Already in the outbox, not listed again: 2 sent, 1 waiting to be sent "
        "(the real run queues nothing for them)." in out
    )
    assert "0 messages · dry run: nothing was sent." in out
    assert firm.count(OutboxMessage) == before
