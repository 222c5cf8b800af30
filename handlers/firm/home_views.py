"""The App Home tab: the viewer's next two weeks, follow-ups due, and (if they may see money)
their own clients' overdue balances. A pure function of already-loaded rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from bot.dates.format import format_short, format_short_stamp, format_time_12
from handlers.kernel import blocks

MAX_LINES = 40  # a section holds 3,000 characters; the Home tab is a glance, not a report


@dataclass(frozen=True)
class HomeOverdue:
    client_code: str
    client_name: str
    days_overdue: int
    amount: str


def _section(title: str, lines: Sequence[str], empty: str) -> blocks.Block_:
    shown = list(lines[:MAX_LINES])
    text = f"*{title}*\n" + ("\n".join(shown) if shown else f"_{empty}_")
    if len(lines) > len(shown):
        text += f"\n… and {len(lines) - len(shown)} more"
    return blocks.section(blocks.truncate(text, 2950))


def home_view(
    *,
    today: date,
    now: datetime,
    zone: tzinfo,
    deadlines: Sequence[Any],
    matter_codes: Mapping[int, str],
    follow_ups: Sequence[tuple[Any, str]],
    overdue: Sequence[HomeOverdue] | None,
    horizon_days: int,
) -> dict[str, Any]:
    """``deadlines`` are Deadline rows, ``follow_ups`` (Contact, client code) pairs;
    ``overdue`` is None when the viewer may not see balances."""
    lines = []
    for d in deadlines:
        flag = " · :red_circle: *missed*" if d.due_on < today else ""
        when = f" {format_time_12(d.due_at.astimezone(zone))}" if d.due_at else ""
        lines.append(
            f"• {format_short(d.due_on)}{when} · *{matter_codes.get(d.matter_id, '?')}* "
            f"{blocks.escape(blocks.truncate(d.title, 120))} `#{d.id}`{flag}"
        )
    follow = [
        f"• {format_short(c.follow_up_on)} · *{code}* "
        f"{blocks.escape(blocks.truncate(c.summary, 120))}"
        for c, code in follow_ups
    ]
    body: list[blocks.Block_] = [
        blocks.header("Your desk"),
        _section(
            f"Deadlines: missed and the next {horizon_days} days",
            lines,
            f"Nothing due in the next {horizon_days} days.",
        ),
        blocks.divider(),
        _section("Follow-ups due", follow, "No follow-ups due."),
    ]
    if overdue is not None:
        owed = [
            f"• *{a.client_code}* {blocks.escape(a.client_name)} · {a.amount} · "
            f"{a.days_overdue} days overdue"
            for a in overdue
        ]
        body += [
            blocks.divider(),
            _section("Your clients' overdue accounts", owed, "None of your clients owes."),
        ]
    body.append(
        blocks.context(
            f"Updated {format_short_stamp(now.astimezone(zone))} · only you see this tab · "
            "`/deadline list` and `/balance` have the details"
        )
    )
    blocks.validate(body, limit=100)
    return {"type": "home", "blocks": body}
