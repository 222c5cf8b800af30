"""The floor of the weekly and monthly reports: every KPI's selection as plain SQL.

The report reads contacts per lawyer, the deadlines due in the period, new clients and
matters, collections, billing, what was owed at the period's end (by currency, and by due
day for the aging) and at the end of the period before. Each is one statement here,
written as a person would against this schema's indexes, with the same rows and columns
the report folds: what Clerk adds over them is the statement building, the folding and the
message. (One UNION ALL of them all ran slower on SQLite than the parts one by one.)
``figures`` folds the floor's rows into the report's headline numbers, so a test can check
that the floor selects what the job does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.reports.kpis import PeriodKind, ended_before

FIRM_ZONE = ZoneInfo("America/New_York")  # the bench firm's (bot.tools.bench.digests)
CURRENCY = "USD"

_PAID_SINCE = """(
    SELECT a.invoice_id, SUM(a.amount_cents) AS cents FROM payment_allocations a
    WHERE a.payment_id IN (
        SELECT p.id FROM payments p WHERE p.status = 'received' AND p.received_on > :{at})
    GROUP BY a.invoice_id)"""
# What was owed at the end of a day: owed now plus paid since, in two disjoint parts.
_OWED_AT = """(
    SELECT i.currency, i.due_on, i.amount_cents - i.paid_cents + COALESCE(s.cents, 0) AS owed
    FROM invoices i LEFT JOIN {since} s ON s.invoice_id = i.id
    WHERE i.status = 'open' AND i.amount_cents > i.paid_cents AND i.issued_on <= :{at}
    UNION ALL
    SELECT i.currency, i.due_on, i.amount_cents - i.paid_cents + s.cents AS owed
    FROM {since} s JOIN invoices i ON i.id = s.invoice_id
    WHERE i.status = 'open' AND i.amount_cents <= i.paid_cents AND i.issued_on <= :{at}
      AND i.amount_cents - i.paid_cents + s.cents > 0) owed"""


def _owed_at(at: str) -> str:
    return _OWED_AT.format(since=_PAID_SINCE.format(at=at), at=at)


# One statement per KPI, as a hand-written report would run them; each row starts with its
# part's name so ``figures`` can fold them.
REPORT = (
    """SELECT 'contacts', u.slack_id, COUNT(c.id) FROM contacts c
    JOIN users u ON u.id = c.logged_by_id
    WHERE c.occurred_at >= :begin AND c.occurred_at < :finish GROUP BY u.slack_id""",
    """SELECT 'deadline', d.status, d.due_on, d.due_at, d.completed_at FROM deadlines d
    WHERE d.is_trigger = false AND d.status <> 'cancelled'
      AND d.due_on >= :start AND d.due_on <= :end""",
    """SELECT 'new_clients', NULL, COUNT(*) FROM clients
    WHERE created_at >= :begin AND created_at < :finish""",
    """SELECT 'new_matters', NULL, COUNT(*) FROM matters
    WHERE opened_on >= :start AND opened_on <= :end""",
    """SELECT 'collected', currency, SUM(amount_cents) FROM payments
    WHERE status = 'received' AND is_trust = false AND received_on >= :start
      AND received_on <= :end GROUP BY currency""",
    """SELECT 'billed', currency, SUM(amount_cents) FROM invoices
    WHERE status = 'open' AND issued_on >= :start AND issued_on <= :end GROUP BY currency""",
    f"""SELECT 'receivable', currency, SUM(owed) FROM {_owed_at("end")} GROUP BY currency""",
    f"""SELECT 'aging', due_on, SUM(owed) FROM {_owed_at("end")}
    WHERE currency = :currency GROUP BY due_on""",
    f"""SELECT 'aging_before', due_on, SUM(owed) FROM {_owed_at("prev_end")}
    WHERE currency = :currency GROUP BY due_on""",
)


PARTS = frozenset(
    {
        "contacts",
        "deadline",
        "new_clients",
        "new_matters",
        "collected",
        "billed",
        "receivable",
        "aging",
        "aging_before",
    }
)


def report_params(kind: PeriodKind) -> Any:
    """The floor's parameters for the report of ``kind`` that runs on a given day."""

    def params(day: date) -> dict[str, Any]:
        period = ended_before(kind, day)
        begin, finish = period.bounds(FIRM_ZONE)
        return {
            "start": period.start,
            "end": period.end,
            "prev_end": period.previous().end,
            "begin": begin,
            "finish": finish,
            "currency": CURRENCY,
        }

    return params


def figures(rows: Iterable[tuple[Any, ...]]) -> dict[str, int]:
    """The report's headline numbers from the floor's rows (for the fairness test)."""
    found: dict[str, int] = defaultdict(int)
    for row in rows:
        part = row[0]
        if part not in PARTS:
            continue  # a row of another floor run with this one (the client analysis)
        if part == "deadline":
            found["deadlines"] += 1
        elif part in ("collected", "billed", "receivable") and row[1] != CURRENCY:
            continue
        else:
            found[part] += int(row[2] or 0)
    return dict(found)
