"""Key clients out of touch, as items of the morning briefing (``handlers.briefing.job``).

Once a week (the briefing that speaks for a Monday) the responsible lawyer of each active
key client that nobody has contacted within its cadence (the client's own, else the firm
default) finds it in their briefing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.clients import morning as queries


class KeyClientItem(NamedTuple):
    """What one key client's line in a briefing states."""

    client_id: int
    client_code: str
    client_name: str
    days_since: int | None  # days since the last contact as the briefing is read; None: never
    cadence_days: int

    @classmethod
    def from_queued(cls, facts: Any) -> KeyClientItem:
        return cls(*facts)


def speaks_for_a_monday(since: date, until: date) -> bool:
    """Whether the days from ``since`` to ``until`` hold a Monday: the cadence is weekly."""
    return (until - since).days >= 6 or any(
        (since + timedelta(days=n)).weekday() == 0 for n in range((until - since).days + 1)
    )


def plan(
    clerk: Clerk, session: Session, *, since: date, until: date, said_on: date
) -> list[tuple[str, KeyClientItem]]:
    """(whom, what) for each key client past its cadence, on the briefing of its week."""
    if not speaks_for_a_monday(since, until):
        return []
    default = int(clerk.firm.get("key_client_cadence_days", session))
    zone = clerk.settings.tz
    found: list[tuple[str, KeyClientItem]] = []
    for row in queries.key_clients(session):
        cadence = row.cadence_days or default
        last = row.last_contact_at
        days = (said_on - last.astimezone(zone).date()).days if last is not None else None
        if days is not None and days <= cadence:
            continue
        found.append(
            (row.lawyer_slack_id, KeyClientItem(row.client_id, row.code, row.name, days, cadence))
        )
    return found
