"""Queue the budget alerts due (``bot.clients.budgets``) in the caller's unit of work, so an
alert goes out exactly when the invoice or budget that caused it is stored, once per key.

Each alert's key is ``budget:{matter_id}:{threshold}``. One invoice or one budget change is
one matter and one DM. When several of a lawyer's matters cross at once (an import of
matters with their billing, invoices recorded outside Slack and caught by the 08:30 job, a
firm's first morning with budgets) the lawyer gets one DM listing them all, sent under the
fullest matter's key; the other matters' keys are recorded with it as settled (told in that
DM), so none of them is ever sent on its own (the rule is ``bot.clients.budgets.gather``;
what is already told is the outbox's to say).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from bot.clients import budgets
from handlers.clients import matter_views
from schedules.jobs import Planned
from schedules.outbox import Queued, enqueue_many, statuses


def queue_budget_alerts(session: Session, matter_ids: Collection[int] | None) -> int:
    """Queue the alerts of these matters (None: every matter with a budget), a lawyer's
    several gathered into one DM; how many DMs were new."""
    told = _untold(session, budgets.alerts(session, matter_ids))
    added = enqueue_many(
        session,
        [
            Queued(
                g.lead.key,
                g.lawyer_slack_id,
                matter_views.OUTBOX_KIND,
                matter_views.gathered_alert_message(g.alerts).payload(),
            )
            for g in told
        ],
    )
    _record_settled(session, told)
    return added


def planned_alerts(session: Session) -> list[Planned]:
    """Every alert not yet told, for the 08:30 job: catches billing stored without a Slack
    command. The keys each DM settles are recorded here, in the job's unit of work (a dry
    run rolls them back with everything else it built)."""
    told = _untold(session, budgets.alerts(session))
    _record_settled(session, told)
    return [
        Planned(
            g.lead.key,
            g.lawyer_slack_id,
            matter_views.OUTBOX_KIND,
            matter_views.gathered_alert_message(g.alerts),
        )
        for g in told
    ]


def _untold(session: Session, due: list[budgets.BudgetAlert]) -> list[budgets.Gathered]:
    """The alerts whose key is not in the outbox yet, gathered one DM per lawyer."""
    taken = statuses(session, (a.key for a in due))
    return budgets.gather([a for a in due if a.key not in taken])


def _record_settled(session: Session, told: list[budgets.Gathered]) -> None:
    """Take the keys each DM stands for besides its own: the other matters it lists, and
    the lower thresholds (the 80% under a 100% DM), so no DM is ever sent under them; a key
    already taken (its DM sent) stays as it is."""
    enqueue_many(
        session,
        [
            Queued(
                key,
                g.lawyer_slack_id,
                matter_views.OUTBOX_KIND,
                {"covered_by": g.lead.key},
                settled=True,
            )
            for g in told
            for key in g.settled
        ],
    )
