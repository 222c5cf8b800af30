"""``clerk export/import parties``: matter,name,role.

A party file carries the parties of closed matters too: a former matter's adverse party is
exactly what a conflict check must still find, so an import accepts any existing matter.
The name is checked as ``/matter party add`` checks it, and one party is on a matter once.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clients.lookup import get_matter
from bot.clients.parties import DEFAULT_ROLE, name_problem, read_role, store_party
from bot.errors import InvalidInput
from bot.transfer import ImportContext, Kind, register
from storage.models import Matter, Party, User

COLUMNS = ("matter", "name", "role")


def export_rows(session: Session) -> Iterator[dict[str, str]]:
    rows = session.execute(
        select(Matter.code, Party.name, Party.role)
        .join(Matter, Matter.id == Party.matter_id)
        .order_by(Matter.code, Party.id)
    )
    for code, name, role in rows:
        yield {"matter": code, "name": name, "role": role.value}


def import_row(ctx: ImportContext, row: dict[str, str]) -> None:
    matter = get_matter(ctx.session, row["matter"])
    problem = name_problem(row["name"])
    if problem:
        raise InvalidInput(f"name: {problem}")
    role = read_role(row["role"]) if row["role"] else DEFAULT_ROLE
    by = ctx.session.scalar(select(User.id).where(User.slack_id == ctx.actor))
    store_party(ctx.session, matter=matter, name=row["name"], role=role, by=by)


register(Kind("parties", COLUMNS, export_rows, import_row, required=("matter", "name")))
