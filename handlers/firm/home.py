"""The App Home tab, published whenever a member opens it: their deadlines (missed and the
next 14 days), their follow-ups due, and, if their role lets them see money, their own
clients' overdue balances."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.clients.contacts import follow_ups_due_for
from bot.clients.matters import matter_codes
from bot.deadlines.service import open_deadlines_for
from bot.permissions import Capability
from handlers.firm.home_views import HomeOverdue, home_view

HORIZON_DAYS = 14
MISSED_LOOKBACK_DAYS = 90  # a missed deadline older than this belongs in /deadline list
MAX_FOLLOW_UPS = 40


def build_home(clerk: Clerk, slack_id: str) -> dict[str, Any]:
    actor = clerk.directory.actor(slack_id)
    zone = clerk.settings.tz
    now = clerk.now()
    today = now.astimezone(zone).date()
    with clerk.db.reading() as session:
        deadlines = open_deadlines_for(
            session,
            user_id=actor.user_id,
            start=today - timedelta(days=MISSED_LOOKBACK_DAYS),
            end=today + timedelta(days=HORIZON_DAYS),
        )
        codes = matter_codes(session, {d.matter_id for d in deadlines})
        follow_ups = follow_ups_due_for(
            session, user_id=actor.user_id, today=today, limit=MAX_FOLLOW_UPS
        )
        overdue = None
        if actor.can(Capability.VIEW_OWN_BALANCES):  # billing staff have /balance overdue
            overdue = _own_overdue(clerk, session, actor.user_id, today)
    return home_view(
        today=today,
        now=now,
        zone=zone,
        deadlines=deadlines,
        matter_codes=codes,
        follow_ups=follow_ups,
        overdue=overdue,
        horizon_days=HORIZON_DAYS,
    )


def _own_overdue(
    clerk: Clerk, session: Session, user_id: int, today: date
) -> list[HomeOverdue] | None:
    """The viewer's own clients with money past due, worst first, formatted for the tab."""
    try:
        from bot.billing.receivables import money, overdue_accounts
    except ImportError:
        return None  # a Clerk without the money services shows no balances
    return [
        HomeOverdue(
            client_code=a.client_code,
            client_name=a.client_name,
            days_overdue=a.oldest_days_overdue or 0,
            amount=money(a.overdue_cents, a.currency, clerk.settings.currency),
        )
        for a in overdue_accounts(session, as_of=today, lawyer_id=user_id)
    ]


def register(app: App, clerk: Clerk) -> None:
    @app.event("app_home_opened")
    def opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=build_home(clerk, event["user"]))
