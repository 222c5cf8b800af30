"""``/clerk report clients``: the client analysis (``bot.reports.clients``), for partners and
admins only (it ranks clients by what they pay: the firm's most commercial view of its
clients), answered to the asker alone, with the chart by DM. The monthly report carries the
same industry table and top ten (:func:`monthly_blocks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.billing.receivables import money
from bot.dates.format import format_day
from bot.errors import PermissionDenied
from bot.reports.clients import ClientAnalysis, KeyClient, SegmentRow, analyse_clients
from bot.reports.clients_chart import clients_chart
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply
from handlers.reports.dm_chart import send_chart
from storage.models import Role

ROWS_SHOWN = 12  # per segment table; the rest are counted
KEY_SHOWN = 15
COLUMNS = (
    ("", 20),
    ("Clients", 8),
    ("Matters", 8),
    ("Billed", 13),
    ("Collected", 13),
    ("Overdue", 13),
    ("Sat.", 5),
    ("New", 5),
)


def run_clients(request: CommandRequest) -> Reply:
    """``/clerk report clients``."""
    actor = request.actor
    if actor.role not in (Role.PARTNER, Role.ADMIN):
        raise PermissionDenied(
            "The client analysis is for partners and admins; your role is "
            f"{actor.role.value}. `/clerk report month` has the firm's figures."
        )
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


def _cell(text: str, width: int, first: bool) -> str:
    text = text if len(text) < width else text[: width - 2] + "…"
    return text.ljust(width) if first else text.rjust(width)


def segment_table(title: str, rows: Sequence[SegmentRow], currency: str) -> blocks.Block_:
    head = "".join(_cell(name or title, w, i == 0) for i, (name, w) in enumerate(COLUMNS))
    lines = [head]
    for row in rows[:ROWS_SHOWN]:
        cells = (
            row.label,
            str(row.clients),
            str(row.active_matters),
            money(row.billed_cents, currency, currency),
            money(row.collected_cents, currency, currency),
            money(row.overdue_cents, currency, currency),
            "—" if row.satisfaction is None else f"{row.satisfaction:.1f}",
            str(row.new_clients),
        )
        lines.append(
            "".join(
                _cell(c, w, i == 0)
                for i, (c, (_n, w)) in enumerate(zip(cells, COLUMNS, strict=True))
            )
        )
    more = len(rows) - ROWS_SHOWN
    tail = f"\n…and {more} more" if more > 0 else ""
    return blocks.section(f"*By {title}*\n```" + blocks.escape("\n".join(lines)) + "```" + tail)


def top_ten(analysis: ClientAnalysis) -> blocks.Block_:
    cur = analysis.currency
    if not analysis.top:
        return blocks.section("*Most fees collected*\nNo fees were collected in the period.")
    lines = [
        f"{n}. *{t.code}* {blocks.escape(t.name)}: {money(t.collected_cents, cur, cur)}"
        for n, t in enumerate(analysis.top, start=1)
    ]
    return blocks.section("*Most fees collected (the ten clients)*\n" + "\n".join(lines))


def _key_line(client: KeyClient, today: date) -> str:
    head = f"• *{client.code}* {blocks.escape(client.name)}: "
    if client.last_contact is None:
        return head + "no contact logged"
    days = (today - client.last_contact).days
    return head + f"last contact {format_day(client.last_contact)} ({days} days ago)"


def analysis_message(analysis: ClientAnalysis) -> blocks.Message:
    cur = analysis.currency
    title = title_of(analysis)
    key_lines = [_key_line(k, analysis.end) for k in analysis.key_clients[:KEY_SHOWN]]
    if len(analysis.key_clients) > KEY_SHOWN:
        key_lines.append(f"…and {len(analysis.key_clients) - KEY_SHOWN} more (`/client list key`)")
    referrals = ", ".join(f"{blocks.escape(src)}: {n}" for src, n in analysis.referrals)
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
    """What the monthly report gains: the industry table and the top ten."""
    return [
        blocks.section(
            f"*Clients, last 12 months* ({format_day(analysis.start)} – {format_day(analysis.end)})"
        ),
        segment_table("industry", analysis.by_industry, analysis.currency),
        top_ten(analysis),
    ]
