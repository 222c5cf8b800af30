"""The reminder chain: a DM at each configured step (30, 14, 7, 3, 1 and 0 days before).

Each open, non-trigger deadline whose ``due_on - step`` is today gets one DM to the
responsible lawyer and one to the assignee (once if they are the same person). A snooze
(*Snooze reminder 1 day*) silences the chain until it ends; the first morning after it ends
the deadline is reminded again once, even if that day is not a step, since the lawyer asked
to be reminded later rather than never. The key carries the due date, so moving a deadline
restarts its chain.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from handlers.views.digests import reminder_message
from schedules import queries
from schedules.jobs import Planned


def steps(clerk: Clerk) -> list[int]:
    return sorted({int(step) for step in clerk.firm.get("reminder_days") if int(step) >= 0})


def build(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    chain = steps(clerk)
    if not chain:
        return []
    zone = clerk.settings.tz
    now = clerk.now()
    said_on = max(day, now.astimezone(zone).date())
    planned: list[Planned] = []
    for row in queries.open_deadlines(session, start=day, end=day + timedelta(days=chain[-1])):
        item = row.item
        days_before = (item.due_on - day).days
        snoozed = row.snoozed_until
        if snoozed is not None and snoozed > now and snoozed.astimezone(zone).date() > day:
            continue  # snoozed past today
        if days_before in chain:
            step = str(days_before)
        elif snoozed is not None and snoozed.astimezone(zone).date() == day:
            step = f"snoozed{snoozed.astimezone(zone):%Y%m%d}"  # the snooze ends today
        else:
            continue
        # a slot caught up the next morning speaks of the day it is read, not the slot's
        message = reminder_message(item, max((item.due_on - said_on).days, 0), zone)
        people = (item.lawyer_slack_id, row.assignee_slack_id)
        for person in dict.fromkeys(p for p in people if p):
            planned.append(
                Planned(
                    f"reminder:{item.deadline_id}:{step}:{item.due_on}:{person}",
                    person,
                    "deadline_reminder",
                    message,
                )
            )
    return planned
