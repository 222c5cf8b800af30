"""The reminder chain, as items of the morning briefing (``handlers.briefing.job``).

Each open, non-trigger deadline is spoken of at each configured step (30, 14, 7, 3, 1 and 0
days before) to the responsible lawyer and to the assignee (once if they are the same
person), in their one briefing of the morning rather than a DM of its own: a lawyer with
dozens of deadlines on a month-end reads one message, not dozens.

A briefing speaks for the days it covers: its own morning, the days up to the next working
morning (Friday's covers the weekend, Wednesday's a Thursday holiday) and any working
mornings missed while Clerk was down (up to a week back). A deadline with a step on one of
those days is listed once, said as the briefing is read: "in 3 days", "today", or missed
when it fell due during an outage. Moving a deadline restarts its chain (the steps follow
its new date).

A snooze (*Snooze reminder 1 day*) silences the chain until it ends; the first briefing
after it ends lists the deadline once more, even on a day that is not a step, since the
lawyer asked to be reminded later rather than never.

Each item is the facts its line states (``handlers.deadlines.reminder_views.Reminder``),
with its day and time texts worked out once per day and time: a month-end morning plans
thousands inside one unit of work.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.deadlines import morning as queries
from handlers.deadlines.reminder_views import Reminder, ReminderWriter


def steps(clerk: Clerk, session: Session) -> list[int]:
    chain = clerk.firm.get("reminder_days", session)
    return sorted({int(step) for step in chain if int(step) >= 0})


def plan(
    clerk: Clerk,
    session: Session,
    *,
    since: date,
    until: date,
    fresh: date,
    said_on: date,
) -> list[tuple[str, Reminder]]:
    """(whom, what) for every deadline with a step from ``since`` to ``until``, or a snooze
    that ended from ``fresh`` (the day after the last briefing) to ``until``."""
    chain = steps(clerk, session)
    if not chain:
        return []
    zone = clerk.settings.tz
    now = clerk.now()
    step_on = _steps_by_due_day(chain, since, until)
    rows = queries.reminder_deadlines(
        session, start=since, end=until + timedelta(days=chain[-1]), due_on_in=step_on
    )
    write = ReminderWriter(zone).reminder
    # days left as the briefing is read, once per due day (a month-end's thousands of rows
    # fall on a handful of days); negative for a deadline that fell due during an outage
    days_left: dict[date, int] = {}
    found: list[tuple[str, Reminder]] = []
    for row in rows:
        listed = row.due_on in step_on
        snoozed = row.snoozed_until
        if snoozed is not None:
            ends = snoozed.astimezone(zone).date()
            if snoozed > now and ends > until:
                continue  # snoozed past every day this briefing speaks for
            listed = listed or fresh <= ends <= until  # the snooze ended: once more
        if not listed:
            continue
        days = days_left.get(row.due_on)
        if days is None:
            days = days_left[row.due_on] = (row.due_on - said_on).days
        reminder = write(row, days)
        lawyer, assignee = row.lawyer_slack_id, row.assignee_slack_id
        if lawyer:
            found.append((lawyer, reminder))
        if assignee and assignee != lawyer:
            found.append((assignee, reminder))
    return found


def _steps_by_due_day(chain: list[int], since: date, until: date) -> dict[date, int]:
    """For each due day with a step from ``since`` to ``until``, the smallest such step:
    computed once per morning, not per row."""
    found: dict[date, int] = {}
    for step in sorted(chain, reverse=True):
        slot = since
        while slot <= until:
            found[slot + timedelta(days=step)] = step
            slot += timedelta(days=1)
    return found
