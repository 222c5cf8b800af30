"""The weekly (Mondays 07:30) and monthly (the 1st, 07:30) reports to the reports channel.

Each run posts one message about the period that just ended: the KPIs as blocks, plus a
chart image. The outbox row stores the chart's *numbers* (``extra["chart"]``), not its PNG
bytes: the chart is redrawn from them at delivery (``upload_chart``), so the row stays small
JSON, a retry uploads the same picture, and no migration is needed.

Why the message is posted first and the chart uploaded into its thread, rather than one
``files_upload_v2`` with an ``initial_comment``: an ``initial_comment`` is plain text (no
Block Kit), and the upload is three Slack calls that can each fail. Posting the blocks first
and recording their ``ts`` on the row before uploading gives delivery a resume point: a retry
after a failed upload sees the ``ts``, skips the post and only uploads, so the report itself
is never posted twice.

An empty period still posts: zero contacts or collections in a week is itself information.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.reports.clients import analyse_clients
from bot.reports.kpis import PeriodKind, compute, ended_before
from schedules.jobs import Planned

log = logging.getLogger("clerk.jobs")


def _build(clerk: Clerk, session: Session, day: date, kind: PeriodKind) -> list[Planned]:
    from handlers.reports.client_report import monthly_blocks
    from handlers.reports.reports import chart_numbers, report_message

    channel = clerk.firm.get("reports_channel", session)
    if not channel:
        log.info("%sly report not planned: no reports channel is set (reports_channel)", kind)
        return []
    period = ended_before(kind, day)
    kpis = compute(session, period, zone=clerk.settings.tz, currency=clerk.settings.currency)
    message = report_message(kpis)
    if kind == "month":  # and the clients: the industry table and the top ten
        analysis = analyse_clients(
            session, today=period.end, zone=clerk.settings.tz, currency=clerk.settings.currency
        )
        message.blocks.extend(monthly_blocks(analysis))
    return [
        Planned(
            f"report:{kind}:{period.key}",
            str(channel),
            "report",
            message,
            extra={"chart": chart_numbers(kpis)},
        )
    ]


def build_weekly(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    return _build(clerk, session, day, "week")


def build_monthly(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    return _build(clerk, session, day, "month")


def upload_chart(
    clerk: Clerk, *, channel: str, thread_ts: str | None, chart: dict[str, Any]
) -> None:
    """Redraw the chart from the stored numbers and upload it in the report's thread."""
    from handlers.reports.reports import render_chart

    clerk.client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        content=render_chart(chart),
        filename=str(chart.get("filename") or "report.png"),
        title=str(chart.get("title") or "Report"),
    )
