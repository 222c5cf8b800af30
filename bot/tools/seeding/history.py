"""Years of history, streamed to the writer: contacts and deadlines.

Deadlines cluster the way a docket does: about a third fall on the last working days of a
month (filings, reports, closings), a fifth are timed hearings, and some come in rule chains
(a trigger such as service of the complaint with the deadlines computed from it). Old
deadlines are done or cancelled; a few recent ones were missed and are still open.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from bot.tools.seeding.context import ClientRef, MatterRef, Person, SeedContext, WeightedPicker
from bot.tools.seeding.shape import FUTURE_DAYS
from bot.tools.seeding.words import CONTACT_SUMMARIES, DEADLINE_TITLES, RULE_CHAINS
from storage.models import ContactKind, DeadlineStatus, Role

CONTACT_KINDS = (ContactKind.CALL, ContactKind.EMAIL, ContactKind.MEETING, ContactKind.LETTER)
MONTH_END_SHARE = 0.35
TIMED_SHARE = 0.2
CHAIN_SHARE = 0.08
MISSED_WINDOW_DAYS = 14  # recent deadlines a firm has not closed yet


def seed_contacts(ctx: SeedContext) -> None:
    rng = ctx.rng
    loggers = ctx.with_role(Role.LAWYER, Role.PARTNER, Role.STAFF)
    per_client = WeightedPicker(rng, [c.weight for c in ctx.clients]).counts(
        ctx.shape.contact_count
    )
    for index, client in enumerate(ctx.clients):
        count = per_client[index]
        for n in range(count):
            if n == 0 and client.is_key and rng.random() < 0.85:
                day = ctx.today - timedelta(days=rng.randint(0, 25))  # key clients are tended
            else:
                day = ctx.day_between(ctx.history_start, client.active_until)
            _contact(ctx, client, ctx.working_day_near(day), loggers)


def _contact(ctx: SeedContext, client: ClientRef, day: date, loggers: list[Person]) -> None:
    rng = ctx.rng
    follow_up = done_at = None
    if rng.random() < 0.2:
        follow_up = day + timedelta(days=rng.randint(2, 30))
        age = (ctx.today - follow_up).days
        if (age > 7 and rng.random() < 0.995) or (0 < age <= 7 and rng.random() < 0.6):
            done_at = ctx.at(follow_up, 16)
    if client.lawyer_id is not None and rng.random() < 0.6:
        logged_by = client.lawyer_id
    else:
        logged_by = rng.choice(loggers).id
    matter = rng.choice(client.matters) if client.matters and rng.random() < 0.5 else None
    occurred = ctx.at(day, rng.randint(8, 17), rng.choice((0, 15, 30, 45)))
    ctx.writer.add(
        "contacts",
        {
            "id": ctx.writer.new_id("contacts"),
            "client_id": client.id,
            "matter_id": matter.id if matter else None,
            "kind": rng.choice(CONTACT_KINDS),
            "summary": rng.choice(CONTACT_SUMMARIES),
            "occurred_at": occurred,
            "follow_up_on": follow_up,
            "follow_up_done_at": done_at,
            "logged_by_id": logged_by,
            "permalink": None,
            "source_key": None,
            "created_at": occurred,
        },
    )


def _month_end(ctx: SeedContext, day: date) -> date:
    """One of the last three working days of ``day``'s month."""
    last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    working = [d for d in (last - timedelta(days=i) for i in range(7)) if d.weekday() < 5][:3]
    return ctx.rng.choice(working)


def _due_day(ctx: SeedContext, future: bool) -> date:
    rng = ctx.rng
    if future:
        # Denser in the coming weeks than a year out, as a docket is.
        ahead = int(min(FUTURE_DAYS, rng.expovariate(1 / 120)))
        day = ctx.today + timedelta(days=ahead)
    else:
        day = ctx.day_between(ctx.history_start, ctx.today - timedelta(days=1))
    if rng.random() < MONTH_END_SHARE:
        day = _month_end(ctx, day)
    return ctx.working_day_near(day)


def _status(ctx: SeedContext, due: date) -> DeadlineStatus:
    rng = ctx.rng
    age = (ctx.today - due).days
    if age > MISSED_WINDOW_DAYS:
        return DeadlineStatus.CANCELLED if rng.random() < 0.04 else DeadlineStatus.DONE
    if age > 0:
        return DeadlineStatus.OPEN if rng.random() < 0.1 else DeadlineStatus.DONE
    return DeadlineStatus.DONE if rng.random() < 0.02 else DeadlineStatus.OPEN


