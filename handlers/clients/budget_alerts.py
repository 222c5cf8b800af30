"""Queue the budget alerts due (``bot.clients.budgets``) in the caller's unit of work, so an
alert goes out exactly when the invoice or budget that caused it is stored, once per key.

Each alert's key is ``budget:{matter_id}:{threshold}``. One invoice or one budget change is
one matter and one DM. When several of a lawyer's matters cross at once (an import of
matters with their billing, invoices recorded outside Slack and caught by the 08:30 job, a
firm's first morning with budgets) the lawyer gets one DM listing them all, sent under the
fullest matter's key; the other matters' keys are recorded with it as settled (told in that
DM), so none of them is ever sent on its own. A lawyer with 27 matters past 80% hears of
them in one message, not 27.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy.orm import Session

from bot.clients import budgets
from handlers.clients import matter_views
from handlers.kernel import blocks
from schedules.jobs import Planned
from schedules.outbox import Queued, enqueue_many, statuses


class _Told(NamedTuple):
    """One DM to one lawyer, and the keys it settles besides its own."""

    key: str
    lawyer_slack_id: str
    message: blocks.Message
    settled: list[str]


def queue_budget_alerts(session: Session, matter_ids: Collection[int] | None) -> int:
    """Queue the alerts of these matters (None: every matter with a budget), a lawyer's
    several gathered into one DM; how many DMs were new."""
    told = _gather(session, budgets.alerts(session, matter_ids))
    added = enqueue_many(
        session,
        [
            Queued(t.key, t.lawyer_slack_id, matter_views.OUTBOX_KIND, t.message.payload())
            for t in told
        ],
    )
    _record_settled(session, told)
    return added


def planned_alerts(session: Session) -> list[Planned]:
    """Every alert not yet told, for the 08:30 job: catches billing stored without a Slack
    command. The keys each DM settles are recorded here, in the job's unit of work (a dry
    run rolls them back with everything else it built)."""
    told = _gather(session, budgets.alerts(session))
    _record_settled(session, told)
    return [Planned(t.key, t.lawyer_slack_id, matter_views.OUTBOX_KIND, t.message) for t in told]


def _gather(session: Session, due: list[budgets.BudgetAlert]) -> list[_Told]:
    """The DMs for the alerts not told yet (their key not in the outbox): one per lawyer,
    under the key of the fullest matter among theirs."""
    taken = statuses(session, (a.key for a in due))
    by_lawyer: dict[str, list[budgets.BudgetAlert]] = defaultdict(list)
    for alert in due:
        if alert.key not in taken:
            by_lawyer[alert.lawyer_slack_id].append(alert)
    told: list[_Told] = []
    for lawyer, theirs in sorted(by_lawyer.items()):
        lead = max(theirs, key=lambda a: (a.threshold, a.figures.percent or 0, -a.matter_id))
        settled = [a.key for a in theirs if a is not lead]
        settled += [key for a in theirs for key in a.covered_keys]
        message = matter_views.gathered_alert_message(theirs)
        told.append(_Told(lead.key, lawyer, message, settled))
    return told


def _record_settled(session: Session, told: list[_Told]) -> None:
    """Take the keys each DM stands for besides its own: the other matters it lists, and
    the lower thresholds (the 80% under a 100% DM), so no DM is ever sent under them; a key
    already taken (its DM sent) stays as it is."""
    enqueue_many(
        session,
        [
            Queued(
                key,
                t.lawyer_slack_id,
                matter_views.OUTBOX_KIND,
                {"covered_by": t.key},
                settled=True,
            )
            for t in told
            for key in t.settled
        ],
    )
