"""The floor of the client analysis (``bot.reports.clients``): each of its parts as plain SQL.

Per-client aggregates (open matters, billed, collected, overdue, satisfaction) in a WITH
clause, joined to the clients and grouped by industry, by size, and by the practice areas of
their matters; the top ten by fees collected; key clients' last contact; new clients by
referral source. What a person would write against this schema; Clerk's time over it is the
statement building and the folding.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from bot.reports.clients import NOT_SET, WINDOW_DAYS
from bot.tools.bench.report_floors import CURRENCY, FIRM_ZONE

_PER_CLIENT = """
WITH m AS (SELECT client_id, COUNT(*) AS v FROM matters WHERE status = 'open'
           GROUP BY client_id),
     b AS (SELECT client_id, SUM(amount_cents) AS v FROM invoices
           WHERE status <> 'void' AND currency = :currency
             AND issued_on >= :a_start AND issued_on <= :a_end GROUP BY client_id),
     p AS (SELECT client_id, SUM(amount_cents) AS v FROM payments
           WHERE status = 'received' AND is_trust = false AND currency = :currency
             AND received_on >= :a_start AND received_on <= :a_end GROUP BY client_id),
     o AS (SELECT client_id, SUM(amount_cents - paid_cents) AS v FROM invoices
           WHERE status = 'open' AND currency = :currency AND amount_cents > paid_cents
             AND due_on < :a_today GROUP BY client_id),
     s AS (SELECT client_id, SUM(satisfaction) AS t, COUNT(satisfaction) AS n FROM matters
           WHERE satisfaction IS NOT NULL AND closed_on >= :a_start AND closed_on <= :a_end
           GROUP BY client_id)
SELECT {segment} AS seg,
       SUM(CASE WHEN c.status <> 'former' THEN 1 ELSE 0 END),
       COALESCE(SUM(m.v), 0), COALESCE(SUM(b.v), 0), COALESCE(SUM(p.v), 0),
       COALESCE(SUM(o.v), 0), SUM(s.t), SUM(s.n),
       SUM(CASE WHEN c.created_at >= :a_begin AND c.created_at < :a_finish THEN 1 ELSE 0 END)
FROM {source}
LEFT JOIN m ON m.client_id = c.id LEFT JOIN b ON b.client_id = c.id
LEFT JOIN p ON p.client_id = c.id LEFT JOIN o ON o.client_id = c.id
LEFT JOIN s ON s.client_id = c.id
GROUP BY seg
"""
_NOT_SET = f"'{NOT_SET}'"


def _segment(column: str) -> str:
    return f"COALESCE(NULLIF(TRIM({column}), ''), {_NOT_SET})"


CLIENT_ANALYSIS = (
    _PER_CLIENT.format(segment=_segment("c.industry"), source="clients c"),
    _PER_CLIENT.format(segment=_segment("c.size"), source="clients c"),
    _PER_CLIENT.format(
        segment="x.area",
        source=(
            f"(SELECT DISTINCT client_id, {_segment('practice_area')} AS area FROM matters) x "
            "JOIN clients c ON c.id = x.client_id"
        ),
    ),
    """SELECT c.code, c.name, SUM(p.amount_cents) AS v FROM payments p
    JOIN clients c ON c.id = p.client_id
    WHERE p.status = 'received' AND p.is_trust = false AND p.currency = :currency
      AND p.received_on >= :a_start AND p.received_on <= :a_end
    GROUP BY c.id, c.code, c.name ORDER BY v DESC, c.code LIMIT 10""",
    """SELECT c.code, c.name, (SELECT MAX(t.occurred_at) FROM contacts t
    WHERE t.client_id = c.id) FROM clients c
    WHERE c.is_key = true AND c.status <> 'former'""",
    f"""SELECT {_segment("referral_source")} AS src, COUNT(*) FROM clients
    WHERE created_at >= :a_begin AND created_at < :a_finish GROUP BY src""",
    """SELECT currency FROM invoices WHERE currency <> :currency AND status <> 'void'
      AND issued_on >= :a_start AND issued_on <= :a_end
    UNION SELECT currency FROM invoices WHERE currency <> :currency AND status = 'open'
      AND amount_cents > paid_cents
    UNION SELECT currency FROM payments WHERE currency <> :currency AND status = 'received'
      AND is_trust = false AND received_on >= :a_start AND received_on <= :a_end""",
)


def client_params(today: date) -> dict[str, Any]:
    """The window of the analysis run on ``today``: the 365 days ending that day (named
    ``a_…``, apart from the monthly report's period it is run with)."""
    start = today - timedelta(days=WINDOW_DAYS - 1)
    return {
        "a_today": today,
        "a_start": start,
        "a_end": today,
        "a_begin": datetime.combine(start, time(0), tzinfo=FIRM_ZONE),
        "a_finish": datetime.combine(today + timedelta(days=1), time(0), tzinfo=FIRM_ZONE),
        "currency": CURRENCY,
    }
