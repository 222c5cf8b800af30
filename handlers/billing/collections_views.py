"""The 08:30 collections DM: one per person per morning, listing each client whose
collections stage changed overnight that they are told of (their own clients; for partners
and admins the accounts reaching stage 3 or 4, ``bot.billing.stage_recipients``); and the
admins' note when the first run only records.

A lawyer with a dozen clients moving stage on a month-end reads one message, not a dozen.
Each client keeps the lines its own DM had (``handlers.billing.views.stage_change_payload``):
what changed and why, and who changed it. Two blocks a client within Slack's 50: past 24
clients the DM says how many more there are, and ``/balance overdue`` lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.billing.collections import StageChange
from handlers.billing.credit import with_notice
from handlers.billing.views import stage_change_payload
from handlers.kernel import blocks

# The outbox kind of the morning's gathered DM (a stage changed by a command is still told
# at once, as ``stage_change``), and of the admins' note on the first run.
OUTBOX_KIND = "collections"
FIRST_RUN_KIND = "collections_start"
MAX_CLIENTS = (blocks.MAX_BLOCKS_MESSAGE - 2) // 2


def outbox_key(slack_id: str, day: str) -> str:
    """``collections:{slack_id}:{YYYY-MM-DD}``: one a lawyer a morning."""
    return f"collections:{slack_id}:{day}"


def collections_message(
    changes: Sequence[StageChange],
    day: str,
    *,
    reader: str | None = None,
    notices: Mapping[int, str] | None = None,
) -> blocks.Message:
    """The DM: each client whose stage changed, raised ones first. Said "of your clients"
    when ``reader`` is the responsible lawyer of every one of them (or is not given). Each
    client's entry carries its client-facing notice (``notices``, by client id) to send."""
    ordered = sorted(changes, key=lambda c: (not c.raised, -int(c.to_stage), c.client_code))
    rows: list[blocks.Block_] = []
    for change in ordered[:MAX_CLIENTS]:
        entry = list(stage_change_payload(change)["blocks"])  # type: ignore[call-overload]
        with_notice(entry, (notices or {}).get(change.client_id), change.client_code)
        rows += entry
    count = len(changes)
    own = reader is None or all(c.lawyer_slack_id == reader for c in changes)
    if own:
        clients = f"{count} of your clients" if count != 1 else "1 of your clients"
    else:
        clients = f"{count} clients" if count != 1 else "1 client"
    lead = blocks.section(f":bell: *Collections, {day}*: {clients} changed stage.")
    more = count - min(count, MAX_CLIENTS)
    tail = [blocks.context(f"…and {more} more: `/balance overdue` lists them all.")] if more else []
    if count == 1:
        text = str(stage_change_payload(changes[0])["text"])
    else:
        text = f"Collections: {clients} changed stage"
    return blocks.message(blocks.truncate(text, 300), lead, rows, tail)


def first_run_note(recorded: int) -> blocks.Message:
    """To each admin, once: the first run on the firm's data recorded without telling."""
    accounts = f"{recorded} account{'s' if recorded != 1 else ''}"
    text = (
        f"Clerk recorded the collections stage of {accounts} as their starting point, "
        "without telling their lawyers: this is the first run on the firm's data."
    )
    return blocks.message(
        text,
        blocks.section(f":clipboard: {text}"),
        blocks.context(
            "From the next working morning each responsible lawyer gets one DM listing their "
            "clients whose stage changed. `/balance overdue` shows where every account stands."
        ),
    )
