"""Messages for ``/balance``, ``/invoice`` and ``/payment``, and the overdue post's rows.

Pure builders (no Slack I/O, no database). Money is confidential (SPEC section 1): these
messages go ephemerally to the asker, or through the outbox to the responsible lawyer.
The modals live in ``handlers.views.money_forms``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.money import Bucket, Money, Stage
from bot.rules.format import format_day
from bot.services.billing import Notice, Outcome
from bot.services.billing_payments import PaymentOutcome
from bot.services.billing_plans import PlanOutcome
from bot.services.billing_statement import InvoiceDetail, Statement
from bot.services.escalation import StageChange
from bot.services.receivables import AccountAging
from handlers import blocks

OVERDUE_PER_PAGE = 15  # accounts per page; each account is one section block


class MoneyAction(StrEnum):
    OVERDUE_PAGE = "overdue_page"
    LOG_CONTACT = "overdue_log_contact"
    MARK_DISPUTED = "overdue_mark_disputed"
    NEXT_STAGE = "overdue_next_stage"


def fmt(cents: int, currency: str, home: str = "USD") -> str:
    """``$12,500.00`` in the firm's currency, ``EUR 900.00`` in any other."""
    return Money(cents, currency).format(home)


def stage_text(stage: Stage | int) -> str:
    stage = Stage(stage)
    return f"stage {int(stage)} ({stage.label})"


def bucket_line(account: AccountAging, home: str) -> str:
    return "  ·  ".join(
        f"{bucket.label}: {fmt(account.buckets.get(bucket, 0), account.currency, home)}"
        for bucket in Bucket
    )


def _who(actor: str) -> str:
    return "Clerk (daily check)" if actor == "system" else blocks.mention(actor)


# --- /balance CLIENT -----------------------------------------------------------------------


def balance_message(statement: Statement, home: str, tz: ZoneInfo | None = None) -> blocks.Message:
    """Outstanding, aging, trust and retainer, credit limit, plan, stage and history."""
    client = statement.client
    cur = client.currency
    title = f"{client.code} · {client.name}"
    rows: list[blocks.Block_] = [blocks.header(blocks.truncate(f"Balance: {title}", 150))]
    owed = statement.owed(cur)
    if not statement.accounts:
        rows.append(blocks.section(f"*{blocks.escape(client.name)}* owes nothing."))
    for account in statement.accounts:
        line = f"*Outstanding {fmt(account.total_cents, account.currency, home)}*"
        if account.overdue_cents:
            line += f" · {fmt(account.overdue_cents, account.currency, home)} overdue"
            if account.oldest_days_overdue:
                line += f" (oldest {account.oldest_days_overdue} days)"
        if account.disputed_cents:
            line += (
                f" · {fmt(account.disputed_cents, account.currency, home)} disputed"
                " (not escalating)"
            )
        rows.append(blocks.section(line))
        rows.append(blocks.context(f"Aging: {bucket_line(account, home)}"))
    rows.extend(blocks.fields(_facts(statement, home, owed)))
    if statement.invoices:
        rows.append(blocks.section(_invoice_lines(statement, home)))
    if statement.plan is not None:
        rows.append(blocks.section(plan_text(statement, home)))
    rows.append(blocks.section(_history(statement, tz)))
    text = f"{title}: outstanding {fmt(owed, cur, home)}; {stage_text(statement.stage)}"
    return blocks.message(text, rows)


def _facts(statement: Statement, home: str, owed: int) -> list[tuple[str, str]]:
    client = statement.client
    cur = client.currency
    trust = statement.trust.get(cur, 0)
    credit = statement.credit.get(cur, 0)
    facts: list[tuple[str, str]] = [("*Trust (retainer) held*", fmt(trust, cur, home))]
    if credit:
        facts.append(("*Credit on account*", fmt(credit, cur, home)))
    limit = client.credit_limit_cents
    if limit is not None:
        used = max(0, owed - credit)
        text = f"{fmt(used, cur, home)} used of {fmt(limit, cur, home)}"
        if used > limit:
            text += f"\n:warning: {fmt(used - limit, cur, home)} over the limit"
        facts.append(("*Credit limit*", text))
    else:
        facts.append(("*Credit limit*", "none set"))
    required = client.retainer_required_cents
    if required:
        text = f"{fmt(trust, cur, home)} held of {fmt(required, cur, home)} required"
        if trust < required:
            text += f"\n:warning: {fmt(required - trust, cur, home)} short"
        facts.append(("*Retainer*", text))
    last = statement.last_payment
    if last is not None:
        paid = f"{fmt(last.amount_cents, last.currency, home)} on {format_day(last.received_on)}"
        facts.append(("*Last payment*", paid + (" (trust deposit)" if last.is_trust else "")))
    else:
        facts.append(("*Last payment*", "none recorded"))
    facts.append(("*Escalation*", stage_text(statement.stage)))
    facts.append(("*Responsible lawyer*", blocks.mention(statement.lawyer_slack_id)))
    return facts


