"""A firm for client tests: the harness with Clerk's clock started at a known moment.

The clock starts at Wed 18 Nov 2026 10:00 in New York (the firm time zone) and runs forward
in real time, so "next Tuesday" or "Friday" has one reading in every test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from storage.models import AuditLog
from tests.harness import Harness, running_clerk

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=NY)
ACME = (
    'add ACME "Acme Corporation" org lawyer <@U_LENA|lena> key email legal@acme.com '
    "phone +1-212-555-0100 credit-limit $50,000 terms 45 days cadence 21 days"
)


@pytest.fixture
def firm(database_url: str) -> Iterator[Harness]:
    """The sample people, and ACME (Lena's key client, added with its credit terms by Paul,
    a partner) with matters ACME-1 and ACME-2."""
    with running_clerk(database_url, at=NOW) as running:
        running.add_people()
        running.slack.command("U_PAUL", "/client", ACME)  # credit terms: a partner's call
        running.slack.command("U_LENA", "/matter", 'add ACME "Lease dispute"')
        running.slack.command("U_LENA", "/matter", 'add ACME "Renewal" lawyer <@U_MARK|mark>')
        yield running
        assert_slack_accepted_everything(running)


SHOWN = ("chat.postMessage", "chat.postEphemeral", "chat.update", "views.open", "views.update")


def assert_slack_accepted_everything(harness: Harness) -> None:
    """Every message and modal Clerk sent was valid Block Kit that Slack would have shown."""
    refused = [p for p in harness.standin.response_posts() if p.status != 200]
    assert not refused, [(p.status, p.payload.get("text")) for p in refused]
    failed = [c for c in harness.standin.calls() if c.method in SHOWN and not c.ok]
    assert not failed, [(c.method, c.response) for c in failed]


def audit_rows(harness: Harness) -> int:
    with harness.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def assert_refused(
    harness: Harness,
    user: str,
    command: str,
    text: str,
    expected: str,
    *,
    written: Callable[[Harness], object] = audit_rows,
) -> None:
    """``user`` typing ``command text`` gets an ephemeral reply saying ``expected``, and
    nothing is written (``written``: what a write would change; audit rows by default)."""
    before = written(harness)
    exchange = harness.slack.command(user, command, text)
    assert expected in reply_text(exchange)
    assert exchange.replies[0]["response_type"] == "ephemeral"
    assert written(harness) == before


def reply_text(exchange: object) -> str:
    """Every reply and message of an exchange, fallback text and blocks, as one string."""
    parts: list[str] = []
    for reply in exchange.replies:  # type: ignore[attr-defined]
        parts.append(str(reply.get("text", "")))
        parts.append(str(reply.get("blocks", "")))
    for call in exchange.calls:  # type: ignore[attr-defined]
        if call.method in ("chat.postMessage", "chat.postEphemeral"):
            parts.append(str(call.params.get("text", "")))
            parts.append(str(call.params.get("blocks", "")))
    return "\n".join(parts)
