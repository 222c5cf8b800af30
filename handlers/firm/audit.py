"""``/clerk audit CLIENT|MATTER``: the change history an admin needs to answer "who did this"."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App

from bot.clerk import Clerk
from bot.clients.audit_trail import audit_trail
from bot.dates.format import format_stamp
from bot.errors import InvalidInput
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply
from storage.models import AuditLog

MAX_CHANGE_TEXT = 600


def _describe(entry: AuditLog) -> str:
    changes: dict[str, Any] = entry.after or {}
    if entry.action == "update" and entry.before is not None:
        parts = [f"{key}: {entry.before.get(key)!s} → {value!s}" for key, value in changes.items()]
        text = "; ".join(parts)
    else:
        shown = {k: v for k, v in changes.items() if v not in (None, "", {}, [])}
        text = json.dumps(shown, ensure_ascii=False, default=str)
    return blocks.truncate(blocks.escape(text), MAX_CHANGE_TEXT)


def run_audit(request: CommandRequest) -> Reply:
    words = request.text.split()
    if len(words) != 2:
        raise InvalidInput("Usage: /clerk audit CLIENT|MATTER", usage="e.g. /clerk audit ACME-1")
    with request.clerk.db.reading() as session:
        title, entries = audit_trail(session, actor=request.actor, code=words[1])
    zone = request.clerk.settings.tz
    rows = [
        blocks.section(
            f"*{format_stamp(entry.at.astimezone(zone))}* · "
            f"{blocks.mention(entry.actor) if entry.actor.startswith(('U', 'W')) else entry.actor}"
            f" · {entry.action} {entry.entity} #{entry.entity_id}\n{_describe(entry)}"
        )
        for entry in entries
    ]
    if not rows:
        rows = [blocks.section("_No recorded changes._")]
    return blocks.paginate(
        f"Audit trail: {title}",
        rows,
        lead=[blocks.context(f"{len(entries)} change(s), newest first. Visible only to you.")],
    )


def register(app: App, clerk: Clerk) -> None:
    clerk.admin_subcommands["audit"] = run_audit
