"""What Clerk says on its own each morning, built as messages before anything is queued.

Every job is a pure *build* (what would be sent for a given day) plus a shared *enqueue*, so
``clerk digest --dry-run`` prints exactly what the scheduler would send, and a re-run of a job
queues nothing new (each message has a deterministic outbox key).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from bot.clerk import Clerk
from handlers import blocks
from schedules.outbox import enqueue
from storage.models import (
    Client,
    ClientStatus,
    Contact,
    Deadline,
    DeadlineStatus,
    Matter,
    User,
)


@dataclass(frozen=True)
class Planned:
    key: str
    target: str  # channel id, or a user id for a DM
    kind: str
    message: blocks.Message


Builder = Callable[[Clerk, Session, date], list[Planned]]


def is_working_day(clerk: Clerk, day: date) -> bool:
    return clerk.court_calendar().is_court_day(day)


def _when(d: Deadline, zone: Any) -> str:
    return f" · {d.due_at.astimezone(zone):%-I:%M %p}" if d.due_at else ""


def _open_deadlines(session: Session, start: date | None, end: date) -> list[Any]:
    """Open, non-trigger deadlines due up to ``end`` with matter code and people, one query."""
    responsible = aliased(User)
    assignee = aliased(User)
    query = (
        select(Deadline, Matter.code, responsible.slack_id, assignee.slack_id)
        .join(Matter, Matter.id == Deadline.matter_id)
        .outerjoin(responsible, responsible.id == Deadline.responsible_id)
        .outerjoin(assignee, assignee.id == Deadline.assignee_id)
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.is_trigger.is_(False),
            Deadline.due_on <= end,
        )
        .order_by(Deadline.due_on, Deadline.due_at, Deadline.id)
    )
    if start is not None:
        query = query.where(Deadline.due_on >= start)
    return list(session.execute(query))


def digest(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    """Missed, due today and the next 7 days (Fridays look through Monday)."""
    channel = clerk.firm.get("deadlines_channel")
    if not channel or not is_working_day(clerk, day):
        return []
    horizon = day + timedelta(days=7)
    if day.weekday() == 4:
        horizon += timedelta(days=3)
    zone = clerk.settings.tz
    sections: dict[str, list[str]] = defaultdict(list)
    for d, code, lawyer, _assignee in _open_deadlines(session, None, horizon):
        line = f"• *{code}* {blocks.escape(d.title)}{_when(d, zone)} — {blocks.mention(lawyer)}"
        if d.citation:
            line += f" _({d.citation})_"
        if d.due_on < day:
            sections["Missed"].append(line + f" — was due {d.due_on:%a %-d %b}")
        elif d.due_on == day:
            sections["Due today"].append(line)
        else:
            sections[f"{d.due_on:%a %-d %b}"].append(line)
    if not sections and not clerk.firm.get("post_empty_digests"):
        return []
    body: list[blocks.Block_] = []
    for title, lines in sections.items():
        body.append(blocks.section(f"*{title}*\n" + "\n".join(lines)))
    if not body:
        body = [blocks.section("Nothing due in the next 7 days.")]
    pages = blocks.paginate(f"Deadlines — {day:%a %-d %b %Y}", body)
    return [
        Planned(f"digest:{day}:{channel}:{i}", channel, "deadline_digest", page)
        for i, page in enumerate(pages)
    ]


def reminder_buttons(deadline_id: int) -> blocks.Block_:
    value = str(deadline_id)
    return blocks.actions(
        blocks.button("Mark done", "reminder_done", value, style="primary"),
        blocks.button("Snooze reminder 1 day", "reminder_snooze", value),
        blocks.button("Reassign", "reminder_reassign", value),
    )


def reminder_message(d: Deadline, code: str, days_before: int, zone: Any) -> blocks.Message:
    when = "today" if days_before == 0 else f"in {days_before} day{'s' * (days_before != 1)}"
    text = f"Reminder: {code} {d.title} is due {when} ({d.due_on:%a %-d %b %Y})"
    detail = f"`#{d.id}` · {d.due_on:%a %-d %b %Y}{_when(d, zone)}"
    if d.citation:
        detail += f" · {d.citation}"
    return blocks.message(
        text,
        blocks.section(f":alarm_clock: *{code}* {blocks.escape(d.title)} is due *{when}*"),
        blocks.context(detail),
        reminder_buttons(d.id),
    )


def reminders(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    steps = sorted({int(s) for s in clerk.firm.get("reminder_days")})
    days = {day + timedelta(days=s): s for s in steps}
    now = clerk.now()
    planned = []
    for d, code, lawyer, assignee in _open_deadlines(session, day, max(days)):
        step = days.get(d.due_on)
        snoozed = d.reminders_snoozed_until
        if snoozed and snoozed.astimezone(clerk.settings.tz).date() == day:
            step = (d.due_on - day).days  # a snooze ends today: remind again, once
            key_step = f"snooze{snoozed:%Y%m%d}"
        elif step is None or (snoozed and snoozed > now):
            continue
        else:
            key_step = str(step)
        for person in dict.fromkeys(p for p in (lawyer, assignee) if p):
            planned.append(
                Planned(
                    f"reminder:{d.id}:{key_step}:{d.due_on}:{person}",
                    person,
                    "deadline_reminder",
                    reminder_message(d, code, step, clerk.settings.tz),
                )
            )
    return planned


def follow_ups(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    rows = session.execute(
        select(Contact, Client.code, User.slack_id)
        .join(Client, Client.id == Contact.client_id)
        .join(User, User.id == Contact.logged_by_id)
        .where(Contact.follow_up_on <= day, Contact.follow_up_done_at.is_(None))
        .order_by(Contact.follow_up_on, Contact.id)
    )
    planned = []
    for contact, code, who in rows:
        text = f"Follow up with {code}: {contact.summary}"
        message = blocks.message(
            blocks.truncate(text, 300),
            blocks.section(
                f":calendar: Follow up with *{code}* (due {contact.follow_up_on:%a %-d %b}):\n"
                + blocks.truncate(blocks.escape(contact.summary), 1500)
            ),
            blocks.context(f"Log it with `/contact {code} call …` when done."),
        )
        planned.append(
            Planned(f"followup:{contact.id}:{contact.follow_up_on}", who, "follow_up", message)
        )
    return planned


def cadence(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    """Mondays: key clients nobody has contacted within their cadence."""
    if day.weekday() != 0:
        return []
    default = int(clerk.firm.get("key_client_cadence_days"))
    last = (
        select(Contact.client_id, func.max(Contact.occurred_at).label("last"))
        .group_by(Contact.client_id)
        .subquery()
    )
    rows = session.execute(
        select(Client, User.slack_id, last.c.last)
        .join(User, User.id == Client.lawyer_id)
        .outerjoin(last, last.c.client_id == Client.id)
        .where(Client.is_key.is_(True), Client.status == ClientStatus.ACTIVE)
    )
    week = day.isocalendar()
    planned = []
    for client, lawyer, last_at in rows:
        limit = client.cadence_days or default
        since = (day - last_at.astimezone(clerk.settings.tz).date()).days if last_at else None
        if since is not None and since <= limit:
            continue
        said = f"{since} days ago" if since is not None else "never"
        message = blocks.message(
            f"Key client {client.code} was last contacted {said}",
            blocks.section(
                f":star: Key client *{client.code}* {blocks.escape(client.name)} was last "
                f"contacted *{said}* (cadence: every {limit} days)."
            ),
        )
        planned.append(
            Planned(f"cadence:{client.id}:{week.year}-W{week.week}", lawyer, "key_client", message)
        )
    return planned


def overdue(clerk: Clerk, session: Session, day: date) -> list[Planned]:
    """Overdue accounts to the billing channel only; stage changes DM'd to the lawyer.

    Stages are synced first (each change recorded as an escalation event), so the post and
    the DMs agree with ``/balance``.
    """
    from bot.services.escalation import sync_escalation_stages
    from bot.services.receivables import overdue_accounts, thresholds_in
    from handlers.views.money import stage_change_payload
    from handlers.views.money_overdue import account_block, overdue_buttons

    if not is_working_day(clerk, day):
        return []
    home = clerk.settings.currency
    planned = []
    changes = sync_escalation_stages(session, as_of=day, thresholds=thresholds_in(session))
    for change in changes:
        if change.lawyer_slack_id:
            payload = stage_change_payload(change)
            message = blocks.Message(text=str(payload["text"]), blocks=list(payload["blocks"]))  # type: ignore[arg-type]
            planned.append(
                Planned(
                    f"stage:{change.client_id}:{change.event_id}",
                    change.lawyer_slack_id,
                    "stage_change",
                    message,
                )
            )
    channel = clerk.firm.get("billing_channel")
    accounts = overdue_accounts(session, as_of=day)
    if not channel or not accounts:
        return planned
    rows: list[blocks.Block_] = []
    for account in accounts:
        rows += [account_block(account, home), overdue_buttons(account.client_id)]
    pages = blocks.paginate(f"Overdue accounts — {day:%a %-d %b %Y}", rows, per_page=44)
    planned += [
        Planned(f"overdue:{day}:{channel}:{i}", channel, "overdue_accounts", page)
        for i, page in enumerate(pages)
    ]
    return planned


MORNING: dict[str, Builder] = {
    "deadline_digest": digest,
    "reminders": reminders,
    "follow_ups": follow_ups,
    "key_clients": cadence,
}
BILLING: dict[str, Builder] = {"overdue_accounts": overdue}


def run_builders(
    clerk: Clerk, builders: dict[str, Builder], day: date, *, queue: bool
) -> list[Planned]:
    planned: list[Planned] = []
    with clerk.db.unit_of_work("system") as session:
        for build in builders.values():
            planned.extend(build(clerk, session, day))
        if queue:
            for item in planned:
                enqueue(
                    session,
                    key=item.key,
                    target=item.target,
                    kind=item.kind,
                    payload=item.message.payload(),
                )
        else:
            session.rollback()
    return planned


def at_time(day: date, hhmm: str, zone: Any) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone)
