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
    """Queue the alerts of these matters (None: every matter with a budget), each with the
    lower thresholds it covers recorded as settled; how many DMs were new (an alert already
    queued under its key is not queued again)."""
    due = budgets.alerts(session, matter_ids)
    added = enqueue_many(
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
    _record_covered(session, due)
    return added


def planned_alerts(session: Session) -> list[Planned]:
    """Every alert due, for the 08:30 job: catches billing stored without a Slack command.
    The lower thresholds each covers are recorded here, in the job's unit of work (a dry run
    rolls them back with everything else it built)."""
    due = budgets.alerts(session)
    _record_covered(session, due)
    return [
        Planned(a.key, a.lawyer_slack_id, matter_views.OUTBOX_KIND, matter_views.alert_message(a))
        for a in due
    ]


def _record_covered(session: Session, due: list[budgets.BudgetAlert]) -> None:
    """Take the keys of the thresholds a higher alert stands for (the 80% under a 100% DM),
    so no DM is ever sent under them; a key already taken (its DM sent) stays as it is."""
    enqueue_many(
        session,
        [
            Queued(
                key,
                a.lawyer_slack_id,
                matter_views.OUTBOX_KIND,
                {"covered_by": a.key},
                settled=True,
            )
            for a in due
            for key in a.covered_keys
        ],
    )