def seed_deadlines(ctx: SeedContext) -> None:
    rng = ctx.rng
    open_matters = [m for m in ctx.matters if m.closed_on is None]
    future_pick = WeightedPicker(rng, [ctx.clients[m.client_index].weight for m in open_matters])
    any_pick = WeightedPicker(rng, [ctx.clients[m.client_index].weight for m in ctx.matters])
    for future, count in ((False, ctx.shape.past_deadlines), (True, ctx.shape.future_deadlines)):
        _deadlines(ctx, count, future, (open_matters, future_pick), (ctx.matters, any_pick))


def _deadlines(
    ctx: SeedContext,
    count: int,
    future: bool,
    open_pool: tuple[list[MatterRef], WeightedPicker],
    any_pool: tuple[list[MatterRef], WeightedPicker],
) -> None:
    rng = ctx.rng
    assignees = ctx.with_role(Role.STAFF, Role.LAWYER)
    remaining = count
    while remaining > 0:
        due = _due_day(ctx, future)
        pool, picker = open_pool if due >= ctx.today else any_pool
        if not pool:
            pool, picker = any_pool
        matter = pool[min(picker.pick(), len(pool) - 1)]
        assignee = rng.choice(assignees).id if assignees and rng.random() < 0.2 else None
        if remaining >= 3 and rng.random() < CHAIN_SHARE / 3:
            remaining -= _chain(ctx, matter, due, assignee)
        else:
            title = rng.choice(DEADLINE_TITLES)
            _deadline(ctx, matter, due, title, assignee=assignee)
            remaining -= 1


def _chain(ctx: SeedContext, matter: MatterRef, trigger_day: date, assignee: int | None) -> int:
    chain = ctx.rng.choice(RULE_CHAINS)
    (rule, title, _), *dependents = chain
    trigger_id = _deadline(ctx, matter, trigger_day, title, rule=rule, trigger=True)
    for offset, (dep_rule, dep_title, citation) in zip((21, 90), dependents, strict=False):
        due = ctx.working_day_near(trigger_day + timedelta(days=offset))
        _deadline(
            ctx,
            matter,
            due,
            dep_title,
            rule=dep_rule,
            trigger_id=trigger_id,
            citation=citation,
            assignee=assignee,
        )
    return 1 + len(dependents)


def _deadline(
    ctx: SeedContext,
    matter: MatterRef,
    due: date,
    title: str,
    *,
    rule: str | None = None,
    trigger: bool = False,
    trigger_id: int | None = None,
    citation: str | None = None,
    assignee: int | None = None,
) -> int:
    rng = ctx.rng
    status = _status(ctx, due)
    timed = not trigger and rng.random() < TIMED_SHARE
    due_at = ctx.at(due, rng.randint(9, 16), rng.choice((0, 30))) if timed else None
    completed_at = None
    if status is DeadlineStatus.DONE:
        completed_at = ctx.at(min(due, ctx.today) - timedelta(days=rng.randint(0, 5)), 15)
    created = ctx.at(due - timedelta(days=rng.randint(7, 120)), 10)
    deadline_id = ctx.writer.new_id("deadlines")
    ctx.writer.add(
        "deadlines",
        {
            "id": deadline_id,
            "matter_id": matter.id,
            "title": title,
            "due_on": due,
            "due_at": due_at,
            "status": status,
            "responsible_id": matter.lawyer_id,
            "assignee_id": assignee,
            "rule": rule,
            "is_trigger": trigger,
            "trigger_id": trigger_id,
            "computed_on": due if trigger_id else None,
            "by_mail": False,
            "citation": citation,
            "source_text": f"{title} on {due:%b %-d %Y}",
            "explanation": None,
            "reminders_snoozed_until": None,
            "completed_at": completed_at,
            "completed_by_id": matter.lawyer_id if completed_at else None,
            "cancel_reason": "vacated by the court" if status is DeadlineStatus.CANCELLED else None,
            "created_by_id": matter.lawyer_id,
            "created_at": created,
            "updated_at": created,
        },
    )
    return deadline_id
