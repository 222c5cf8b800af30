"""Expired *Confirm* previews are removed by the leader, a day after they expire."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from schedules.runner import Scheduler
from storage.housekeeping import EXPIRED_KEPT_FOR, purge_expired_confirmations
from storage.models import AuditLog, PendingConfirmation
from tests.harness import Harness


def _pending(firm: Harness, token: str, *, expires_in: timedelta) -> None:
    now = firm.clerk.now()
    with firm.db.unit_of_work("U_SAM") as s:
        s.add(
            PendingConfirmation(
                token=token,
                kind="deadline",
                user_slack_id="U_SAM",
                payload={"title": "Reply brief for ACME"},
                created_at=now,
                expires_at=now + expires_in,
            )
        )


def _tokens(firm: Harness) -> set[str]:
    with firm.db.reading() as s:
        return set(s.scalars(select(PendingConfirmation.token)))


def test_only_previews_expired_for_longer_than_the_grace_are_removed(firm: Harness) -> None:
    _pending(firm, "live", expires_in=timedelta(hours=3))
    _pending(firm, "just-expired", expires_in=-timedelta(hours=1))
    _pending(firm, "long-gone", expires_in=-(EXPIRED_KEPT_FOR + timedelta(minutes=1)))
    with firm.db.reading() as s:
        audit_before = len(s.scalars(select(AuditLog.id)).all())

    assert purge_expired_confirmations(firm.db, now=firm.clerk.now()) == 1

    assert _tokens(firm) == {"live", "just-expired"}
    with firm.db.reading() as s:
        assert len(s.scalars(select(AuditLog.id)).all()) == audit_before  # not records
    assert purge_expired_confirmations(firm.db, now=firm.clerk.now()) == 0


def test_the_leading_scheduler_removes_long_expired_previews(firm: Harness) -> None:
    _pending(firm, "long-gone", expires_in=-timedelta(days=3))
    scheduler = Scheduler(firm.clerk)
    try:
        scheduler.tidy()
    finally:
        scheduler.leader.release()
    assert _tokens(firm) == set()
