"""Overdue accounts (08:30, working days): one post to the billing channel only, worst first,
each account with *Log contact*, *Mark disputed* and *Next stage*; and a DM to each
responsible lawyer whose client's collections stage changed.

Stages are synced first (each change recorded as an escalation event with why), so the post,
the DMs and ``/balance`` agree; both read the same ``aged_accounts`` of the morning. The money
services are imported when the job runs: a Clerk built without them skips this job with a log
line rather than failing the morning.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from handlers.kernel import blocks
from schedules.jobs import Planned, is_working_day

log = logging.getLogger("clerk.jobs")


def build(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    if not is_working_day(clerk, day):
        return []
    try:
        from bot.billing.collections import sync_escalation_stages
        from bot.billing.receivables import aged_accounts, thresholds_in
        from handlers.billing.overdue_views import overdue_post
        from handlers.billing.views import stage_change_payload
    except ImportError as exc:
        log.info("overdue accounts job skipped: the money services are not installed (%s)", exc)
        return []
    thresholds = thresholds_in(session)
    # One aggregate over the firm's unpaid invoices feeds both the stage sync and the post,
    # of the accounts that can stand above current: one that cannot stands as settled, as
    # a client with no account does, and the post leaves it out anyway.
    found = aged_accounts(session, as_of=day, thresholds=thresholds, standing_only=True)
    planned: list[Planned] = []
    for change in sync_escalation_stages(session, as_of=day, thresholds=thresholds, found=found):
        if not change.lawyer_slack_id:
            continue
        payload = stage_change_payload(change)
        message = blocks.Message(
            text=str(payload["text"]),
            blocks=list(payload["blocks"]),  # type: ignore[call-overload]
        )
        planned.append(
            Planned(
                f"stage:{change.client_id}:{change.event_id}",
                change.lawyer_slack_id,
                "stage_change",
                message,
            )
        )
    channel = clerk.firm.get("billing_channel", session)
    if not channel:
        return planned
    key = f"overdue:{day}:{channel}"
    worst = found.worst_first()
    for number, page in enumerate(
        overdue_post(worst, as_of=day, home=clerk.settings.currency, totals=worst.totals()),
        start=1,
    ):
        planned.append(
            Planned(
                key if number == 1 else f"{key}:{number}", str(channel), "overdue_accounts", page
            )
        )
    return planned
