"""Follow-ups: a DM to whoever logged a contact whose follow-up date is today or past.

One DM per contact and follow-up date: it is not repeated every morning (the key carries the
date), and changing the follow-up date makes a new one.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.clients import morning as queries
from handlers.clients.follow_up_views import FollowUpWriter
from schedules.jobs import Planned


def build(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    plan = FollowUpWriter(day).follow_up
    return [
        Planned(
            f"followup:{row.contact_id}:{row.follow_up_on}",
            row.logged_by_slack_id,
            "follow_up",
            plan(
                client_code=row.client_code,
                client_name=row.client_name,
                summary=row.summary,
                due=row.follow_up_on,
            ),
        )
        for row in queries.follow_ups_due(session, day=day)
    ]
