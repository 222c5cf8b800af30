"""The App Home tab: the viewer's next 14 days of deadlines, follow-ups due, and (if they may
see money) their own clients' overdue balances. Refreshed whenever the tab is opened.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import select

from bot.clerk import Clerk
from bot.permissions import Capability
from bot.services.deadlines import open_deadlines_for
from handlers import blocks
from storage.models import Client, Contact, Matter

HORIZON_DAYS = 14


def home_view(clerk: Clerk, slack_id: str) -> dict[str, Any]:
    actor = clerk.directory.actor(slack_id)
    zone = clerk.settings.tz
    today = clerk.now().astimezone(zone).date()
    body: list[blocks.Block_] = [blocks.header("Clerk: your next two weeks")]
    with clerk.db.reading() as session:
        deadlines = open_deadlines_for(
            session,
            user_id=actor.user_id,
            start=today - timedelta(days=30),
            end=today + timedelta(days=HORIZON_DAYS),
        )
        codes = dict(
            session.execute(
                select(Matter.id, Matter.code).where(
                    Matter.id.in_({d.matter_id for d in deadlines})
                )
            )
        )
        follow_ups = session.execute(
            select(Contact, Client.code)
            .join(Client, Client.id == Contact.client_id)
            .where(
                Contact.logged_by_id == actor.user_id,
                Contact.follow_up_on <= today,
                Contact.follow_up_done_at.is_(None),
            )
            .order_by(Contact.follow_up_on)
            .limit(20)
        ).all()
        overdue = []
        if actor.can(Capability.VIEW_OWN_BALANCES) or actor.can(Capability.VIEW_ALL_BALANCES):
            from bot.services.receivables import overdue_accounts

            overdue = overdue_accounts(session, as_of=today, lawyer_id=actor.user_id)
    lines = []
    for d in deadlines[:40]:
        flag = " :red_circle: *missed*" if d.due_on < today else ""
        when = f" {d.due_at.astimezone(zone):%-I:%M %p}" if d.due_at else ""
        lines.append(
            f"• {d.due_on:%a %-d %b}{when} · *{codes.get(d.matter_id, '?')}* "
            f"{blocks.escape(d.title)}{flag}"
        )
    body.append(
        blocks.section("*Deadlines*\n" + ("\n".join(lines) or "_Nothing due in the next 14 days._"))
    )
    fl = [
        f"• {c.follow_up_on:%a %-d %b} · *{code}* {blocks.truncate(blocks.escape(c.summary), 120)}"
        for c, code in follow_ups
    ]
    body.append(blocks.section("*Follow-ups due*\n" + ("\n".join(fl) or "_None._")))
    if overdue:
        ol = [
            f"• *{a.client_code}* {blocks.escape(a.client_name)} · {a.oldest_days_overdue} days"
            for a in overdue[:20]
        ]
        body.append(blocks.section("*Your clients' overdue accounts*\n" + "\n".join(ol)))
    body.append(
        blocks.context(
            f"Updated {clerk.now().astimezone(zone):%a %-d %b %H:%M}. Only you see this tab."
        )
    )
    return {"type": "home", "blocks": body}


def register(app: App, clerk: Clerk) -> None:
    @app.event("app_home_opened")
    def opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=home_view(clerk, event["user"]))
