"""Which of Clerk's own messages a button was pressed on, as Clerk's outbox records it.

A button's payload names the message it was pressed on (``container``, ``message``) and
carries that message's blocks. Slack signs the request, not those ids, so Clerk rewrites a
message (``chat.update``) only when its outbox says it sent that very message, of the kind
the button belongs to, and redraws it from what it sent: never from the payload's blocks.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy.orm import Session

from schedules.delivery import METADATA_TYPE
from schedules.outbox import sent_message
from storage.models import OutboxMessage


def pressed_on(body: dict[str, Any]) -> tuple[str, str]:
    """The channel and ts of the message a button was pressed on ("" when not a message
    Clerk could rewrite: an ephemeral reply has no ts of its own)."""
    container = body.get("container") or {}
    if container.get("is_ephemeral"):
        return "", ""
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts") or ""
    return str(channel), str(ts)


def outbox_key(body: dict[str, Any]) -> str | None:
    """The outbox key delivery put in the message's metadata, when Slack sent it back."""
    metadata = (body.get("message") or {}).get("metadata") or {}
    if not isinstance(metadata, dict) or metadata.get("event_type") != METADATA_TYPE:
        return None
    key = (metadata.get("event_payload") or {}).get("key")
    return key if isinstance(key, str) and key else None


def clerk_message(
    session: Session, body: dict[str, Any], *, kinds: Collection[str], key_prefix: str = ""
) -> OutboxMessage | None:
    """The outbox row of the message the button was pressed on, if Clerk sent it as one of
    ``kinds`` under a key starting with ``key_prefix`` (``reminder:42:``); else None."""
    channel, ts = pressed_on(body)
    found = sent_message(session, channel=channel, ts=ts, key=outbox_key(body), kinds=kinds)
    if found is None or not found.key.startswith(key_prefix):
        return None
    return found
