"""``/clerk report year``: the report's KPIs for the last twelve months, month by month.

Like ``/clerk report week|month`` (``handlers.reports.reports``): for who may run reports
(``Capability.VIEW_REPORTS``, refused before anything is read), answered to the asker alone
(it carries money figures), with the chart sent to the asker's DM, since an ephemeral reply
cannot carry a file. The figures are ``bot.reports.year``'s; each month's are its monthly
report's.
"""

from __future__ import annotations

from bot.billing.receivables import money
from bot.dates.format import format_day, format_month
from bot.permissions import Capability
from bot.reports.year import MonthKpis, YearKpis, compute_year
from bot.reports.year_chart import year_chart
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply
from handlers.reports.dm_chart import send_chart

# The month table's columns: (heading, width); a code block keeps them aligned.
COLUMNS = (
    ("Month", 8),
    ("Contacts", 8),
    ("Deadlines", 10),
    ("Clients", 7),
    ("Matters", 7),
    ("Collected", 14),
    ("Overdue", 14),
    ("DSO", 6),
)


def run_year(request: CommandRequest) -> Reply:
    """``/clerk report year``."""
    request.actor.require(Capability.VIEW_REPORTS)
    clerk = request.clerk
    with clerk.db.reading() as session:
        kpis = compute_year(
            session, clerk.today(), zone=clerk.settings.tz, currency=clerk.settings.currency
        )
    reply = year_message(kpis)
    reply.blocks.append(blocks.context(_send_chart(request, kpis)))
    return reply


def title_of(kpis: YearKpis) -> str:
    return f"Yearly report: {format_month(kpis.start)} – {format_month(kpis.end)}"


def year_message(kpis: YearKpis) -> blocks.Message:
    """The year's totals, then one row a month, then aging at the year's end."""
    cur = kpis.currency
    title = title_of(kpis)
    on_time, missed = kpis.total("on_time"), kpis.total("missed")
    collected = money(kpis.total("collected_cents"), cur, cur)
    dso = "n/a (nothing billed)" if kpis.dso_days is None else f"{kpis.dso_days} days"
    change = kpis.overdue_change_cents
    moved = "no change" if not change else f"{'▲ up' if change > 0 else '▼ down'} "
    moved += money(abs(change), cur, cur) if change else ""
    notes = [
        f"{format_day(kpis.start)} – {format_day(kpis.end)}, firm time. By month: deadlines "
        "met/due, overdue at the month's end."
    ]
    if kpis.other_currencies:
        notes.append(f"Money in {', '.join(kpis.other_currencies)} is not included.")
    return blocks.message(
        f"{title}: {kpis.total('contacts')} contacts, {on_time}/{on_time + missed} deadlines "
        f"on time, {collected} collected",
        blocks.header(title),
        blocks.fields(
            [
                ("Contacts logged", str(kpis.total("contacts"))),
                ("Deadlines", f"{on_time} on time · {missed} missed"),
                ("New clients", str(kpis.total("new_clients"))),
                ("New matters", str(kpis.total("new_matters"))),
                ("Collected", collected),
                ("Written off", _written_off(kpis)),
                ("DSO over the year", dso),
                (
                    "Overdue at the year's end",
                    f"{money(kpis.overdue_cents, cur, cur)} ({moved} on the year before)",
                ),
            ]
        ),
        blocks.section("*By month*\n```" + "\n".join(_table(kpis)) + "```"),
        blocks.section(
            "*Aging at the year's end*\n"
            + "  ·  ".join(f"{label}: {money(cents, cur, cur)}" for label, cents in kpis.aging)
        ),
        blocks.context(*notes),
    )


def _written_off(kpis: YearKpis) -> str:
    count = kpis.total("written_off_count")
    if not count:
        return "none"
    cents = money(kpis.total("written_off_cents"), kpis.currency, kpis.currency)
    return f"{cents} ({count} invoice{'s' if count != 1 else ''})"


def _table(kpis: YearKpis) -> list[str]:
    head = "".join(
        name.ljust(width) if i == 0 else name.rjust(width)
        for i, (name, width) in enumerate(COLUMNS)
    )
    return [head, *(_row(month, kpis.currency) for month in kpis.months)]


def _row(month: MonthKpis, currency: str) -> str:
    cells = (
        format_month(month.period.start),
        str(month.contacts),
        f"{month.on_time}/{month.on_time + month.missed}",
        str(month.new_clients),
        str(month.new_matters),
        money(month.collected_cents, currency, currency),
        money(month.overdue_cents, currency, currency),
        "n/a" if month.dso_days is None else str(month.dso_days),
    )
    return "".join(
        cell.ljust(width) if i == 0 else cell.rjust(width)
        for i, (cell, (_name, width)) in enumerate(zip(cells, COLUMNS, strict=True))
    )


def chart_png(kpis: YearKpis) -> bytes:
    return year_chart(
        title=title_of(kpis),
        months=[format_month(month.period.start) for month in kpis.months],
        collected=[month.collected_cents for month in kpis.months],
        overdue=[month.overdue_cents for month in kpis.months],
        on_time=[month.on_time for month in kpis.months],
        missed=[month.missed for month in kpis.months],
        currency=kpis.currency,
    )


def _send_chart(request: CommandRequest, kpis: YearKpis) -> str:
    return send_chart(
        request,
        content=chart_png(kpis),
        filename=f"report-year-{kpis.start.isoformat()[:7]}.png",
        title=title_of(kpis),
    )