def _invoice_lines(statement: Statement, home: str) -> str:
    lines = []
    for inv in statement.invoices:
        status = "current" if inv.days_overdue <= 0 else f"{inv.days_overdue} days overdue"
        notes = []
        if inv.disputed:
            notes.append(f"disputed: {blocks.escape(inv.dispute_reason or '')}")
        if inv.on_plan:
            notes.append("on the plan")
        matter = f" ({inv.matter_code})" if inv.matter_code else ""
        tail = f" · {'; '.join(notes)}" if notes else ""
        lines.append(
            f"• {inv.number}{matter}: {fmt(inv.outstanding_cents, inv.currency, home)} of "
            f"{fmt(inv.amount_cents, inv.currency, home)}, due {format_day(inv.due_on)}, "
            f"{status}{tail}"
        )
    more = statement.open_invoices - len(statement.invoices)
    if more > 0:
        lines.append(f"… and {more} more open invoice(s)")
    return blocks.truncate("*Open invoices*\n" + "\n".join(lines), blocks.MAX_SECTION_TEXT)


def plan_text(statement: Statement, home: str) -> str:
    progress = statement.plan
    assert progress is not None
    plan = progress.plan
    cur = plan.currency
    total = sum(i.amount_cents for i in progress.installments)
    every = "weekly" if plan.frequency.value == "week" else "monthly"
    text = (
        f"*Payment plan* ({every} from {format_day(plan.starts_on)}): "
        f"{fmt(progress.paid_cents, cur, home)} paid of {fmt(total, cur, home)} "
        f"in {len(progress.installments)} installments"
    )
    if progress.next_due is not None:
        text += (
            f"\nNext installment #{progress.next_due.number}: "
            f"{fmt(progress.next_due.amount_cents, cur, home)} due "
            f"{format_day(progress.next_due.due_on)}"
        )
    if progress.behind_cents:
        late = ", ".join(f"#{n}" for n in progress.late_numbers)
        text += f"\n:warning: Behind by {fmt(progress.behind_cents, cur, home)} (late: {late})"
    return text


def _history(statement: Statement, tz: ZoneInfo | None) -> str:
    if not statement.events:
        return "*Stage history*\nNo stage changes recorded."
    lines = []
    for event in statement.events:
        at = event.at.astimezone(tz) if tz is not None else event.at
        lines.append(
            f"• {format_day(at.date())}: {stage_text(event.from_stage)} → "
            f"*{stage_text(event.to_stage)}*, {blocks.escape(event.reason)} "
            f"({_who(event.actor)}{', set by hand' if event.manual else ''})"
        )
    return blocks.truncate("*Stage history*\n" + "\n".join(lines), blocks.MAX_SECTION_TEXT)


# --- /balance overdue ------------------------------------------------------------------


def account_block(account: AccountAging, home: str) -> blocks.Block_:
    """One overdue account: client, lawyer, amounts, age, stage and buckets."""
    cur = account.currency
    extras = []
    if account.disputed_cents:
        extras.append(f"{fmt(account.disputed_cents, cur, home)} disputed")
    if account.on_plan:
        behind = account.plan_behind_cents
        extras.append(
            f"on a payment plan, {fmt(behind, cur, home)} behind" if behind else "on a payment plan"
        )
    age = f", oldest {account.oldest_days_overdue} days" if account.oldest_days_overdue else ""
    tail = f" · {'; '.join(extras)}" if extras else ""
    return blocks.section(
        f"*{account.client_code}* {blocks.escape(account.client_name)} · "
        f"{blocks.mention(account.lawyer_slack_id)}\n"
        f"*{fmt(account.overdue_cents, cur, home)} overdue* of "
        f"{fmt(account.total_cents, cur, home)}{age} · {stage_text(account.stage)}{tail}\n"
        f"{bucket_line(account, home)}",
        block_id=f"overdue_account:{account.client_id}:{cur}",
    )


