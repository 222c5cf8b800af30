"""The overdue list and the billing channel's overdue post, with its three buttons.

Pure builders. ``overdue_post`` is the 08:30 job's post (each account with *Log contact*,
*Mark disputed* and *Next stage*, whose value is ``{"client_id": N}``); ``with_note`` is how
``handlers.billing.balances`` records an action under the account after its form is submitted.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Collection, Sequence
from datetime import date
from enum import StrEnum

from bot.billing.aged_accounts import AccountAging
from bot.dates.format import format_day
from handlers.billing.money_text import aging_line, fmt, in_words, stage_text
from handlers.kernel import blocks

PER_PAGE = 20
# The outbox kind of the billing channel's morning post: what its buttons check they were
# pressed on before a note is added to it (``handlers.billing.balances``).
POST_KIND = "overdue_accounts"


class MoneyAction(StrEnum):
    OVERDUE_PAGE = "balance_overdue_page"
    LOG_CONTACT = "overdue_log_contact"
    MARK_DISPUTED = "overdue_mark_disputed"
    NEXT_STAGE = "overdue_next_stage"


# --- /balance overdue and the billing post ------------------------------------------------


def account_block(
    account: AccountAging, home: str, *, review_overdue: bool = False
) -> blocks.Block_:
    """One overdue account as a section: who, how much, how old, what stage; and whether a
    dispute on it is past its review date (a dispute must not pause collections forever)."""
    if account.oldest_days_overdue:
        age = f"oldest {account.oldest_days_overdue} days"
    elif account.on_plan:
        age = "on a payment plan, up to date"
    else:
        age = "overdue only in dispute"
    extra = ""
    if account.disputed_cents:
        extra += f" · {fmt(account.disputed_cents, account.currency, home)} disputed"
    if account.on_plan and account.oldest_days_overdue:
        extra += " · on a payment plan"
    if review_overdue:
        extra += " · :warning: *dispute review overdue*"
    text = (
        f"*{account.client_code}* {blocks.escape(blocks.truncate(account.client_name, 80))} · "
        f"{blocks.mention(account.lawyer_slack_id)}\n{in_words(account, home)} · {age} · "
        f"*{stage_text(account.stage)}*{extra}\n{aging_line(account, home)}"
    )
    return blocks.section(text)


def overdue_page(
    found: Sequence[AccountAging],
    *,
    page: int,
    as_of: date,
    home: str,
    whole_firm: bool,
    per_page: int = PER_PAGE,
) -> blocks.Message:
    """One page of the overdue list (Slack allows 50 blocks), with Previous / Next buttons."""
    title = "Overdue accounts" if whole_firm else "Your clients' overdue accounts"
    if not found:
        text = f"{title}: none as of {format_day(as_of)}."
        return blocks.message(text, blocks.section(f":tada: {text}"))
    pages = max(1, -(-len(found) // per_page))
    page = min(max(page, 1), pages)
    shown = found[(page - 1) * per_page : page * per_page]
    totals: dict[str, int] = {}
    for account in found:
        totals[account.currency] = totals.get(account.currency, 0) + account.overdue_cents
    total_text = ", ".join(fmt(c, cur, home) for cur, c in sorted(totals.items()))
    suffix = f" (page {page}/{pages})" if pages > 1 else ""
    summary = (
        f"{len(found)} overdue account{'s' if len(found) != 1 else ''} · {total_text} overdue "
        f"· as of {format_day(as_of)} · worst first"
    )
    rows: list[blocks.Block_] = [blocks.header(title + suffix), blocks.context(summary)]
    rows += [account_block(a, home) for a in shown]
    nav = []
    if page > 1:
        nav.append(blocks.button("Previous", MoneyAction.OVERDUE_PAGE, {"p": page - 1}))
    if page < pages:
        nav.append(blocks.button("Next page", MoneyAction.OVERDUE_PAGE, {"p": page + 1}))
    if nav:
        rows.append(blocks.actions(*nav, block_id="overdue-pages"))
    lines = "; ".join(f"{a.client_code} {fmt(a.overdue_cents, a.currency, home)}" for a in shown)
    return blocks.message(f"{title}{suffix}: {summary}. {lines}", rows)


def overdue_buttons(client_id: int) -> blocks.Block_:
    """*Log contact*, *Mark disputed*, *Next stage* for one account of the billing post.

    Each button's value is ``{"client_id": N}``; ``handlers.billing.balances`` answers them.
    """
    value = {"client_id": client_id}
    return blocks.actions(
        blocks.button("Log contact", MoneyAction.LOG_CONTACT, value),
        blocks.button("Mark disputed", MoneyAction.MARK_DISPUTED, value),
        blocks.button("Next stage", MoneyAction.NEXT_STAGE, value, style="danger"),
        block_id=f"overdue-actions-{client_id}",
    )


MAX_POSTED = 60  # accounts in the morning post; the rest are one command away
POST_ACCOUNTS_PER_MESSAGE = 22  # two blocks each, under Slack's 50 with the header


def overdue_post(
    found: Sequence[AccountAging],
    *,
    as_of: date,
    home: str,
    limit: int = MAX_POSTED,
    totals: dict[str, int] | None = None,
    review_overdue: Collection[int] = frozenset(),
) -> list[blocks.Message]:
    """The billing channel's overdue post: each account with *Log contact*, *Mark disputed*
    and *Next stage* under it, worst first, split into messages that fit Slack's limits.

    ``totals``: overdue cents by currency over all of ``found``, when the caller has them.
    The 08:30 job passes ``aged_accounts(...).worst_first()``, which builds an account only
    when it is read, and its ``totals()``, so only the accounts shown here are built.
    ``review_overdue``: the clients with a dispute past its review date.
    """
    if not found:
        return []
    if totals is None:
        totals = {}
        for account in found:
            totals[account.currency] = totals.get(account.currency, 0) + account.overdue_cents
    total_text = ", ".join(fmt(c, cur, home) for cur, c in sorted(totals.items()))
    shown = list(found[:limit])
    chunks = [
        shown[i : i + POST_ACCOUNTS_PER_MESSAGE]
        for i in range(0, len(shown), POST_ACCOUNTS_PER_MESSAGE)
    ]
    title = f"Overdue accounts · {format_day(as_of)}"
    summary = (
        f"{len(found)} overdue account{'s' if len(found) != 1 else ''} · {total_text} overdue "
        "· worst first"
    )
    messages = []
    for number, chunk in enumerate(chunks, start=1):
        suffix = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        rows: list[blocks.Block_] = [blocks.header(title + suffix)]
        if number == 1:
            rows.append(blocks.context(summary))
        for account in chunk:
            late = account.client_id in review_overdue
            rows += [
                account_block(account, home, review_overdue=late),
                overdue_buttons(account.client_id),
            ]
        if number == len(chunks) and len(found) > len(shown):
            rows.append(
                blocks.context(
                    f"… and {len(found) - len(shown)} more: `/balance overdue` lists them all."
                )
            )
        codes = ", ".join(a.client_code for a in chunk)
        messages.append(blocks.Message(text=f"{title}{suffix}: {summary}. {codes}", blocks=rows))
    return messages


def with_note(rows: Sequence[blocks.Block_], client_id: int, note: str) -> list[blocks.Block_]:
    """The overdue post with ``note`` added under the account's buttons.

    Notes for one account gather in one context block (the last ten are kept); the account is
    found by the ``client_id`` in its buttons' values, and a post without them gets the note
    at the end.
    """
    updated = copy.deepcopy(list(rows))
    note_id = f"overdue-note-{client_id}"
    for block in updated:
        if block.get("block_id") == note_id:
            elements = [*block.get("elements", []), blocks.mrkdwn(note)]
            block["elements"] = elements[-blocks.MAX_CONTEXT_ELEMENTS :]
            return updated
    at = len(updated)
    for index, block in enumerate(updated):
        if _names_client(block, client_id):
            at = index + 1
            break
    context = blocks.context(note)
    context["block_id"] = note_id
    updated.insert(at, context)
    return updated[: blocks.MAX_BLOCKS_MESSAGE]


def _names_client(block: blocks.Block_, client_id: int) -> bool:
    elements = list(block.get("elements") or [])
    if block.get("accessory"):
        elements.append(block["accessory"])
    for element in elements:
        if not isinstance(element, dict) or element.get("type") != "button":
            continue
        try:
            value = json.loads(element.get("value") or "")
        except ValueError:
            continue
        if isinstance(value, dict) and value.get("client_id") == client_id:
            return True
    return False
