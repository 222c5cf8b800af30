"""``clerk export/import contacts`` with the columns listed in the README, kept exactly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clients.contacts import FUTURE_SLACK, summary_problem
from bot.clients.lookup import get_client, get_matter
from bot.errors import InvalidInput
from bot.text import BARE_ID
from bot.transfer import ImportContext, Kind, register
from bot.transfer.clients import slack_ids, user_for
from storage.models import Client, Contact, ContactKind, Matter

COLUMNS = ("client", "matter", "kind", "summary", "occurred_at", "follow_up_on", "logged_by")


def export_rows(session: Session) -> Iterator[dict[str, str]]:
    users = slack_ids(session)
    rows = session.execute(
        select(Contact, Client.code, Matter.code)
        .join(Client, Client.id == Contact.client_id)
        .outerjoin(Matter, Matter.id == Contact.matter_id)
        .order_by(Contact.occurred_at, Contact.id)
    )
    for contact, client_code, matter_code in rows:
        yield {
            "client": client_code,
            "matter": matter_code or "",
            "kind": contact.kind.value,
            "summary": contact.summary,
            "occurred_at": contact.occurred_at.isoformat(),
            "follow_up_on": contact.follow_up_on.isoformat() if contact.follow_up_on else "",
            "logged_by": users.get(contact.logged_by_id, ""),
        }


def import_row(ctx: ImportContext, row: dict[str, str]) -> None:
    client = get_client(ctx.session, row["client"])
    matter_id = None
    if row["matter"]:
        matter = get_matter(ctx.session, row["matter"])
        if matter.client_id != client.id:
            raise InvalidInput(f"matter {matter.code} is not a matter of {client.code}")
        matter_id = matter.id
    try:
        kind = ContactKind(row["kind"].lower() or "call")
    except ValueError as exc:
        raise InvalidInput(
            f"kind must be call, email, meeting, letter or message, not '{row['kind']}'"
        ) from exc
    try:  # left out: the moment of the import
        occurred = datetime.fromisoformat(row["occurred_at"]) if row["occurred_at"] else ctx.now
    except ValueError as exc:
        raise InvalidInput(f"occurred_at '{row['occurred_at']}' is not an ISO 8601 time") from exc
    if occurred.tzinfo is None:
        raise InvalidInput(f"occurred_at '{row['occurred_at']}' needs a UTC offset, e.g. +00:00")
    try:
        follow = date.fromisoformat(row["follow_up_on"]) if row["follow_up_on"] else None
    except ValueError as exc:
        raise InvalidInput(f"follow_up_on '{row['follow_up_on']}' is not YYYY-MM-DD") from exc
    # Left out: whoever imports the file (from Slack, their id; `clerk import --actor`).
    importer = ctx.actor if BARE_ID.match(ctx.actor) else ""
    logged_by = user_for(ctx, row["logged_by"] or importer, "logged_by")
    if logged_by is None:
        raise InvalidInput("logged_by is empty: say who logged the contact (a Slack id)")
    if occurred > ctx.now + FUTURE_SLACK:
        raise InvalidInput(f"occurred_at {row['occurred_at']} is in the future")
    problem = summary_problem(row["summary"])
    if problem:
        raise InvalidInput(f"summary: {problem}")
    ctx.session.add(
        Contact(
            client_id=client.id,
            matter_id=matter_id,
            kind=kind,
            summary=row["summary"],
            occurred_at=occurred,
            follow_up_on=follow,
            logged_by_id=logged_by,
        )
    )


register(Kind("contacts", COLUMNS, export_rows, import_row, required=("client", "summary")))
