"""A small firm for the scheduler tests: Lena's matter ACME-1 and a clock frozen on a Friday.

Clerk's clock starts at Fri 4 Dec 2026 08:00 New York (``running_clerk(at=...)``); the jobs
are given the day explicitly, so each test says which morning it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.models import Client, Deadline, Matter, OutboxMessage
from tests.harness import Harness, running_clerk

NY = ZoneInfo("America/New_York")
FRIDAY = date(2026, 12, 4)
FRIDAY_8AM = datetime(2026, 12, 4, 8, 0, tzinfo=NY)


@pytest.fixture
def firm(database_url: str) -> Iterator[Harness]:
    with running_clerk(database_url, at=FRIDAY_8AM) as harness:
        harness.add_people()
        add_matter(harness)
        yield harness


def add_matter(harness: Harness) -> None:
    """Acme Corp, Lena's client, with matter ACME-1."""
    lena = harness.user("U_LENA").id
    with harness.db.unit_of_work("test") as s:
        client = Client(code="ACME", name="Acme Corp", lawyer_id=lena)
        s.add(client)
        s.flush()
        s.add(
            Matter(
                code="ACME-1",
                client_id=client.id,
                number=1,
                title="Acme v. Widgets",
                lawyer_id=lena,
                opened_on=date(2026, 1, 1),
            )
        )


def add_deadline(
    harness: Harness,
    title: str,
    due_on: date,
    *,
    due_at: datetime | None = None,
    responsible: str | None = "U_LENA",
    assignee: str | None = None,
    **fields: object,
) -> int:
    with harness.db.unit_of_work("test") as s:
        matter_id = s.scalars(select(Matter.id).where(Matter.code == "ACME-1")).one()
        deadline = Deadline(
            matter_id=matter_id,
            title=title,
            due_on=due_on,
            due_at=due_at,
            responsible_id=harness.user(responsible).id if responsible else None,
            assignee_id=harness.user(assignee).id if assignee else None,
            **fields,
        )
        s.add(deadline)
        s.flush()
        return deadline.id


def outbox(harness: Harness) -> list[OutboxMessage]:
    with harness.db.reading() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def text_of(payload_blocks: list[dict[str, object]]) -> str:
    """Every mrkdwn/plain text in a message's blocks, joined: what a reader sees."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload_blocks)
    return "\n".join(found)
