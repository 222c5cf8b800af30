"""``/clerk report clients``: the client analysis (``bot.reports.clients``), for partners and
admins only (``Capability.VIEW_CLIENT_ANALYSIS``: it ranks clients by what they pay, the
firm's most commercial view of its clients, so billing, who runs the other reports, is
refused too), answered to the asker alone, with the chart by DM through the path the other
reports use (``handlers.reports.dm_chart``). The monthly report carries the same industry
table and top ten (:func:`monthly_blocks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.billing.receivables import money
from bot.dates.format import format_day
from bot.permissions import Capability
from bot.reports.clients import ClientAnalysis, KeyClient, SegmentRow, analyse_clients
from bot.reports.clients_chart import clients_chart
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply
from handlers.reports.dm_chart import send_chart

# What fits Slack's 3,000 characters a section, with room for escaping: longer lists are
# cut and the rest counted.
ROWS_SHOWN = 12  # per segment table
KEY_SHOWN = 15
REFERRALS_SHOWN = 15
LABEL_WIDTH = 24  # a segment's name is cut to this; its figures never are
NAME_WIDTH = 60  # a client's name in the top ten and the key clients
SOURCE_WIDTH = 40  # a referral source
HEADINGS = ("Clients", "Matters", "Billed", "Collected", "Overdue", "Sat.", "New")


def run_clients(request: CommandRequest) -> Reply:
    """``/clerk report clients``."""
    request.actor.require(Capability.VIEW_CLIENT_ANALYSIS)  # partners and admins
    clerk = request.clerk
    with clerk.db.reading() as session:
        analysis = analyse_clients(
            session, today=clerk.today(), zone=clerk.settings.tz, currency=clerk.settings.currency
        )
    reply = analysis_message(analysis)
    reply.blocks.append(
        blocks.context(
            send_chart(
                request,
                content=chart_png(analysis),
                filename=f"client-analysis-{analysis.end.isoformat()}.png",
                title=title_of(analysis),
            )
        )
    )
    return reply


def title_of(analysis: ClientAnalysis) -> str:
    return f"Client analysis: {format_day(analysis.start)} – {format_day(analysis.end)}"


def chart_png(analysis: ClientAnalysis) -> bytes:
    rows = analysis.by_industry
    return clients_chart(
        title=title_of(analysis),
        labels=[r.label for r in rows],
        billed=[r.billed_cents for r in rows],
        collected=[r.collected_cents for r in rows],
        currency=analysis.currency,
    )


def _label(text: str) -> str:
    """A segment's name (user text) as the table's first cell: cut to its column, and with
    no backtick, which could end the code block early."""
    return blocks.truncate(text.replace("`", "'"), LABEL_WIDTH)


def _cells(row: SegmentRow, currency: str) -> tuple[str, ...]:
    return (
        _label(row.label),
        str(row.clients),
        str(row.active_matters),
        money(row.billed_cents, currency, currency),
        money(row.collected_cents, currency, currency),
        money(row.overdue_cents, currency, currency),
        "—" if row.satisfaction is None else f"{row.satisfaction:.1f}",
        str(row.new_clients),
    )


def segment_table(title: str, rows: Sequence[SegmentRow], currency: str) -> blocks.Block_:
    """One segment table in a code block (so its columns line up), each column as wide as
    its widest cell: a figure is never cut. Padding is counted on the raw text, then escaped
    (Slack shows ``&amp;`` as one character)."""
    table = [(title.capitalize(), *HEADINGS), *(_cells(r, currency) for r in rows[:ROWS_SHOWN])]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in table
    ]
    more = len(rows) - ROWS_SHOWN
    tail = f"\n…and {more} more" if more > 0 else ""
    return blocks.section(f"*By {title}*\n```" + blocks.escape("\n".join(lines)) + "```" + tail)


def _name(text: str) -> str:
    return blocks.escape(blocks.truncate(text, NAME_WIDTH))


def top_ten(analysis: ClientAnalysis) -> blocks.Block_:
    cur = analysis.currency
    if not analysis.top:
        return blocks.section("*Most fees collected*\nNo fees were collected in the period.")
    lines = [
        f"{n}. *{t.code}* {_name(t.name)}: {money(t.collected_cents, cur, cur)}"
        for n, t in enumerate(analysis.top, start=1)
    ]
    return blocks.section("*Most fees collected (the ten clients)*\n" + "\n".join(lines))


def _key_line(client: KeyClient, today: date) -> str:
    head = f"• *{client.code}* {_name(client.name)}: "
    if client.last_contact is None:
        return head + "no contact logged"
    days = (today - client.last_contact).days
    since = "today" if days == 0 else f"{days} day{'' if days == 1 else 's'} ago"
    return head + f"last contact {format_day(client.last_contact)} ({since})"


def analysis_message(analysis: ClientAnalysis) -> blocks.Message:
    cur = analysis.currency
    title = title_of(analysis)
    key_lines = [_key_line(k, analysis.end) for k in analysis.key_clients[:KEY_SHOWN]]
    if len(analysis.key_clients) > KEY_SHOWN:
        key_lines.append(f"…and {len(analysis.key_clients) - KEY_SHOWN} more (`/client list key`)")
    referrals = ", ".join(
        f"{blocks.escape(blocks.truncate(src, SOURCE_WIDTH))}: {n}"
        for src, n in analysis.referrals[:REFERRALS_SHOWN]
    )
    if len(analysis.referrals) > REFERRALS_SHOWN:
        referrals += f" …and {len(analysis.referrals) - REFERRALS_SHOWN} more"
    notes = [
        "Clients: not former. Billed: invoices issued, voids left out. Collected: fee payments "
        "(no trust). Overdue: owed today past due. Sat.: average score of matters closed "
        "(1-5). New: clients added. A client counts under each practice area it has a matter in."
    ]
    if analysis.other_currencies:
        notes.append(f"Money in {', '.join(analysis.other_currencies)} is not included.")
    return blocks.message(
        f"{title}: {sum(r.clients for r in analysis.by_industry)} clients",
        blocks.header(title),
        segment_table("industry", analysis.by_industry, cur),
        segment_table("size", analysis.by_size, cur),
        segment_table("practice area", analysis.by_practice_area, cur),
        top_ten(analysis),
        blocks.section(
            "*Key clients and their last contact*\n" + ("\n".join(key_lines) or "No key clients.")
        ),
        blocks.section("*New clients by referral source*\n" + (referrals or "No new clients.")),
        blocks.context(*notes),
    )


def monthly_blocks(analysis: ClientAnalysis) -> list[blocks.Block_]:
    """What the monthly report gains: the industry table and the top ten (and which
    currencies they leave out: the report's own note covers its month, not these twelve)."""
    found = [
        blocks.section(
            f"*Clients, last 12 months* ({format_day(analysis.start)} – {format_day(analysis.end)})"
        ),
        segment_table("industry", analysis.by_industry, analysis.currency),
        top_ten(analysis),
    ]
    if analysis.other_currencies:
        found.append(
            blocks.context(f"Money in {', '.join(analysis.other_currencies)} is not included.")
        )
    return found
