"""The morning briefing (working days at ``digest_time``): one DM per person with something due.

Gathers what the reminder chain (``handlers.deadlines.reminder_job``), the follow-ups (due,
and those a colleague closed since the last briefing: ``handlers.clients.follow_up_job``) and
the key-client cadence (``handlers.clients.cadence_job``) have to tell each person this
morning into one :class:`~handlers.briefing.views.Briefing`, worst first, under the outbox key
``briefing:{slack_id}:{YYYY-MM-DD}``. Nothing due means no DM.

**The days a briefing speaks for.** There is no briefing on weekends and the firm's
holidays, so each one covers its own day and the days up to the next working morning:
Friday's lists the steps that fall on Saturday and Sunday ("due in 3 days" for Monday's
deadline), and the day before a holiday lists the holiday's. A working morning missed while
Clerk was down is not lost: the first briefing after the gap (up to ``CATCH_UP_DAYS`` back,
counted from the last working morning a briefing ran for) covers the missed days too, and a
deadline that fell due in the gap is listed as missed. A new firm's first briefing covers
its own days only.

**The reader's own morning.** The job runs at the firm's ``digest_time``; a person whose
Slack time zone is behind the firm's (Los Angeles for a New York firm) gets theirs at
``digest_time`` in their zone, not at 05:00. A reader ahead of the firm, or with no known
zone, gets it when the job runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.dates.format import format_day
from handlers.briefing.views import OUTBOX_KIND, Briefing, Item, outbox_key, worst_first
from handlers.clients import cadence_job, follow_up_job
from handlers.deadlines import reminder_job
from schedules.jobs import Planned, at_time, is_working_day
from storage.models import JobRun, JobRunStatus, User

JOB = "briefing"
# The runs that told people of their morning: the briefing's, and before it the per-item
# reminder and follow-up jobs of an older Clerk (so an upgrade repeats nothing).
TOLD_BY = (JOB, "reminders", "follow_ups")
CATCH_UP_DAYS = 7
LOOK_AHEAD_DAYS = 14  # the most days one briefing covers ahead (a long closure)


def build(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    if not is_working_day(clerk, day):
        return []
    since, fresh, last, last_slot = _first_uncovered_day(clerk, session, day)
    until = last_covered_day(clerk, day)
    said_on = max(day, clerk.now().astimezone(clerk.settings.tz).date())
    window = {"since": since, "until": until, "said_on": said_on}
    found: dict[str, list[Item]] = {}
    for person, reminder in reminder_job.plan(clerk, session, fresh=fresh, **window):
        found.setdefault(person, []).append(reminder)
    for person, follow_up in follow_up_job.plan(session, last_briefing=last, **window):
        found.setdefault(person, []).append(follow_up)
    for person, closed in follow_up_job.plan_closed(
        session, **_closures_window(clerk, session, day, last_slot)
    ):
        found.setdefault(person, []).append(closed)
    for person, key_client in cadence_job.plan(clerk, session, **window):
        found.setdefault(person, []).append(key_client)
    if not found:
        return []
    mornings = _own_mornings(clerk, session, day)
    # A briefing caught up after an outage says the day it is read on, as its lines do.
    said = format_day(day)
    if said_on > day:
        said = f"{format_day(said_on)} (the briefing of {said}, sent late)"
    return [
        Planned(
            outbox_key(person, day.isoformat()),
            person,
            OUTBOX_KIND,
            Briefing(said, worst_first(items)),
            None,
            mornings.get(person),
        )
        for person, items in sorted(found.items())
    ]


def last_covered_day(clerk: Clerk, day: date) -> date:
    """The day before the next working morning after ``day``: what ``day``'s briefing
    speaks for ahead (Friday's reaches Sunday)."""
    until = day
    while until < day + timedelta(days=LOOK_AHEAD_DAYS):
        if is_working_day(clerk, until + timedelta(days=1)):
            break
        until += timedelta(days=1)
    return until


def _closures_window(
    clerk: Clerk, session: Session, day: date, last_slot: datetime | None
) -> dict[str, datetime]:
    """The follow-ups closed by a colleague that ``day``'s briefing tells of: those closed
    from the last briefing's slot to this one's. Slots, not the times the runs started, so
    consecutive briefings' windows meet exactly and each closure is told once, also when a
    run was late or caught up. A new firm's first briefing looks back a day; one after an
    outage, ``CATCH_UP_DAYS`` at most."""
    slot = at_time(day, str(clerk.firm.get("digest_time", session)), clerk.settings.tz)
    floor = slot - timedelta(days=CATCH_UP_DAYS)
    after = max(last_slot, floor) if last_slot is not None else slot - timedelta(days=1)
    return {"after": after, "until": slot}


def _first_uncovered_day(
    clerk: Clerk, session: Session, day: date
) -> tuple[date, date, datetime | None, datetime | None]:
    """(the first day no earlier briefing covered, the day after the last briefing ran, when
    it ran, the slot it ran for): ``day``, ``day``, None and None for a new firm. Only a run
    for a working morning counts: a holiday's run sends nothing and covers nothing."""
    zone = clerk.settings.tz
    start_of_day = datetime.combine(day, time(0, 0), tzinfo=zone)
    runs = session.execute(
        select(JobRun.slot, JobRun.started_at)
        .where(
            JobRun.job.in_(TOLD_BY),
            JobRun.status == JobRunStatus.DONE,
            JobRun.slot < start_of_day,
        )
        .order_by(JobRun.slot.desc())
        .limit(LOOK_AHEAD_DAYS)  # past any run of holidays in a row
    )
    for slot, started in runs:
        ran_for = slot.astimezone(zone).date()
        if is_working_day(clerk, ran_for):
            since = last_covered_day(clerk, ran_for) + timedelta(days=1)
            floor = day - timedelta(days=CATCH_UP_DAYS)
            fresh = min(ran_for + timedelta(days=1), day)
            return min(max(since, floor), day), fresh, started, slot
    return day, day, None, None


def _own_mornings(clerk: Clerk, session: Session, day: date) -> dict[str, datetime | None]:
    """``digest_time`` on ``day`` in each member's own zone, where that is later than the
    firm's. One query reads every member with a zone: the users table is the firm's staff,
    not its history. Each zone's morning is worked out once: hundreds of readers share a
    handful of zones."""
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
