"""``/clerk report week|month`` and the report's Block Kit view, shared with the scheduled job
(``/clerk report year``, the last twelve months by month, is ``handlers.reports.year_report``).

The command answers the asker alone (an ephemeral reply: the report carries money figures)
with the same blocks the reports channel gets for the period that just ended, and sends the
chart to the asker's DM, since an ephemeral reply cannot carry a file. Admins, partners and
billing may run it (``Capability.VIEW_REPORTS``); anyone else is refused before anything is
read or written.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.billing.receivables import money
from bot.clerk import Clerk
from bot.dates.format import format_day, format_short
from bot.errors import InvalidInput
from bot.permissions import Capability
from bot.reports.charts import report_chart
from bot.reports.kpis import Kpis, PeriodKind, compute, ended_before
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply
from handlers.reports.client_report import run_clients
from handlers.reports.dm_chart import send_chart
from handlers.reports.year_report import run_year

USAGE = "Usage: /clerk report week|month|year|clients"
MAX_LAWYER_LINES = 25


def _signed(cents: int, currency: str) -> str:
    if cents == 0:
        return "no change"
    arrow = "▲ up" if cents > 0 else "▼ down"
    return f"{arrow} {money(abs(cents), currency, currency)}"


def report_message(kpis: Kpis) -> blocks.Message:
    """The report: headline figures, contacts per lawyer and aging, at most a dozen blocks."""
    cur = kpis.currency
    title = f"{'Weekly' if kpis.period.kind == 'week' else 'Monthly'} report: {kpis.period.label}"
    due = kpis.deadlines_on_time + kpis.deadlines_missed
    dso = "n/a (nothing billed)" if kpis.dso_days is None else f"{kpis.dso_days} days"
    lawyers = [
        f"• {blocks.mention(row.slack_id)}: {row.contacts}"
        for row in kpis.contacts_by_lawyer[:MAX_LAWYER_LINES]
    ]
    if len(kpis.contacts_by_lawyer) > MAX_LAWYER_LINES:
        lawyers.append(f"…and {len(kpis.contacts_by_lawyer) - MAX_LAWYER_LINES} more")
    notes = [f"{format_short(kpis.period.start)} – {format_day(kpis.period.end)}, firm time."]
    if kpis.other_currencies:
        notes.append(f"Money in {', '.join(kpis.other_currencies)} is not included.")
    return blocks.message(
        f"{title}: {kpis.contacts_total} contacts, {kpis.deadlines_on_time}/{due} deadlines "
        f"on time, {money(kpis.collected_cents, cur, cur)} collected",
        blocks.header(title),
        blocks.fields(
            [
                ("Contacts logged", str(kpis.contacts_total)),
                ("Deadlines", f"{kpis.deadlines_on_time} on time · {kpis.deadlines_missed} missed"),
                ("New clients", str(kpis.new_clients)),
                ("New matters", str(kpis.new_matters)),
                ("Collected", money(kpis.collected_cents, cur, cur)),
                ("Written off", _written_off(kpis)),
                ("DSO", dso),
                (
                    "Overdue at period end",
                    f"{money(kpis.overdue_cents, cur, cur)} "
                    f"({_signed(kpis.overdue_change_cents, cur)} on the period before)",
                ),
            ]
        ),
        blocks.section(
            "*Contacts per person*\n" + ("\n".join(lawyers) if lawyers else "_None logged._")
        ),
        blocks.section(
            "*Aging at period end*\n"
            + "  ·  ".join(f"{label}: {money(cents, cur, cur)}" for label, cents in kpis.aging)
        ),
        blocks.context(*notes),
    )


def _written_off(kpis: Kpis) -> str:
    count = kpis.written_off_count
    if not count:
        return "none"
    invoices = f"{count} invoice{'s' if count != 1 else ''}"
    return f"{money(kpis.written_off_cents, kpis.currency, kpis.currency)} ({invoices})"


def chart_numbers(kpis: Kpis) -> dict[str, Any]:
    """What the chart is drawn from, as JSON the outbox row can hold."""
    kind = kpis.period.kind
    return {
        "title": f"{'Weekly' if kind == 'week' else 'Monthly'} report: {kpis.period.label}",
        "filename": f"report-{kind}-{kpis.period.key}.png",
        "currency": kpis.currency,
        "aging": [[label, cents] for label, cents in kpis.aging],
        "on_time": kpis.deadlines_on_time,
        "missed": kpis.deadlines_missed,
    }


def render_chart(numbers: dict[str, Any]) -> bytes:
    return report_chart(
        title=str(numbers["title"]),
        aging=[(str(label), int(cents)) for label, cents in numbers["aging"]],
        currency=str(numbers["currency"]),
        on_time=int(numbers["on_time"]),
        missed=int(numbers["missed"]),
    )


def run_report(request: CommandRequest) -> Reply:
    words = request.words
    if len(words) == 2 and words[1].lower() == "clients":  # its own, narrower permission
        return run_clients(request)
    request.actor.require(Capability.VIEW_REPORTS)
    if len(words) == 2 and words[1].lower() == "year":
        return run_year(request)
    if len(words) != 2 or words[1].lower() not in ("week", "month"):
        raise InvalidInput(USAGE, usage="e.g. /clerk report week")
    kind: PeriodKind = "week" if words[1].lower() == "week" else "month"
    clerk = request.clerk
    today = clerk.today()
    with clerk.db.reading() as session:
        kpis = compute(
            session,
            ended_before(kind, today),
            zone=clerk.settings.tz,
            currency=clerk.settings.currency,
        )
    reply = report_message(kpis)
    reply.blocks.append(blocks.context(_send_chart(request, chart_numbers(kpis))))
    return reply


def _send_chart(request: CommandRequest, numbers: dict[str, Any]) -> str:
    return send_chart(
        request,
        content=render_chart(numbers),
        filename=numbers["filename"],
        title=numbers["title"],
    )


def register(app: App, clerk: Clerk) -> None:
    clerk.admin_subcommands["report"] = run_report
