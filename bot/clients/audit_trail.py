"""What ``/clerk audit CLIENT|MATTER`` shows: every recorded change to a client or matter
and to the records hanging from it (contacts, deadlines, invoices, payments, trust, plans,
escalation), newest first.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from bot.clients.lookup import get_client, get_matter, looks_like_matter_code
from bot.permissions import Actor, Capability
from storage.models import (
    AuditLog,
    Contact,
    Deadline,
    EscalationEvent,
    Invoice,
    Matter,
    Payment,
    PaymentPlan,
    TrustTransaction,
)

MAX_ENTRIES = 200


def _ids(session: Session, column: ColumnElement[int], *where: ColumnElement[bool]) -> list[str]:
    return [str(i) for i in session.scalars(select(column).where(*where))]


def audit_trail(
    session: Session, *, actor: Actor, code: str, limit: int = MAX_ENTRIES
) -> tuple[str, Sequence[AuditLog]]:
    """The subject's title and its audit entries, newest first (admins only)."""
    actor.require(Capability.VIEW_AUDIT)
    entities: dict[str, list[str]] = {}
    if looks_like_matter_code(code):
        matter = get_matter(session, code)
        title = f"{matter.code} {matter.title}"
        entities["matters"] = [str(matter.id)]
        entities["deadlines"] = _ids(session, Deadline.id, Deadline.matter_id == matter.id)
        entities["contacts"] = _ids(session, Contact.id, Contact.matter_id == matter.id)
        entities["invoices"] = _ids(session, Invoice.id, Invoice.matter_id == matter.id)
    else:
        client = get_client(session, code)
        title = f"{client.code} {client.name}"
        matter_ids = [int(i) for i in _ids(session, Matter.id, Matter.client_id == client.id)]
        entities["clients"] = [str(client.id)]
        entities["matters"] = [str(i) for i in matter_ids]
        entities["deadlines"] = _ids(session, Deadline.id, Deadline.matter_id.in_(matter_ids))
        entities["contacts"] = _ids(session, Contact.id, Contact.client_id == client.id)
        entities["invoices"] = _ids(session, Invoice.id, Invoice.client_id == client.id)
        entities["payments"] = _ids(session, Payment.id, Payment.client_id == client.id)
        entities["trust_transactions"] = _ids(
            session, TrustTransaction.id, TrustTransaction.client_id == client.id
        )
        entities["payment_plans"] = _ids(
            session, PaymentPlan.id, PaymentPlan.client_id == client.id
        )
        entities["escalation_events"] = _ids(
            session, EscalationEvent.id, EscalationEvent.client_id == client.id
        )
    conditions = [
        and_(AuditLog.entity == entity, AuditLog.entity_id.in_(ids))
        for entity, ids in entities.items()
        if ids
    ]
    rows = session.scalars(
        select(AuditLog)
        .where(or_(*conditions))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    ).all()
    return title, rows
