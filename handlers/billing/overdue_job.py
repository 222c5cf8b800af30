"""Overdue accounts (08:30, working days): one post to the billing channel only, worst first,
each account with *Log contact*, *Mark disputed* and *Next stage*; and one collections DM to
each responsible lawyer listing their clients whose stage changed
(``handlers.billing.collections_views``, key ``collections:{slack_id}:{YYYY-MM-DD}``). A
client reaching partner review (stage 3) is in its relationship partner's collections DM
(every partner's, when it has none), and one reaching stage 4 in the admins' too
(``bot.billing.stage_recipients``).

Each dispute whose review date has come is told to its owner (``handlers.billing.
dispute_review_views``, key ``dispute-review:{invoice_id}:{YYYY-MM-DD}``), and an account
whose dispute review date has passed is marked so on the post (``bot.billing.dispute_review``).

Stages are synced first (each change recorded as an escalation event with why), so the post,
the DMs and ``/balance`` agree; both read the same ``aged_accounts`` of the morning.

The first run on a firm's data (no account has a stage recorded yet: a new install, a first
import of its invoices) records every account's stage as its starting point and tells no
lawyer: hundreds of accounts "moving" from current to where they already stood is history,
not news. The admins are told once that it happened.

The money services are imported when the job runs: a Clerk built without them skips this job
with a log line rather than failing the morning.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.dates.format import format_day
from schedules.jobs import Planned, is_working_day
from storage.models import Role, User

log = logging.getLogger("clerk.jobs")


def build(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    if not is_working_day(clerk, day):
        return []
    try:
        from bot.billing.collections import any_stage_recorded, sync_escalation_stages
        from bot.billing.dispute_review import review_overdue_clients, reviews_due
        from bot.billing.receivables import aged_accounts, thresholds_in
        from bot.billing.stage_recipients import stage_recipients
        from handlers.billing import collections_views as told
        from handlers.billing import dispute_review_views as reviews
        from handlers.billing.credit import stage_notices
        from handlers.billing.overdue_views import POST_KIND, overdue_post
        from handlers.clients.budget_alerts import planned_alerts
    except ImportError as exc:
        log.info("overdue accounts job skipped: the money services are not installed (%s)", exc)
        return []
    thresholds = thresholds_in(session)
    # One aggregate over the firm's unpaid invoices feeds both the stage sync and the post,
    # of the accounts that can stand above current: one that cannot stands as settled, as
    # a client with no account does, and the post leaves it out anyway.
    found = aged_accounts(session, as_of=day, thresholds=thresholds, standing_only=True)
    first_run = not any_stage_recorded(session)
    changes = sync_escalation_stages(session, as_of=day, thresholds=thresholds, found=found)
    planned: list[Planned] = []
    if first_run and changes:
        note = told.first_run_note(len(changes))
        for admin in _admins(clerk, session):
            planned.append(Planned(f"collections-start:{admin}", admin, told.FIRST_RUN_KIND, note))
    elif changes:
        said = format_day(day)
        notices = stage_notices(clerk, session, changes)  # the notice to send, per client
        for person, theirs in sorted(stage_recipients(session, changes).items()):
            planned.append(
                Planned(
                    told.outbox_key(person, day.isoformat()),
                    person,
                    told.OUTBOX_KIND,
                    told.collections_message(theirs, said, reader=person, notices=notices),
                )
            )
    planned.extend(planned_alerts(session))  # matter budgets crossed (once per key)
    home = clerk.settings.currency
    for review in reviews_due(session, day=day):
        message = reviews.review_message(review, day=day, home=home)
        planned.append(
            Planned(review.outbox_key, review.owner_slack_id, reviews.OUTBOX_KIND, message)
        )
    channel = clerk.firm.get("billing_channel", session)
    if not channel:
        return planned
    key = f"overdue:{day}:{channel}"
    worst = found.worst_first()
    for number, page in enumerate(
        overdue_post(
            worst,
            as_of=day,
            home=home,
            totals=worst.totals(),
            review_overdue=review_overdue_clients(session, day=day),
        ),
        start=1,
    ):
        planned.append(
            Planned(key if number == 1 else f"{key}:{number}", str(channel), POST_KIND, page)
        )
    return planned


def _admins(clerk: Clerk, session: Session) -> list[str]:
    """Every active admin, and those named in the settings."""
    found = set(
        session.scalars(
            select(User.slack_id).where(User.role == Role.ADMIN, User.is_active.is_(True))
        )
    )
    return sorted(found | {a for a in clerk.settings.admins if a})
