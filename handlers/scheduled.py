"""What Clerk says on its own: the scheduled jobs, and messages drawn when they are sent.

:func:`proactive` is what the app shell hands the scheduler (``schedules.registry``): every
job in the order the dry run lists their messages, and how delivery draws, reports and
uploads. ``schedules/`` itself knows no domain.

Messages queued as facts and drawn into Block Kit when they are sent:

The morning briefings are the bulk of a morning (one DM per person, each holding that
person's reminders, follow-ups and key clients: thousands of items on a large firm's
month-end), so the briefing job queues what each briefing states (a few hundred bytes an
item) instead of its Block Kit, inside the unit of work that on SQLite holds the firm's only
write lock. Delivery draws each one just before ``chat.postMessage``. Reminder and follow-up
DMs queued one per item by an older Clerk are drawn the same way; every other message is
queued as the message itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.briefing import views as briefings
from handlers.clients import follow_up_views as follow_ups
from handlers.deadlines import reminder_views as reminders
from schedules.jobs import Job
from schedules.registry import Proactive

# The payload key each kind of per-item facts an older Clerk queued is under, and how to
# read them back.
_DRAWN: dict[str, type[reminders.Reminder] | type[follow_ups.FollowUp]] = {
    reminders.QUEUED_AS: reminders.Reminder,
    follow_ups.QUEUED_AS: follow_ups.FollowUp,
}


def chat_arguments(payload: Mapping[str, Any]) -> dict[str, Any]:
    """What ``chat.postMessage`` is given for a queued payload besides the channel: the
    payload itself, or the DM drawn from the facts it was queued with (a row queued before
    its kind was stored as facts carries its blocks, and is sent as it is). Facts that
    cannot be read raise KeyError, TypeError or ValueError: delivery fails such a row."""
    arguments = dict(payload)
    outcomes = arguments.pop(briefings.OUTCOMES, None)  # what its buttons did since
    briefing = arguments.pop(briefings.QUEUED_AS, None)
    if briefing is not None:
        drawn = briefings.Briefing.from_queued(briefing).render(outcomes)
        arguments.update(drawn.payload())
    for key, kind in _DRAWN.items():
        facts = arguments.pop(key, None)
        if facts is not None:
            arguments.update(kind.from_queued(facts).render().payload())
    return arguments


def all_jobs() -> list[Job]:
    """Every scheduled job, in the order their messages are listed by the dry run."""
    from handlers.billing import overdue_job
    from handlers.briefing import job as briefing_job
    from handlers.deadlines import digest_job
    from handlers.reports import report_job

    return [
        Job("deadline_digest", "digest_time", "mon-fri", digest_job.build, snapshot=True),
        # A snapshot: a briefing missed yesterday is not sent beside today's; today's covers
        # the missed days (``handlers.briefing.job``).
        Job(briefing_job.JOB, "digest_time", "mon-fri", briefing_job.build, snapshot=True),
        Job("overdue_accounts", "overdue_time", "mon-fri", overdue_job.build, snapshot=True),
        Job("weekly_report", "report_time", "mon", report_job.build_weekly),
        Job("monthly_report", "report_time", "*", report_job.build_monthly, day_of_month=1),
    ]


def job_named(name: str) -> Job:
    """One job by its name (the ledger's and APScheduler's id)."""
    for job in all_jobs():
        if job.name == name:
            return job
    raise KeyError(name)


def proactive() -> Proactive:
    """The jobs and delivery's helpers, for ``bot.app.build_clerk`` to hand the scheduler."""
    from handlers.deadlines.digest_views import failure_report
    from handlers.reports.report_job import upload_chart

    return Proactive(
        jobs=tuple(all_jobs()),
        draw=chat_arguments,
        failure_report=failure_report,
        upload_chart=upload_chart,
    )
