"""Previews that a *Confirm* button stores: kept server-side and used at most once.

A preview (``/deadline apply``, a trigger move, cancelling a trigger's dependents) is written
to ``pending_confirmations`` with a random token; the button carries only the token, because
a button on an ephemeral message may come back without the message: Slack does not always send it
back.

*Confirm* claims the token with ``UPDATE ... SET used_at = now WHERE token = ? AND used_at IS
NULL`` inside the same unit of work that stores the deadlines. Two clicks racing each other
(or two Clerk processes handling them) meet at that row: on PostgreSQL the second UPDATE waits
for the first transaction and then matches no row; on SQLite the writers queue at
``BEGIN IMMEDIATE``. Either way exactly one click stores anything, and if storing fails the
claim rolls back with it, so the button still works.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.errors import Conflict, NotFound, PermissionDenied
from bot.permissions import Actor
from storage.models import PendingConfirmation

PREVIEW_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """A pending preview as *Confirm* found it. ``fresh`` is False when it was already used."""

    token: str
    kind: str
    payload: dict[str, Any]
    fresh: bool
    result: dict[str, Any] | None


def create(
    session: Session, *, kind: str, actor: Actor, payload: dict[str, Any], now: datetime
) -> str:
    """Store what the preview's *Confirm* button will act on; returns the button's token."""
    token = secrets.token_urlsafe(24)
    session.add(
        PendingConfirmation(
            token=token,
            kind=kind,
            user_slack_id=actor.slack_id,
            payload=payload,
            created_at=now,
            expires_at=now + PREVIEW_TTL,
        )
    )
    session.flush()
    return token


def claim(session: Session, *, token: str, kind: str, actor: Actor, now: datetime) -> Claim:
    """Take the preview for this click; a used one comes back with ``fresh=False``."""
    row = session.scalars(
        select(PendingConfirmation).where(PendingConfirmation.token == token)
    ).first()
    if row is None or row.kind != kind:
        raise NotFound("That button no longer matches anything Clerk has: run the command again.")
    if row.user_slack_id != actor.slack_id:
        raise PermissionDenied(
            f"Only <@{row.user_slack_id}>, who asked for this preview, can answer it."
        )
    if row.used_at is None and row.expires_at <= now:
        raise Conflict(
            "This preview is more than a day old, so its dates may be stale: run the command "
            "again for a fresh one. Nothing was stored."
        )
    won = session.execute(
        update(PendingConfirmation)
        .where(PendingConfirmation.token == token, PendingConfirmation.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount == 1:
        return Claim(token, row.kind, dict(row.payload), True, None)
    session.expire(row)
    current = session.scalars(
        select(PendingConfirmation).where(PendingConfirmation.token == token)
    ).one()
    return Claim(token, current.kind, dict(current.payload), False, current.result)


def record_result(session: Session, token: str, result: dict[str, Any]) -> None:
    """What the click did, so a second click can say so instead of storing again."""
    session.execute(
        update(PendingConfirmation)
        .where(PendingConfirmation.token == token)
        .values(result=result)
        .execution_options(synchronize_session=False)
    )
