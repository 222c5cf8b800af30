"""Client-facing notices in Slack: ``/balance notice CLIENT``, and the notice under each
client's entry in the morning's stage-change DM (``handlers.billing.collections_views``).

A notice comes from ``bot.billing.notices`` already escaped for Slack mrkdwn, and is shown
in a code block for the lawyer to copy; Clerk never writes to clients.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.billing import notices
from bot.billing import statement as billing_statement
from bot.billing.collections import StageChange
from bot.billing.money_changes import outstanding_of
from bot.clerk import Clerk
from bot.clients.lookup import get_client
from bot.errors import InvalidInput
from bot.money import Stage
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply

NOTICE_USAGE = "/balance notice CLIENT"
CODE_BLOCK_ROOM = 2900  # a section holds 3,000 characters, the fences included


def _firm_name(clerk: Clerk, session: Session) -> str:
    return str(clerk.firm.get("firm_name", session) or "") or "our firm"


# --- /balance notice CLIENT ---------------------------------------------------------------


def notice(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    billing_statement.require_balance_access(actor)
    if len(request.words) != 2:
        raise InvalidInput("Say which client, e.g. `/balance notice ACME`.", usage=NOTICE_USAGE)
    today, home = clerk.today(), clerk.settings.currency
    book = notices.load_notices(clerk.settings.templates_dir)
    with clerk.db.reading() as session:
        client = get_client(session, request.words[1])
        billing_statement.may_see(actor, client)
        firm = _firm_name(clerk, session)
        found = notices.notices_for(session, book, [client.id], as_of=today, firm=firm, home=home)
        owed = outstanding_of(session, client.id)
        code = client.code
    filled = found.get(client.id)
    if filled is None:
        if owed <= 0:
            return blocks.success(f"{code} owes nothing, so there is no notice to send.")
        return blocks.success(
            f"{code}'s account is current (stage 0): the first notice, a reminder, comes "
            "with stage 1. `/balance " + code + "` shows what it owes."
        )
    return notice_message(code, filled, firm_set=firm != "our firm")


def notice_message(code: str, filled: notices.FilledNotice, *, firm_set: bool) -> blocks.Message:
    stage = notices.STAGE_NAMES[filled.stage]
    rows: list[blocks.Block_] = [
        blocks.header(f"Notice for {code}: stage {int(filled.stage)}, {stage}"),
        *[blocks.section(f"```{chunk}```") for chunk in _chunks(filled.text)],
    ]
    origin = f"{filled.origin} template {notices.file_name(filled.stage)}"
    hints = [f"For you to send: Clerk never writes to clients · {origin} · only you see this"]
    if not firm_set:
        hints.append("`/clerk settings firm_name NAME` puts the firm's name in notices")
    rows.append(blocks.context(*hints))
    return blocks.message(f"Notice for {code} (stage {int(filled.stage)}, {stage})", rows)


def _chunks(text: str) -> list[str]:
    """The notice in pieces that fit a section each, split between lines."""
    text = text.replace("```", "'''")
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > CODE_BLOCK_ROOM:
            pieces.append(line[:CODE_BLOCK_ROOM])
            line = line[CODE_BLOCK_ROOM:]
        if current and len(current) + len(line) + 1 > CODE_BLOCK_ROOM:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*pieces, current] if current else pieces or [" "]


# --- the morning's stage-change DM ------------------------------------------------------


def stage_notices(clerk: Clerk, session: Session, changes: Sequence[StageChange]) -> dict[int, str]:
    """Each changed client's notice for its new stage (stage 1 and up, money owed)."""
    ids = [c.client_id for c in changes if c.to_stage >= Stage.REMINDER]
    book = notices.load_notices(clerk.settings.templates_dir)
    found = notices.notices_for(
        session,
        book,
        ids,
        as_of=clerk.today(),
        firm=_firm_name(clerk, session),
        home=clerk.settings.currency,
    )
    return {client_id: filled.text for client_id, filled in found.items()}


def with_notice(rows: list[blocks.Block_], notice_text: str | None, code: str) -> None:
    """Put the client's notice under its entry's first line, to copy and send."""
    if not notice_text or not rows or rows[0].get("type") != "section":
        return
    text = rows[0]["text"]["text"]
    room = 2950 - len(text) - len("\n*Notice to send:*\n``````")
    body = notice_text.replace("```", "'''")
    if len(body) > room:
        body = body[: max(room - 60, 0)].rstrip() + f"\n… (all of it: /balance notice {code})"
    rows[0]["text"]["text"] = f"{text}\n*Notice to send:*\n```{body}```"
