"""``/client list (key|former|prospect|industry TEXT|size TEXT) [page N]``: one page of the
firm's clients by a filter, sorted by name (``bot.clients.listing``), ephemeral.

Each line: the code, the name (escaped: people type it), the responsible lawyer, and for key
clients the last contact and whether it is within the client's cadence.
"""

from __future__ import annotations

from bot.clients.listing import ClientPage, ListedClient, list_clients, read_list
from bot.dates.format import format_day
from bot.permissions import Capability
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply
from storage.models import ClientStatus

LINES_PER_SECTION = 10  # ten lines of up to ~250 characters: under a section's 3,000
NAME_CHARS = 120


def list_command(request: CommandRequest) -> Reply:
    """``/client list ...``."""
    clerk = request.clerk
    request.actor.require(Capability.READ_CLIENTS)  # before reading what they typed
    wanted, page = read_list(request.text.partition(" ")[2])
    with clerk.db.reading() as session:
        found = list_clients(
            session,
            actor=request.actor,
            wanted=wanted,
            page=page,
            today=clerk.today(),
            zone=clerk.settings.tz,
            default_cadence=int(clerk.firm.get("key_client_cadence_days", session)),
        )
    return page_message(found)


def page_message(found: ClientPage) -> blocks.Message:
    title = blocks.escape(found.filter.describe())  # an industry or size is the user's text
    if not found.clients:
        return blocks.message(
            f"{title}: none",
            blocks.section(f":information_source: No {_lowered(title)} yet."),
            blocks.context(
                "`/client find TEXT` searches by code, name, email or phone; "
                "`/client edit CODE FIELD VALUE` sets a client's industry, size, key or status."
            ),
        )
    lines = [_line(client, key=found.filter.kind == "key") for client in found.clients]
    sections = [
        blocks.section("\n".join(lines[i : i + LINES_PER_SECTION]))
        for i in range(0, len(lines), LINES_PER_SECTION)
    ]
    heading = f"*{title}*"
    if found.pages > 1:
        heading += f" (page {found.page} of {found.pages})"
    return blocks.message(
        f"{title}: {found.total}",
        blocks.section(heading),
        sections,
        blocks.context(_footer(found)),
    )


def _lowered(title: str) -> str:
    """ "Key clients" -> "key clients" (a filter's own words keep their case)."""
    return title[:1].lower() + title[1:]


def _footer(found: ClientPage) -> str:
    count = f"{found.total} client{'s' if found.total != 1 else ''}, by name"
    if found.page < found.pages:
        words = [found.filter.kind, *([found.filter.text] if found.filter.text else [])]
        typed = blocks.escape(" ".join(words))
        count += f" · next: `/client list {typed} page {found.page + 1}`"
    return f"{count} · `/client CODE` shows a client's card."


def _line(client: ListedClient, *, key: bool) -> str:
    name = blocks.escape(blocks.truncate(client.name, NAME_CHARS))
    lawyer = blocks.mention(client.lawyer_slack_id) if client.lawyer_slack_id else "no lawyer"
    parts = [f"• *{client.code}* {name}", lawyer]
    if client.status is not ClientStatus.ACTIVE and not key:
        parts.append(client.status.value)
    if key:
        parts.append(_cadence(client))
    return " · ".join(parts)


def _cadence(client: ListedClient) -> str:
    """ "last contact Mon 2 Nov 2026 (16 days ago), within its 21-day cadence"."""
    cadence = client.cadence_days
    if client.last_contact_on is None or client.days_since is None:
        return f":warning: never contacted (cadence {cadence} days)"
    days = client.days_since
    ago = "today" if days <= 0 else f"{days} day{'s' if days != 1 else ''} ago"
    said = f"last contact {format_day(client.last_contact_on)} ({ago})"
    over = client.overdue_by or 0
    if over > 0:
        return (
            f":warning: {said}, {over} day{'s' if over != 1 else ''} past its {cadence}-day cadence"
        )
    return f"{said}, within its {cadence}-day cadence"
