"""``clerk export/import matters``: code,client,title,lawyer,status.

Codes keep their numbers (``ACME-7`` stays ``ACME-7``) so documents that quote them still
point at the right matter; ``/matter add`` then continues after the highest number (and a
file without the code column is numbered that way too). The file has no opening date, so an
imported matter opens on the day of the import.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clients.lookup import get_client, normalise_code
from bot.clients.matters import title_problem
from bot.errors import InvalidInput
from bot.transfer import ImportContext, Kind, register
from bot.transfer.clients import slack_ids, user_for
from storage.models import Client, Matter, MatterStatus

COLUMNS = ("code", "client", "title", "lawyer", "status")


def export_rows(session: Session) -> Iterator[dict[str, str]]:
    users = slack_ids(session)
    rows = session.execute(
        select(Matter, Client.code)
        .join(Client, Client.id == Matter.client_id)
        .order_by(Matter.code)
    )
    for matter, client_code in rows:
        yield {
            "code": matter.code,
            "client": client_code,
            "title": matter.title,
            "lawyer": users.get(matter.lawyer_id or 0, ""),
            "status": matter.status.value,
        }


def _next_code(session: Session, client: Client) -> str:
    highest = session.scalar(select(func.max(Matter.number)).where(Matter.client_id == client.id))
    return f"{client.code}-{(highest or 0) + 1}"


def import_row(ctx: ImportContext, row: dict[str, str]) -> None:
    client = get_client(ctx.session, row["client"])
    # Left out, a matter is numbered after the client's highest, as `/matter add` does.
    code = normalise_code(row["code"]) if row["code"] else _next_code(ctx.session, client)
    prefix, _, number = code.rpartition("-")
    if prefix != client.code or not number.isdigit() or int(number) < 1:
        raise InvalidInput(f"matter code '{row['code']}' must be {client.code}-N")
    if ctx.session.scalar(select(Matter.id).where(Matter.code == code)) is not None:
        raise InvalidInput(f"matter {code} already exists")
    problem = title_problem(row["title"])
    if problem:
        raise InvalidInput(f"title: {problem}")
    try:
        status = MatterStatus(row["status"].lower() or "open")
    except ValueError as exc:
        raise InvalidInput(f"status must be open or closed, not '{row['status']}'") from exc
    today = ctx.today()
    ctx.session.add(
        Matter(
            code=code,
            client_id=client.id,
            number=int(number),
            title=row["title"].strip(),
            lawyer_id=user_for(ctx, row["lawyer"], "lawyer") or client.lawyer_id,
            status=status,
            opened_on=today,
            closed_on=today if status is MatterStatus.CLOSED else None,
        )
    )


register(Kind("matters", COLUMNS, export_rows, import_row, required=("client", "title")))
