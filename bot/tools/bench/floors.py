"""The floor of each morning job: its selection as one plain SQL statement through the driver.

Each statement fetches exactly the rows the job's messages are made of (what a hand-written
report would run), with the indexes the schema has, and nothing else: no ORM, no message
building, no stage bookkeeping. A job's build time over this floor is what Clerk adds.
The SQL is portable between SQLite and PostgreSQL; ``:name`` parameters are rewritten for
psycopg's ``%(name)s``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.tools.bench.client_floors import CLIENT_ANALYSIS, client_params
from bot.tools.bench.report_floors import REPORT, report_params
from storage.db import Database

DIGEST_LOOK_AHEAD_DAYS = 7
REMINDER_HORIZON_DAYS = 30
# The firm's default chain (bot/firm/firm_settings.py). The briefing reads only the deadlines
# due on a step day, or snoozed; on a Monday after Friday's briefing (no missed morning to
# catch up, the weekend said on Friday) those are the days ``day + step``, and the floor
# reads exactly them, with the follow-ups dated that day and the key clients.
REMINDER_STEPS = (30, 14, 7, 3, 1, 0)

DEADLINE_DIGEST = """
SELECT d.id, m.code, d.title, d.due_on, d.due_at, u.slack_id, d.citation
FROM deadlines d
JOIN matters m ON m.id = d.matter_id
LEFT JOIN users u ON u.id = d.responsible_id
WHERE d.status = 'open' AND d.is_trigger = false AND d.due_on <= :until
ORDER BY d.due_on, d.id
"""

REMINDERS = """
SELECT d.id, m.code, d.title, d.due_on, d.due_at, u.slack_id, d.citation, a.slack_id,
       d.reminders_snoozed_until
FROM deadlines d
JOIN matters m ON m.id = d.matter_id
LEFT JOIN users u ON u.id = d.responsible_id
LEFT JOIN users a ON a.id = d.assignee_id
WHERE d.status = 'open' AND d.is_trigger = false AND d.due_on >= :day AND d.due_on <= :until
  AND (d.due_on IN (:s0, :s1, :s2, :s3, :s4, :s5) OR d.reminders_snoozed_until IS NOT NULL)
ORDER BY d.due_on, d.id
"""

FOLLOW_UPS = """
SELECT c.id, c.follow_up_on, c.summary, cl.code, cl.name, u.slack_id
FROM contacts c
JOIN clients cl ON cl.id = c.client_id
JOIN users u ON u.id = c.logged_by_id
WHERE c.follow_up_on = :day AND c.follow_up_done_at IS NULL
ORDER BY c.follow_up_on, c.id
"""

KEY_CLIENTS = """
SELECT cl.id, cl.code, cl.name, cl.cadence_days, u.slack_id,
       (SELECT MAX(c.occurred_at) FROM contacts c WHERE c.client_id = cl.id) AS last_contact
FROM clients cl
JOIN users u ON u.id = cl.lawyer_id
WHERE cl.is_key = true AND cl.status = 'active'
ORDER BY cl.code
"""

OVERDUE_ACCOUNTS = """
WITH items AS (
    SELECT i.client_id, i.currency, i.due_on, i.disputed, i.amount_cents - i.paid_cents AS owed
    FROM invoices i
    WHERE i.status = 'open' AND i.amount_cents > i.paid_cents
)
SELECT items.client_id, items.currency, cl.code, cl.name, u.slack_id,
       SUM(CASE WHEN due_on >= :day THEN owed ELSE 0 END) AS b0,
       SUM(CASE WHEN due_on < :day AND due_on >= :d30 THEN owed ELSE 0 END) AS b1,
       SUM(CASE WHEN due_on < :d30 AND due_on >= :d60 THEN owed ELSE 0 END) AS b2,
       SUM(CASE WHEN due_on < :d60 AND due_on >= :d90 THEN owed ELSE 0 END) AS b3,
       SUM(CASE WHEN due_on < :d90 THEN owed ELSE 0 END) AS b4,
       SUM(owed) AS total,
       MIN(CASE WHEN due_on < :day AND disputed = false THEN due_on END) AS oldest_due
