"""Dispute reviews: which disputes' owners are reminded this morning, and which accounts'
disputes are past their review date.

A dispute pauses escalation (``bot.billing.collections``); its review date keeps that pause
from lasting forever. On the review date the owner gets a DM (the 08:30 overdue job queues
it, key ``dispute-review:{invoice_id}:{review date}``, so each review is told once). A
review date that fell on a weekend, a holiday or a morning Clerk was down is told on the
next working morning, up to ``CATCH_UP_DAYS`` late. Once the date has passed without the
dispute being resolved or written off, the account is marked *dispute review overdue* on
the billing channel's overdue post.

The owner is told only while they may still see the client's balance (the DM names the
invoice and what is owed): a lawyer who is no longer the client's responsible lawyer, or a
member who left, is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.permissions import GRANTS, Capability
from storage.models import Client, Invoice, InvoiceStatus, User
from storage.models.billing import INVOICE_UNPAID

CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class DueReview:
    """One dispute whose review falls on (or was missed before) the morning it is told."""

    invoice_id: int
    number: str
    client_code: str
    client_name: str
    currency: str
    outstanding_cents: int
    reason: str
    review_on: date
    owner_slack_id: str

    @property
    def outbox_key(self) -> str:
        return f"dispute-review:{self.invoice_id}:{self.review_on.isoformat()}"


def _may_see(role_grants: frozenset[Capability], owner_id: int, lawyer_id: int | None) -> bool:
    if Capability.VIEW_ALL_BALANCES in role_grants:
        return True
    return Capability.VIEW_OWN_BALANCES in role_grants and lawyer_id == owner_id


def reviews_due(session: Session, *, day: date) -> list[DueReview]:
    """The open disputes whose review date is ``day`` or up to ``CATCH_UP_DAYS`` before it,
    with an owner who may still see the client's balance; by review date, then number."""
    rows = session.execute(
        select(
            Invoice.id,
            Invoice.number,
            Invoice.currency,
            Invoice.amount_cents - Invoice.paid_cents,
            Invoice.dispute_reason,
            Invoice.dispute_review_on,
            Client.code,
            Client.name,
            Client.lawyer_id,
            User.id,
            User.slack_id,
            User.role,
        )
        .join(Client, Client.id == Invoice.client_id)
        .join(User, User.id == Invoice.dispute_owner_id)
        .where(
            Invoice.status == InvoiceStatus.OPEN,
            Invoice.disputed.is_(True),
            Invoice.dispute_review_on <= day,
            Invoice.dispute_review_on >= day - timedelta(days=CATCH_UP_DAYS),
            User.is_active.is_(True),
        )
        .order_by(Invoice.dispute_review_on, Invoice.number)
    )
    found: list[DueReview] = []
    for inv_id, number, cur, owed, reason, review_on, code, name, lawyer, uid, slack, role in rows:
        if owed <= 0 or not _may_see(GRANTS[role], uid, lawyer):
            continue
        found.append(
            DueReview(inv_id, number, code, name, cur, int(owed), reason or "", review_on, slack)
        )
    return found


def review_overdue_clients(session: Session, *, day: date) -> set[int]:
    """The clients with an open dispute whose review date is before ``day``."""
    return set(
        session.scalars(
            select(Invoice.client_id)
            .where(
                Invoice.status == InvoiceStatus.OPEN,
                Invoice.disputed.is_(True),
                Invoice.dispute_review_on < day,
                INVOICE_UNPAID,
            )
            .distinct()
        )
    )
