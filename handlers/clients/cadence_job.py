"""Key-client cadence (Mondays): a DM to the responsible lawyer for each active key client
nobody has contacted within its cadence (the client's own, else the firm default)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.clients import morning as queries
from handlers.deadlines.digest_views import cadence_message
from schedules.jobs import Planned


def build(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    if day.weekday() != 0:
        return []
    default = int(clerk.firm.get("key_client_cadence_days", session))
    zone = clerk.settings.tz
    year, week, _ = day.isocalendar()
    planned = []
    for row in queries.key_clients(session):
        cadence = row.cadence_days or default
        last = row.last_contact_at
        since = (day - last.astimezone(zone).date()).days if last is not None else None
        if since is not None and since <= cadence:
            continue
        planned.append(
            Planned(
                f"cadence:{row.client_id}:{year}-W{week:02d}",
                row.lawyer_slack_id,
                "key_client",
                cadence_message(
                    client_code=row.code,
                    client_name=row.name,
                    days_since=since,
                    cadence_days=cadence,
                ),
            )
        )
    return planned
