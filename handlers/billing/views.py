"""What the money commands show: balances, overdue lists, receipts, and lawyer DMs.

Pure builders (no I/O). Amounts are written with ``Money.format(home)``: a symbol only for
the firm's own currency, the ISO code otherwise, so ``$`` is never ambiguous. Every reply
here carries money, so every one is ephemeral; the overdue post is for the billing channel.
Modals are in ``handlers.billing.forms``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bot.billing.collections import StageChange
from bot.billing.money_changes import Notice, Outcome
from bot.billing.payments import PaymentOutcome
from bot.billing.plans import PlanOutcome
from bot.billing.statement import InvoiceDetail, InvoiceLine, Statement
from bot.dates.format import format_day
from bot.money import Stage
from handlers.billing.money_text import aging_line, days_text, fmt, in_words, stage_text
from handlers.kernel import blocks
from storage.models import EscalationEvent

# --- /balance CLIENT ---------------------------------------------------------------------


def balance_message(st: Statement, home: str, zone: tzinfo) -> blocks.Message:
    c = st.client
    title = f"{c.code} · {c.name}"
    cur = c.currency
    summary = " · ".join(in_words(a, home) for a in st.accounts) or "Nothing outstanding"
    summary += f" · {stage_text(st.stage)}"
    rows: list[blocks.Block_] = [
        blocks.header(blocks.truncate(title, 140)),
        blocks.section(f"*{blocks.escape(summary)}*"),
    ]
    pairs: list[tuple[str, str]] = []
    for account in st.accounts:
        label = "Aging" if len(st.accounts) == 1 else f"Aging ({account.currency})"
        pairs.append((label, aging_line(account, home).replace(" · ", "\n")))
    credit = st.credit.get(cur, 0)
    pairs.append(("Credit", fmt(credit, cur, home) if credit else "none"))
    held = st.trust.get(cur, 0)
    pairs.append(("Trust (retainer held)", fmt(held, cur, home)))
    pairs.append(("Credit limit", _limit(st, home)))
    pairs.append(("Retainer", _retainer(st, held, home)))
    pairs.append(("Payment plan", _plan(st, home)))
    pairs.append(("Collections", _stage(st)))
    pairs.append(("Last payment", _last_payment(st, home)))
    pairs.append(("Responsible lawyer", blocks.mention(st.lawyer_slack_id)))
    rows += blocks.fields(pairs)
    if st.invoices:
        more = st.open_invoices - len(st.invoices)
        listing = "\n".join(_invoice_line(line, home) for line in st.invoices)
        if more > 0:
            listing += f"\n… and {more} more (oldest shown first)"
        rows.append(blocks.section(f"*Open invoices ({st.open_invoices})*\n{listing}"))
    if st.events:
        history = "\n".join(_event(e, zone) for e in st.events)
        rows.append(blocks.section(f"*Stage history*\n{history}"))
    rows.append(blocks.context(f"As of {format_day(st.as_of)} · only you can see this reply"))
    return blocks.message(f"{blocks.escape(title)}: {summary}", rows)


def _limit(st: Statement, home: str) -> str:
    limit = st.client.credit_limit_cents
    if limit is None:
        return "none set"
    cur = st.client.currency
    used = max(0, st.owed(cur) - st.credit.get(cur, 0))
    share = f"{used * 100 // limit}%" if limit else "—"
    over = " :warning: over the limit" if used > limit else ""
    return f"{fmt(used, cur, home)} used of {fmt(limit, cur, home)} ({share}){over}"


def _retainer(st: Statement, held: int, home: str) -> str:
    required = st.client.retainer_required_cents
    cur = st.client.currency
    if not required:
        return "none required"
    if held >= required:
        return f"{fmt(required, cur, home)} required · held"
    return (
        f"{fmt(required, cur, home)} required · {fmt(held, cur, home)} held "
        f":warning: {fmt(required - held, cur, home)} short"
    )


def _plan(st: Statement, home: str) -> str:
    p = st.plan
    if p is None:
        return "none"
    cur = p.plan.currency
    every = "weekly" if p.plan.frequency.value == "week" else "monthly"
    done, running = 0, 0
    for installment in p.installments:
        running += installment.amount_cents
        done += running <= p.paid_cents
    text = (
        f"{fmt(p.paid_cents, cur, home)} of {fmt(p.plan.total_cents, cur, home)} paid "
        f"({done}/{len(p.installments)} installments, {every})"
    )
    if p.next_due is not None:
        text += (
            f"\nNext: {fmt(p.next_due.amount_cents, cur, home)} on {format_day(p.next_due.due_on)}"
        )
    if p.late_numbers:
        text += f"\n:warning: {fmt(p.behind_cents, cur, home)} behind"
    return text


def _stage(st: Statement) -> str:
    text = stage_text(st.stage)
    account = max(st.accounts, key=lambda a: a.stage, default=None)
    if account is None:
        return text
    if account.manual_floor is not None and account.stage > account.derived_stage:
        text += " (set by hand)"
    if account.on_plan and account.derived_stage is Stage.CURRENT:
        text += "\nPaused: on a payment plan and up to date"
    elif account.disputed_cents and account.derived_stage is Stage.CURRENT:
        text += "\nPaused: what is overdue is disputed"
    return text


def _last_payment(st: Statement, home: str) -> str:
    p = st.last_payment
    if p is None:
        return "none recorded"
    kind = " (trust deposit)" if p.is_trust else ""
    return f"{fmt(p.amount_cents, p.currency, home)} on {format_day(p.received_on)}{kind}"


def _invoice_line(line: InvoiceLine, home: str) -> str:
    owed = fmt(line.outstanding_cents, line.currency, home)
    if line.outstanding_cents != line.amount_cents:
        owed += f" of {fmt(line.amount_cents, line.currency, home)}"
    where = f" {line.matter_code}" if line.matter_code else ""
    due = f"due {format_day(line.due_on)} ({days_text(line.days_overdue)})"
    text = f"`{line.number}`{where} · {owed} · {due}"
    if line.disputed:
        text += f" · *disputed*: {blocks.escape(blocks.truncate(line.dispute_reason or '', 80))}"
    if line.on_plan:
        text += " · on the plan"
    return text


def _event(event: EscalationEvent, zone: tzinfo) -> str:
    who = "Clerk" if event.actor == "system" else blocks.mention(event.actor)
    how = " by hand" if event.manual else ""
    moved = f"{Stage(event.from_stage).label} → *{stage_text(Stage(event.to_stage))}*"
    return (
        f"{format_day(event.at.astimezone(zone).date())} · {moved}{how} · {who}: "
        f"{blocks.escape(blocks.truncate(event.reason, 200))}"
    )


def invoice_message(found: InvoiceDetail, home: str) -> blocks.Message:
    inv, c = found.invoice, found.client
    if inv.status.value in ("void", "written_off"):
        status = inv.status.value.replace("_", " ")
    else:
        status = "disputed" if inv.disputed else "open"
    if status == "open" and found.outstanding_cents == 0:
        status = "paid"
    days = (found.as_of - inv.due_on).days
    title = f"Invoice {inv.number} · {c.code}"
    due = format_day(inv.due_on) + (f" ({days_text(days)})" if status == "open" else "")
    pairs = [
        ("Client", f"{c.code} · {blocks.escape(c.name)}"),
        ("Matter", found.matter_code or "—"),
        ("Amount", fmt(inv.amount_cents, inv.currency, home)),
        ("Outstanding", fmt(found.outstanding_cents, inv.currency, home)),
        ("Issued", format_day(inv.issued_on)),
        ("Due", due),
        ("Status", status),
    ]
    if inv.disputed and inv.dispute_reason:
        pairs.append(("Dispute", blocks.escape(inv.dispute_reason)))
        if inv.dispute_review_on is not None:
            late = " :warning: overdue" if inv.dispute_review_on < found.as_of else ""
            review = f"{blocks.mention(found.dispute_owner)} · {format_day(inv.dispute_review_on)}"
            pairs.append(("Dispute review", review + late))
    if inv.void_reason and status == "void":
        pairs.append(("Voided because", blocks.escape(inv.void_reason)))
    if status == "written off":
        gone = fmt(inv.written_off_cents or 0, inv.currency, home)
        on = format_day(inv.written_off_on) if inv.written_off_on else "—"
        pairs.append(("Written off", f"{gone} on {on}"))
        pairs.append(("Written off because", blocks.escape(inv.write_off_reason or "")))
    rows: list[blocks.Block_] = [blocks.header(title), *blocks.fields(pairs)]
    if found.payments:
        lines = []
        for p in found.payments[:20]:
            part = fmt(p.applied_cents, inv.currency, home)
            if p.payment_cents != p.applied_cents:
                part += f" of a {fmt(p.payment_cents, inv.currency, home)} payment"
            lines.append(f"• {format_day(p.received_on)}: {part}")
        rows.append(blocks.section("*Payments applied*\n" + "\n".join(lines)))
    text = (
        f"{title}: {fmt(inv.amount_cents, inv.currency, home)}, "
        f"{fmt(found.outstanding_cents, inv.currency, home)} outstanding, {status}."
    )
    return blocks.message(text, rows)


# --- receipts ----------------------------------------------------------------------------


def notices_text(notices: Sequence[Notice]) -> list[str]:
    lines = []
    for n in notices:
        told = (
            f" {blocks.mention(n.target)} has been told."
            if n.target
            else " The client has no responsible lawyer, so nobody else was told."
        )
        lines.append(f":warning: {blocks.escape(n.text)}{told}")
    return lines


def changes_text(changes: Sequence[StageChange]) -> list[str]:
    return [
        f"Collections: {stage_text(c.from_stage)} → *{stage_text(c.to_stage)}* "
        f"({blocks.escape(c.reason)})"
        for c in changes
    ]


def receipt(headline: str, details: Sequence[str], outcome: Outcome, home: str) -> blocks.Message:
    """A money command's answer: ``headline`` is plain text (escaped here, in the blocks and
    the fallback alike); ``details`` are mrkdwn lines the caller has escaped."""
    c = outcome.client
    owed = f"{c.code} now owes {fmt(outcome.outstanding_cents, c.currency, home)}."
    lines = [*details, owed, *changes_text(outcome.changes), *notices_text(outcome.notices)]
    said = blocks.escape(headline)  # it quotes what people typed: names, reasons
    rows = [
        blocks.section(f":white_check_mark: {said}"),
        blocks.section("\n".join(lines)),
        blocks.context(f"`/balance {c.code}` for the full account"),
    ]
    return blocks.message(f"{said} {' '.join(lines)}", rows)


def payment_details(out: PaymentOutcome, home: str) -> list[str]:
    cur = out.client.currency
    if out.payment is not None and out.payment.is_trust:
        return [f"Held in trust for {out.client.code}: {fmt(out.trust_cents, cur, home)}."]
    lines = []
    for a in out.applications:
        rest = "paid in full" if a.pays_in_full else f"{fmt(a.remaining_cents, cur, home)} left"
        lines.append(f"• {a.key}: {fmt(a.applied_cents, cur, home)} ({rest})")
    if out.disputed_invoice and out.invoice is not None:
        lines.append(
            f"{out.invoice.number} is disputed: `/invoice resolve {out.invoice.number}` if this "
            "payment settles it."
        )
    if out.unapplied_cents:
        lines.append(
            f"{fmt(out.unapplied_cents, cur, home)} was not needed for an open invoice: it is "
            f"credit on the account (credit now {fmt(out.credit_cents, cur, home)})."
        )
    return lines


def plan_details(out: PlanOutcome, home: str) -> list[str]:
    cur = out.client.currency
    shown = [
        f"{i.number}. {format_day(i.due_on)} · {fmt(i.amount_cents, cur, home)}"
        for i in out.installments[:12]
    ]
    if len(out.installments) > 12:
        last = out.installments[-1]
        shown.append(
            f"… {last.number}. {format_day(last.due_on)} · {fmt(last.amount_cents, cur, home)}"
        )
    lines = [f"Covers {', '.join(out.covered)}.", *shown]
    if out.left_out_disputed:
        lines.append(f"{fmt(out.left_out_disputed, cur, home)} in dispute is not on the plan.")
    return lines


# --- proactive messages (through the outbox) ------------------------------------------------


def notice_payload(notice: Notice, *, by: str, client_code: str) -> dict[str, object]:
    rows = [
        blocks.section(f":warning: {blocks.escape(notice.text)}"),
        blocks.context(f"Recorded by {blocks.mention(by)} · `/balance {client_code}` for details"),
    ]
    return {"text": blocks.escape(notice.text), "blocks": rows}


def stage_change_payload(change: StageChange) -> dict[str, object]:
    """The DM to the responsible lawyer when a client's collections stage changes."""
    verb = "moved up to" if change.raised else "moved down to"
    text = (
        f"{change.client_code} ({change.client_name}) {verb} {stage_text(change.to_stage)}: "
        f"{change.reason}."
    )
    who = "by hand" if change.manual else "automatically"
    actor = "Clerk" if change.actor == "system" else blocks.mention(change.actor)
    text = blocks.escape(text)  # the client's name and the reason, in the blocks and fallback
    rows = [
        blocks.section(f":bell: {text}"),
        blocks.context(
            f"Changed {who} by {actor} · was {stage_text(change.from_stage)} · "
            f"`/balance {change.client_code}`"
        ),
    ]
    return {"text": text, "blocks": rows}
