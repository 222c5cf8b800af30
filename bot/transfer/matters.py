"""``clerk export/import matters``: code,client,title,lawyer,status, then practice_area,
fee_arrangement, budget (a decimal string in the client's currency) and satisfaction (1-5, a
closed matter's), each checked as ``/matter edit`` and ``/matter close`` check it. An empty
cell, or a column the file leaves out, is not given: the matter has none.

Codes keep their numbers (``ACME-7`` stays ``ACME-7``) so documents that quote them still
point at the right matter; ``/matter add`` then continues after the highest number (and a
file without the code column is numbered that way too). The file has no opening date, so an
imported matter opens on the day of the import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clients.lookup import get_client, normalise_code
from bot.clients.matter_edit import MAX_PRACTICE_AREA, read_fee_arrangement, read_satisfaction
from bot.clients.matters import title_problem
from bot.errors import InvalidInput
from bot.money import Money
from bot.transfer import ImportContext, Kind, register
from bot.transfer.clients import slack_ids, user_for
from storage.models import Client, Matter, MatterStatus

COLUMNS = (
    "code",
    "client",
    "title",
    "lawyer",
    "status",
    "practice_area",
    "fee_arrangement",
    "budget",
    "satisfaction",
)


def export_rows(session: Session) -> Iterator[dict[str, str]]:
    users = slack_ids(session)
    rows = session.execute(
        select(Matter, Client.code, Client.currency)
        .join(Client, Client.id == Matter.client_id)
        .order_by(Matter.code)
    )
    for matter, client_code, currency in rows:
        budget = matter.budget_cents
        yield {
            "code": matter.code,
            "client": client_code,
            "title": matter.title,
            "lawyer": users.get(matter.lawyer_id or 0, ""),
            "status": matter.status.value,
            "practice_area": matter.practice_area or "",
            "fee_arrangement": matter.fee_arrangement or "",
            "budget": Money(budget, currency).decimal_string() if budget is not None else "",
            "satisfaction": str(matter.satisfaction or ""),
        }


def _terms(row: dict[str, str], client: Client, status: MatterStatus) -> dict[str, Any]:
    """The practice area, fee arrangement, budget and satisfaction cells, checked as
    ``/matter edit`` and ``/matter close`` check them."""
    area = " ".join(row["practice_area"].split())
    if len(area) > MAX_PRACTICE_AREA:
        raise InvalidInput(f"practice_area is at most {MAX_PRACTICE_AREA} characters")
    try:
        fee = read_fee_arrangement(row["fee_arrangement"])
    except InvalidInput as exc:
        raise InvalidInput(f"fee_arrangement: {exc.message}") from exc
    budget = None
    if row["budget"]:
        try:
            budget = Money.from_decimal_string(row["budget"], client.currency).cents
        except InvalidInput as exc:
            raise InvalidInput(f"budget: {exc.message}") from exc
        if budget <= 0:
            raise InvalidInput(f"budget '{row['budget']}' must be more than zero")
    satisfaction = None
    if row["satisfaction"]:
        try:
            satisfaction = read_satisfaction(row["satisfaction"])
        except InvalidInput as exc:
            raise InvalidInput(f"satisfaction: {exc.message}") from exc
        if status is not MatterStatus.CLOSED:
            raise InvalidInput("satisfaction is for a closed matter (its status is open)")
    return {
        "practice_area": area or None,
        "fee_arrangement": fee,
        "budget_cents": budget,
        "satisfaction": satisfaction,
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
            **_terms(row, client, status),
        )
    )


register(Kind("matters", COLUMNS, export_rows, import_row, required=("client", "title")))
