"""Who is told of a change of collections stage.

The responsible lawyer hears of every change of their client's stage (if they may see its
balance), and so does the client's billing contact, who chases the account with them. An
account reaching *partner review* (stage 3) is a partner's decision to make, so it is told
to the client's relationship partner, or to every partner when the client has none; reaching
*legal action / collections* (stage 4) is told to the admins too, who sign off on the firm
suing a client. Only a raise is told upwards: an account coming down from stage 4 is the
lawyer's good news, not the partners' work.

Every one of them must be allowed to see the client's balance, as the DM names the stage
and why (``bot.firm.users.money_readers``): partners and admins always may, and a relationship
partner who has left the workspace or lost the role gives way to every partner.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing.collections import StageChange
from bot.firm.users import money_readers
from bot.money import Stage
from storage.base import chunks
from storage.models import Client, Role, User


def stage_recipients(
    session: Session, changes: Sequence[StageChange]
) -> dict[str, list[StageChange]]:
    """By Slack id, the changes each person is told of (each change once a person, in the
    order given). Three queries, whatever the number of changes."""
    upward = {c.client_id for c in changes if c.raised and c.to_stage >= Stage.PARTNER_REVIEW}
    partners_of: dict[int, int | None] = {}
    billing_of: dict[int, int | None] = {}
    for part in chunks(sorted({c.client_id for c in changes})):
        rows = session.execute(
            select(Client.id, Client.partner_id, Client.billing_contact_id).where(
                Client.id.in_(part)
            )
        )
        for client_id, partner_id, billing_id in rows:
            billing_of[client_id] = billing_id
            if client_id in upward:
                partners_of[client_id] = partner_id
    readers = money_readers(session, [*partners_of.values(), *billing_of.values()])
    every: dict[Role, list[str]] = {Role.PARTNER: [], Role.ADMIN: []}
    if upward:
        for slack_id, role in session.execute(
            select(User.slack_id, User.role)
            .where(User.role.in_([Role.PARTNER, Role.ADMIN]), User.is_active.is_(True))
            .order_by(User.slack_id)
        ):
            every[role].append(slack_id)
    told: dict[str, list[StageChange]] = {}

    def tell(slack_id: str | None, change: StageChange) -> None:
        if slack_id and change not in told.setdefault(slack_id, []):
            told[slack_id].append(change)

    for change in changes:
        tell(change.lawyer_slack_id, change)
        billing_id = billing_of.get(change.client_id)
        tell(readers.get(billing_id) if billing_id is not None else None, change)
        if not change.raised or change.to_stage < Stage.PARTNER_REVIEW:
            continue
        partner_id = partners_of.get(change.client_id)
        partner = readers.get(partner_id) if partner_id is not None else None
        for slack_id in [partner] if partner else every[Role.PARTNER]:
            tell(slack_id, change)
        if change.to_stage >= Stage.COLLECTIONS:
            for slack_id in every[Role.ADMIN]:
                tell(slack_id, change)
    return {slack_id: found for slack_id, found in told.items() if found}
