"""Queue the budget alerts due (``bot.clients.budgets``) in the caller's unit of work, so an
alert goes out exactly when the invoice or budget that caused it is stored, once per key."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from bot.clients import budgets
from handlers.clients import matter_views
from schedules.jobs import Planned
from schedules.outbox import Queued, enqueue_many


def queue_budget_alerts(session: Session, matter_ids: Collection[int] | None) -> int:
    """Queue the alerts of these matters (None: every matter with a budget); how many were
    new (an alert already queued under its key is not queued again)."""
    due = budgets.alerts(session, matter_ids)
    return enqueue_many(
        session,
        [
            Queued(
                a.key,
                a.lawyer_slack_id,
                matter_views.OUTBOX_KIND,
                matter_views.alert_message(a).payload(),
            )
            for a in due
        ],
    )


def planned_alerts(session: Session) -> list[Planned]:
    """Every alert due, for the 08:30 job: catches billing stored without a Slack command
    (an import from the command line)."""
    return [
        Planned(a.key, a.lawyer_slack_id, matter_views.OUTBOX_KIND, matter_views.alert_message(a))
        for a in budgets.alerts(session)
    ]
