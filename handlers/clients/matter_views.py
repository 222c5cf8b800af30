"""What `/matter edit`, the matter card's money lines, `/matter close`'s after-care and the
budget alert DMs say (pure builders): one matter's alert, or one lawyer's several gathered
into one DM (``handlers.clients.budget_alerts``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.clients.budgets import BudgetAlert, BudgetFigures
from bot.clients.matter_edit import MatterEdit
from bot.dates.format import format_day
from bot.money import Money
from handlers.kernel import blocks

OUTBOX_KIND = "budget"
# Matters listed by name in a gathered alert (ten to a section, inside Slack's 3,000
# characters); the rest are counted.
GATHERED_SHOWN = 40
PER_SECTION = 10


def _money(cents: int, currency: str) -> str:
    return Money(cents, currency).format(currency)


def budget_pairs(figures: BudgetFigures) -> list[tuple[str, str]]:
    """Budget, billed to date with its share of the budget, and fees collected."""
    currency = figures.currency
    billed = _money(figures.billed_cents, currency)
    pairs = []
    if figures.budget_cents is not None:
        pairs.append(("Budget", _money(figures.budget_cents, currency)))
        mark = " :warning:" if (figures.percent or 0) >= 80 else ""
        billed += f" ({figures.percent}% of the budget){mark}"
    pairs.append(("Billed to date", billed))
    pairs.append(("Fees collected", _money(figures.collected_cents, currency)))
    return pairs


def edited(result: MatterEdit, *, alerted: bool = False) -> blocks.Message:
    """The receipt of `/matter edit`; ``alerted``: the change queued a budget alert."""
    field = result.field.replace("-", " ")
    before = result.before if result.field == "lawyer" else blocks.escape(result.before)
    after = result.after if result.field == "lawyer" else blocks.escape(result.after)
    reply = blocks.success(
        f"Updated *{result.code}*: {field} is now {after}.",
        f"It was {before}. The change is in the audit trail (`/clerk audit {result.code}`).",
    )
    if alerted:
        reply.blocks.append(
            blocks.context(
                "Billing on this matter has already passed 80% of its budget: its "
                "responsible lawyer gets a DM about it."
            )
        )
    return reply


def closed_extras(satisfaction: int | None, after_care_on: date | None) -> list[str]:
    """Lines added to `/matter close`'s receipt."""
    notes = []
    if satisfaction is not None:
        notes.append(f"Client satisfaction recorded: {satisfaction} of 5.")
    if after_care_on is not None:
        notes.append(
            f"It was the client's last open matter: an after-care follow-up is in the "
            f"responsible lawyer's briefing on {format_day(after_care_on)}."
        )
    return notes


def alert_message(alert: BudgetAlert) -> blocks.Message:
    """The DM to the responsible lawyer when billing crosses 80% or 100% of the budget."""
    f = alert.figures
    assert f.budget_cents is not None  # only matters with a budget are alerted
    budget = _money(f.budget_cents, f.currency)
    billed = _money(f.billed_cents, f.currency)
    code = alert.matter_code
    if alert.threshold >= 100:
        over = "is over" if f.billed_cents > f.budget_cents else "has reached"
        head = (
            f":red_circle: *{code}* {over} its budget: {billed} billed of {budget} ({f.percent}%)"
        )
    else:
        head = f":large_yellow_circle: *{code}* has used {f.percent}% of its budget"
    title = blocks.escape(blocks.truncate(alert.title, 120))
    text = (
        f"{head} · {alert.client_code} · {title}\n"
        f"Billed {billed} · collected {_money(f.collected_cents, f.currency)} · budget {budget}"
    )
    return blocks.message(
        f"{alert.matter_code}: {f.percent}% of its budget billed ({billed} of {budget})",
        blocks.section(text),
        blocks.context(
            "Agreed budgets are worth raising with the client before the next invoice. "
            f"`/matter {alert.matter_code}` shows the matter; `/matter edit "
            f"{alert.matter_code} budget AMOUNT` records a new one."
        ),
    )


def _alert_line(alert: BudgetAlert) -> str:
    f = alert.figures
    assert f.budget_cents is not None  # only matters with a budget are alerted
    dot = ":red_circle:" if alert.threshold >= 100 else ":large_yellow_circle:"
    title = blocks.escape(blocks.truncate(alert.title, 60))
    return (
        f"{dot} *{alert.matter_code}* · {alert.client_code} · {title}: "
        f"{_money(f.billed_cents, f.currency)} billed of {_money(f.budget_cents, f.currency)} "
        f"({f.percent}%)"
    )


def gathered_alert_message(alerts: Sequence[BudgetAlert]) -> blocks.Message:
    """One DM for a lawyer's several matters crossing a threshold at once (an import of
    matters, billing recorded outside Slack, a firm's first morning): the fullest first,
    each with its figures, rather than a DM per matter."""
    if len(alerts) == 1:
        return alert_message(alerts[0])
    ranked = sorted(alerts, key=lambda a: (-(a.figures.percent or 0), a.matter_code))
    over = sum(1 for a in alerts if a.threshold >= 100)
    head = f"{len(alerts)} of your matters have passed 80% of their budget"
    if over:
        head += f", {over} of them {'has' if over == 1 else 'have'} reached it"
    lines = [_alert_line(a) for a in ranked[:GATHERED_SHOWN]]
    sections = [
        blocks.section("\n".join(lines[i : i + PER_SECTION]))
        for i in range(0, len(lines), PER_SECTION)
    ]
    rest = len(ranked) - GATHERED_SHOWN
    notes = [
        "Agreed budgets are worth raising with the client before the next invoice. "
        "`/matter CODE` shows a matter; `/matter edit CODE budget AMOUNT` records a new budget."
    ]
    if rest > 0:
        notes.insert(0, f"…and {rest} more, each at 80% or more of its budget.")
    return blocks.message(
        head + ".",
        blocks.section(f"*{head}.*"),
        sections,
        blocks.context(*notes),
    )