def overdue_buttons(client_id: int) -> blocks.Block_:
    value = json.dumps({"client_id": client_id}, separators=(",", ":"))
    return blocks.actions(
        blocks.button("Log contact", MoneyAction.LOG_CONTACT, value),
        blocks.button("Mark disputed", MoneyAction.MARK_DISPUTED, value),
        blocks.button("Next stage", MoneyAction.NEXT_STAGE, value),
        block_id=f"overdue_buttons:{client_id}",
    )


def with_note(rows: Sequence[blocks.Block_], client_id: int, note: str) -> list[blocks.Block_]:
    """The post's blocks with ``note`` added under that client's buttons (or at the end)."""
    found = [dict(b) for b in rows]
    note_block = blocks.context(note)
    at = next(
        (i for i, b in enumerate(found) if b.get("block_id") == f"overdue_buttons:{client_id}"),
        None,
    )
    if at is None:
        found.append(note_block)
    else:
        found.insert(at + 1, note_block)
    return found[: blocks.MAX_BLOCKS_MESSAGE]


def overdue_page(
    accounts: Sequence[AccountAging],
    *,
    page: int,
    as_of: date,
    home: str,
    whole_firm: bool,
) -> blocks.Message:
    """One page of the overdue list, worst first, with buttons to the other pages."""
    scope = "every client" if whole_firm else "your clients"
    if not accounts:
        return blocks.success(f"No overdue accounts among {scope} as of {format_day(as_of)}.")
    totals: dict[str, int] = {}
    for account in accounts:
        totals[account.currency] = totals.get(account.currency, 0) + account.overdue_cents
    summary = ", ".join(fmt(c, cur, home) for cur, c in sorted(totals.items()))
    lead = [
        blocks.context(
            f"{len(accounts)} overdue account(s) among {scope} as of {format_day(as_of)}, "
            f"worst first · {summary} overdue"
        )
    ]
    pages = blocks.paginate(
        "Overdue accounts",
        [account_block(a, home) for a in accounts],
        lead=lead,
        fallback=f"Overdue accounts: {len(accounts)}, {summary} overdue",
        per_page=OVERDUE_PER_PAGE,
    )
    number = min(max(page, 1), len(pages))
    shown = pages[number - 1]
    if len(pages) == 1:
        return shown
    nav = []
    if number > 1:
        nav.append(_page_button("◀ Previous", number - 1))
    if number < len(pages):
        nav.append(_page_button("Next ▶", number + 1))
    # One button per actions block: Slack wants action ids unique within a block.
    rows = [
        *shown.blocks,
        blocks.context(f"Page {number} of {len(pages)}"),
        *(blocks.actions(b) for b in nav),
    ]
    return blocks.Message(text=shown.text, blocks=rows)


def _page_button(label: str, page: int) -> blocks.Block_:
    value = json.dumps({"p": page}, separators=(",", ":"))
    return blocks.button(label, MoneyAction.OVERDUE_PAGE, value)


# --- receipts of money commands --------------------------------------------------------


def _changes(outcome: Outcome) -> list[str]:
    return [
        f"{c.client_code}: {stage_text(c.from_stage)} → {stage_text(c.to_stage)} ({c.reason})."
        for c in outcome.changes
    ]


def receipt(headline: str, details: Sequence[str], outcome: Outcome, home: str) -> blocks.Message:
    """What a money command did: the headline, what follows, warnings the lawyer was sent."""
    client = outcome.client
    lines = [*details, *_changes(outcome)]
    lines.append(f"{client.code} now owes {fmt(outcome.outstanding_cents, client.currency, home)}.")
    rows: list[blocks.Block_] = [
        blocks.section(f":white_check_mark: {blocks.escape(headline)}"),
        blocks.context(*[blocks.escape(line) for line in lines[:10]]),
    ]
    for notice in outcome.notices:
        told = (
            f"{blocks.mention(notice.target)} has been told."
            if notice.target
            else f"{client.code} has no responsible lawyer to tell."
        )
        rows.append(blocks.section(f":warning: {blocks.escape(notice.text)} {told}"))
    text = " ".join([headline, *(n.text for n in outcome.notices)])
    return blocks.message(text, rows)


