"""The reminder chain: a DM at each configured step (30, 14, 7, 3, 1 and 0 days before).

Each open, non-trigger deadline whose ``due_on - step`` is today gets one DM to the
responsible lawyer and one to the assignee (once if they are the same person). A snooze
(*Snooze reminder 1 day*) silences the chain until it ends; the first morning after it ends
the deadline is reminded again once, even if that day is not a step, since the lawyer asked
to be reminded later rather than never. The key carries the due date, so moving a deadline
restarts its chain.

A step that fell while Clerk was down is not lost: the first run after the gap (up to
``CATCH_UP_DAYS`` back, counted from the last completed run) sends the most recent step that
was missed, saying how long is really left. A deadline already past is left to the digest.

Each DM waits for its reader's own morning: the job runs at the firm's ``digest_time``, and a
lawyer whose Slack time zone is behind the firm's (Los Angeles for a New York firm) gets it
at ``digest_time`` in their zone, not at 05:00. A reader ahead of the firm, or with no known
zone, gets it when the job runs.

Each DM is planned and queued as the facts it states (``handlers.deadlines.reminder_views``) and
drawn
into Block Kit when it is sent: a month-end morning plans thousands, inside one unit of work.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.deadlines import morning as queries
from handlers.deadlines.reminder_views import Reminder, ReminderWriter
from schedules.jobs import Planned, at_time
from storage.models import JobRun, JobRunStatus, User

CATCH_UP_DAYS = 7


def steps(clerk: Clerk, session: Session) -> list[int]:
    chain = clerk.firm.get("reminder_days", session)
    return sorted({int(step) for step in chain if int(step) >= 0})


def build(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    chain = steps(clerk, session)
    if not chain:
        return []
    zone = clerk.settings.tz
    now = clerk.now()
    said_on = max(day, now.astimezone(zone).date())
    since = _first_uncovered_day(session, day, zone)
    step_on = _steps_by_due_day(chain, since, day)
    rows = queries.reminder_deadlines(
        session, start=day, end=day + timedelta(days=chain[-1]), due_on_in=step_on
    )
    plan = ReminderWriter(zone).reminder
    # What every deadline due on one day shares, worked out once per day (a month-end has
    # thousands of rows on a handful of days): the key's step and due day, and the days
    # left as the DM is read (a slot caught up the next morning speaks of the day it is read)
    by_day = {
        due: (f"{step}:{due}:", max((due - said_on).days, 0)) for due, step in step_on.items()
    }
    # (key, person, reminder): the Planned are made once every reader's morning is known
    wanted: list[tuple[str, str, Reminder]] = []
    for row in rows:
        snoozed = row.snoozed_until
        shared = by_day.get(row.due_on)  # today's step, or the latest one that fell in a gap
        if snoozed is not None:
            ends = snoozed.astimezone(zone)
            if snoozed > now and ends.date() > day:
                continue  # snoozed past today
            if shared is None and ends.date() == day:  # the snooze ends today
                shared = (
                    f"snoozed{ends:%Y%m%d}:{row.due_on}:",
                    max((row.due_on - said_on).days, 0),
                )
        if shared is None:
            continue
        step_and_day, days_before = shared
        reminder = plan(row, days_before)
        lawyer, assignee = row.lawyer_slack_id, row.assignee_slack_id
        prefix = f"reminder:{row.deadline_id}:{step_and_day}"
        if lawyer:
            wanted.append((prefix + lawyer, lawyer, reminder))
        if assignee and assignee != lawyer:
            wanted.append((prefix + assignee, assignee, reminder))
    if not wanted:
        return []
    mornings = _own_mornings(clerk, session, day)
    return [
        Planned(key, person, "deadline_reminder", reminder, None, mornings.get(person))
        for key, person, reminder in wanted
    ]


def _steps_by_due_day(chain: list[int], since: date, day: date) -> dict[date, int]:
    """For each due day with a step between ``since`` and ``day``, the smallest such step
    (today's, or the latest that fell in a gap): computed once per morning, not per row."""
    found: dict[date, int] = {}
    for step in sorted(chain, reverse=True):
        slot = since
        while slot <= day:
            found[slot + timedelta(days=step)] = step
            slot += timedelta(days=1)
    return found


def _first_uncovered_day(session: Session, day: date, zone: tzinfo) -> date:
    """The first day no completed run has covered: the day after the last run before
    ``day`` (at most ``CATCH_UP_DAYS`` back), or ``day`` itself for a new firm."""
    start_of_day = datetime.combine(day, time(0, 0), tzinfo=zone)
    last = session.scalar(
        select(func.max(JobRun.slot)).where(
            JobRun.job == "reminders",
            JobRun.status == JobRunStatus.DONE,
            JobRun.slot < start_of_day,
        )
    )
    if last is None:
        return day
    covered = last.astimezone(zone).date()
    return max(covered + timedelta(days=1), day - timedelta(days=CATCH_UP_DAYS))


def _own_mornings(clerk: Clerk, session: Session, day: date) -> dict[str, datetime | None]:
    """``digest_time`` on ``day`` in each member's own zone, where that is later than the
    firm's. One query reads every member with a zone: the users table is the firm's staff,
    not its history, and listing a month-end's hundreds of readers as bound parameters cost
    PostgreSQL more than reading them all. Each zone's morning is worked out once: hundreds
    of readers share a handful of zones."""
    hhmm = str(clerk.firm.get("digest_time", session))
    firm_morning = at_time(day, hhmm, clerk.settings.tz)
    by_zone: dict[str, datetime | None] = {}
    found: dict[str, datetime | None] = {}
    for slack_id, zone_name in session.execute(
        select(User.slack_id, User.tz).where(User.tz.is_not(None))
    ):
        if zone_name not in by_zone:
            by_zone[zone_name] = _own_morning(day, hhmm, zone_name, firm_morning)
        found[slack_id] = by_zone[zone_name]
    return found


def _own_morning(day: date, hhmm: str, zone_name: str, firm_morning: datetime) -> datetime | None:
    """The hold for readers in ``zone_name``: their own morning in UTC when it is later than
    the firm's, else None (at once); None too for a zone Slack knows and this machine does
    not (the firm's morning)."""
    try:
        own = at_time(day, hhmm, ZoneInfo(zone_name))
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return own.astimezone(UTC) if own > firm_morning else None
