"""Reading money replies and checking that a refusal wrote nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Client, Invoice, OutboxMessage, Payment
from tests.billing.conftest import counts
from tests.deadlines.helpers import last, refusal, shown
from tests.harness import Harness


def said(h: Harness, user: str, command: str, text: str) -> str:
    """Everything the asker reads after a command through signed HTTP (ephemeral only)."""
    reply = last(h.slack.command(user, command, text))
    assert reply.get("response_type") == "ephemeral", reply
    return shown(reply)


def refused(
    h: Harness, user: str, command: str, text: str, expected: str, *, http: bool = False
) -> str:
    """Refused with ``expected`` in the reply, and nothing written (money tables, audit)."""
    before = counts(h.db)
    text_shown = said(h, user, command, text) if http else refusal(h, user, text, command)
    assert expected in text_shown, text_shown
    assert counts(h.db) == before
    return text_shown


def invoices(h: Harness) -> list[Invoice]:
    with h.db.reading() as s:
        return list(s.scalars(select(Invoice).order_by(Invoice.id)))


def payments(h: Harness) -> list[Payment]:
    with h.db.reading() as s:
        return list(s.scalars(select(Payment).order_by(Payment.id)))


def outbox(h: Harness) -> list[OutboxMessage]:
    with h.db.reading() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def client_row(h: Harness, code: str) -> Client:
    with h.db.reading() as s:
        return s.scalars(select(Client).where(Client.code == code)).one()


def reply_of(exchange: Any) -> dict[str, Any]:
    return last(exchange)