def payment_details(outcome: PaymentOutcome, home: str) -> list[str]:
    payment = outcome.payment
    assert payment is not None
    cur = payment.currency
    code = outcome.client.code
    if payment.is_trust:
        return [
            f"Held in trust for {code}, not applied to invoices; "
            f"{code} now holds {fmt(outcome.trust_cents, cur, home)} in trust."
        ]
    details = []
    if outcome.applications:
        details.append(
            "Applied: "
            + ", ".join(
                f"{fmt(a.applied_cents, cur, home)} to {a.key}" for a in outcome.applications
            )
            + "."
        )
    else:
        details.append("There was no undisputed open invoice to apply it to.")
    if outcome.unapplied_cents:
        details.append(
            f"{fmt(outcome.unapplied_cents, cur, home)} more than was owed is kept as credit "
            f"({fmt(outcome.credit_cents, cur, home)} credit on account)."
        )
    if outcome.disputed_invoice and outcome.invoice is not None:
        details.append(f"Invoice {outcome.invoice.number} is still marked disputed.")
    return details


def plan_details(outcome: PlanOutcome, home: str) -> list[str]:
    plan = outcome.plan
    assert plan is not None
    cur = plan.currency
    shown = outcome.installments[:6]
    details = [
        "Installments: "
        + ", ".join(
            f"#{i.number} {format_day(i.due_on)} {fmt(i.amount_cents, cur, home)}" for i in shown
        )
        + (
            f" … and {len(outcome.installments) - len(shown)} more"
            if len(outcome.installments) > 6
            else ""
        )
        + ".",
        f"Covers invoice(s) {', '.join(outcome.covered)}; "
        "while the plan is kept up, they do not escalate.",
    ]
    if outcome.left_out_disputed:
        details.append(
            f"{fmt(outcome.left_out_disputed, cur, home)} of disputed invoices is not on the plan."
        )
    return details


def notice_payload(notice: Notice, *, by: str, client_code: str) -> dict[str, Any]:
    """The responsible lawyer's DM (credit limit or retainer warning), through the outbox."""
    body = blocks.message(
        notice.text,
        [
            blocks.section(f":warning: {blocks.escape(notice.text)}"),
            blocks.context(
                f"Recorded by {blocks.mention(by)}. `/balance {client_code}` shows the account."
            ),
        ],
    )
    return body.payload()


def stage_change_payload(change: StageChange) -> dict[str, Any]:
    """The lawyer's DM when one of their clients changes collection stage."""
    text = (
        f"{change.client_code} ({change.client_name}) moved from {stage_text(change.from_stage)} "
        f"to {stage_text(change.to_stage)}: {change.reason}"
    )
    body = blocks.message(
        text,
        [
            blocks.section(f":moneybag: {blocks.escape(text)}"),
            blocks.context(
                f"By {_who(change.actor)}. `/balance {change.client_code}` shows the account."
            ),
        ],
    )
    return body.payload()


def invoice_message(found: InvoiceDetail, home: str) -> blocks.Message:
    """``/invoice NUMBER``: the invoice, what was paid on it, and its state."""
    inv = found.invoice
    cur = inv.currency
    status = inv.status.value
    if inv.status.value == "void":
        status = f"void: {inv.void_reason}"
    elif inv.disputed:
        status = f"disputed: {inv.dispute_reason}"
    elif found.outstanding_cents == 0:
        status = "paid"
    elif inv.due_on < found.as_of:
        status = f"{(found.as_of - inv.due_on).days} days overdue"
    facts = [
        ("*Client*", f"{found.client.code} · {blocks.escape(found.client.name)}"),
        ("*Matter*", found.matter_code or "none"),
        ("*Amount*", fmt(inv.amount_cents, cur, home)),
        ("*Outstanding*", fmt(found.outstanding_cents, cur, home)),
        ("*Issued*", format_day(inv.issued_on)),
        ("*Due*", format_day(inv.due_on)),
        ("*Status*", blocks.escape(status)),
    ]
    rows: list[blocks.Block_] = [blocks.header(f"Invoice {inv.number}"), *blocks.fields(facts)]
    if found.payments:
        lines = [
            f"• {format_day(p.received_on)}: {fmt(p.applied_cents, cur, home)}"
            + (
                f" (of a {fmt(p.payment_cents, cur, home)} payment)"
                if p.payment_cents != p.applied_cents
                else ""
            )
            + (f", ref {blocks.escape(p.reference)}" if p.reference else "")
            for p in found.payments
        ]
        rows.append(blocks.section(blocks.truncate("*Payments*\n" + "\n".join(lines), 3000)))
    else:
        rows.append(blocks.context("No payments applied to it."))
    text = (
        f"Invoice {inv.number} ({found.client.code}): {fmt(found.outstanding_cents, cur, home)} "
        f"outstanding of {fmt(inv.amount_cents, cur, home)}; {status}"
    )
    return blocks.message(text, rows)
