"""What a form or a button hands back to Clerk, sealed so it comes back as Clerk wrote it.

A modal's ``private_metadata`` travels through the person's Slack client and returns with the
submission: which deadline a *Reassign* form is about, which overdue post a note goes under,
which Slack message a contact was logged from. Slack signs the request, not what is in it,
so Clerk signs what it needs back (an HMAC keyed from the signing secret) and refuses a form
whose metadata it did not write. Nothing is stored for it; the seal is the check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from bot.clerk import Clerk
from bot.errors import InvalidInput

# Shown under the form's first field, where Slack allows 150 characters.
STALE = (
    "That form is not as Clerk opened it, so nothing was saved. Open it again from "
    "Clerk's message or command."
)
_PURPOSE = b"clerk sealed form data v1"
_MAC_CHARS = 32  # 128 bits of SHA-256, in hex


def _key(clerk: Clerk) -> bytes:
    """A key for this purpose only, derived from the app's signing secret (the bot token
    in Socket Mode, where there may be none): a seal is never a valid Slack signature."""
    settings = clerk.settings
    secret = settings.slack_signing_secret or settings.slack_bot_token or ""
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def _mac(clerk: Clerk, body: str) -> str:
    return hmac.new(_key(clerk), body.encode(), hashlib.sha256).hexdigest()[:_MAC_CHARS]


def seal(clerk: Clerk, data: dict[str, Any]) -> str:
    """``data`` as JSON with Clerk's seal in front: ``MAC.{...}``."""
    body = json.dumps(data, separators=(",", ":"), sort_keys=True)
    return f"{_mac(clerk, body)}.{body}"


def unseal(clerk: Clerk, text: str | None) -> dict[str, Any]:
    """What :func:`seal` wrapped; InvalidInput for anything Clerk did not seal itself."""
    mac, _, body = (text or "").partition(".")
    if not body or not hmac.compare_digest(mac.encode(), _mac(clerk, body).encode()):
        raise InvalidInput(STALE)
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise InvalidInput(STALE) from exc
    if not isinstance(data, dict):
        raise InvalidInput(STALE)
    return data