FROM items
JOIN clients cl ON cl.id = items.client_id
LEFT JOIN users u ON u.id = cl.lawyer_id
GROUP BY items.client_id, items.currency, cl.code, cl.name, u.slack_id
HAVING SUM(CASE WHEN due_on < :day THEN owed ELSE 0 END) > 0
ORDER BY items.client_id
"""


# The 08:30 job also checks every open matter with a budget against what it billed.
BUDGETS = """
SELECT m.id, m.code, c.code, c.currency, u.slack_id, m.budget_cents,
       SUM(i.amount_cents), SUM(i.paid_cents)
FROM matters m
JOIN clients c ON c.id = m.client_id
JOIN invoices i ON i.matter_id = m.id
JOIN users u ON u.id = COALESCE(m.lawyer_id, c.lawyer_id)
WHERE m.budget_cents IS NOT NULL AND m.budget_cents > 0 AND m.status = 'open'
  AND i.status <> 'void' AND u.is_active = true
  AND u.role IN ('lawyer', 'partner', 'admin', 'billing')
GROUP BY m.id, m.code, c.code, c.currency, u.slack_id, m.budget_cents
HAVING SUM(i.amount_cents) * 100 >= m.budget_cents * 80
"""


def _params_digest(day: date) -> dict[str, Any]:
    extra = 3 if day.weekday() == 4 else 0
    return {"until": day + timedelta(days=DIGEST_LOOK_AHEAD_DAYS + extra)}


def _params_reminders(day: date) -> dict[str, Any]:
    steps = {f"s{n}": day + timedelta(days=step) for n, step in enumerate(REMINDER_STEPS)}
    return {"day": day, "until": day + timedelta(days=REMINDER_HORIZON_DAYS), **steps}


def _params_briefing(day: date) -> dict[str, Any]:
    return _params_reminders(day)


def _params_aging(day: date) -> dict[str, Any]:
    return {
        "day": day,
        "d30": day - timedelta(days=30),
        "d60": day - timedelta(days=60),
        "d90": day - timedelta(days=90),
    }


def _params_monthly(day: date) -> dict[str, Any]:
    report = report_params("month")(day)
    return {**report, **client_params(report["end"])}


@dataclass(frozen=True)
class Floor:
    sql: str | tuple[str, ...]  # one statement, or several run one after the other
    params: Callable[[date], dict[str, Any]]

    @property
    def statements(self) -> tuple[str, ...]:
        return (self.sql,) if isinstance(self.sql, str) else self.sql


# Keyed by the scheduler's job names (schedules.jobs.all_jobs).
FLOORS: dict[str, Floor] = {
    "deadline_digest": Floor(DEADLINE_DIGEST, _params_digest),
    "briefing": Floor((REMINDERS, FOLLOW_UPS, KEY_CLIENTS), _params_briefing),
    "overdue_accounts": Floor((OVERDUE_ACCOUNTS, BUDGETS), _params_aging),
    "weekly_report": Floor(REPORT, report_params("week")),
    # the monthly report carries the client analysis of the twelve months to its period end
    "monthly_report": Floor(REPORT + CLIENT_ANALYSIS, _params_monthly),
    # `/clerk report clients` (timed with the jobs: a set of aggregates, not a Slack round trip)
    "clients_report": Floor(CLIENT_ANALYSIS, client_params),
}


def _for_driver(db: Database, sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if db.is_sqlite:
        return sql, {k: _sqlite_value(v) for k, v in params.items()}
    return re.sub(r":(\w+)", r"%(\1)s", sql), params


def _sqlite_value(value: Any) -> Any:
    """Dates as SQLite stores them: ISO days, and timestamps as naive UTC text (UTCDateTime)."""
    if isinstance(value, datetime):
        return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def run_floor(db: Database, floor: Floor, day: date) -> tuple[float, int]:
    """(milliseconds, rows) for one execution of the floor on a pooled driver connection."""
    elapsed, rows = run_floor_rows(db, floor, day)
    return elapsed, len(rows)


def run_floor_rows(db: Database, floor: Floor, day: date) -> tuple[float, list[tuple[Any, ...]]]:
    """(milliseconds, rows) of one execution: every statement's rows, fetched in full."""
    params = floor.params(day)
    prepared = [_for_driver(db, sql, params) for sql in floor.statements]
    raw = db.engine.raw_connection()
    rows: list[tuple[Any, ...]] = []
    try:
        cursor = raw.cursor()
        started = time.perf_counter()
        for sql, values in prepared:
            cursor.execute(sql, values)
            rows += cursor.fetchall()
        elapsed = (time.perf_counter() - started) * 1000
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return elapsed, rows
