"""``/payment list CLIENT [N]``: a client's payment history, newest first (ephemeral).

Each line: the day received, the amount (``Money.format``, the one money formatter), trust
or fees, the invoice(s) it went to or "unapplied", and who recorded it. The reply is money,
so it is only ever ephemeral, and only for who may read the client's balance
(``bot.billing.payment_history``).
"""

from __future__ import annotations

from bot.billing.payment_history import (
    LIST_USAGE,
    MAX_SHOWN,
    PaymentHistory,
    PaymentLine,
    payment_history,
    read_count,
)
from bot.dates.format import format_day
from bot.errors import InvalidInput
from handlers.billing.money_text import fmt
from handlers.billing.shared import home
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply

LINES_PER_SECTION = 15  # 15 lines of ~200 characters: under a section's 3,000
INVOICES_SHOWN = 3
NUMBER_CHARS = 64


def list_payments(request: CommandRequest) -> Reply:
    """``/payment list CLIENT [N]``."""
    args = request.words[1:]
    if not args or len(args) > 2:
        raise InvalidInput(
            "Whose payments? e.g. `/payment list ACME` or `/payment list ACME 25`.",
            usage=LIST_USAGE,
        )
    limit, cut = read_count(args[1] if len(args) == 2 else None)
    clerk = request.clerk
    with clerk.db.reading() as session:
        history = payment_history(session, actor=request.actor, code=args[0], limit=limit)
    return history_message(history, home(clerk), cut=cut)


def history_message(history: PaymentHistory, home_currency: str, *, cut: bool) -> blocks.Message:
    """The reply: a header, the lines in sections, and how many of how many are shown."""
    title = f"{history.client_code} · {history.client_name}: payments"
    if not history.lines:
        return blocks.message(
            f"No payments from {history.client_code} yet",
            blocks.section(
                f"No payments from *{history.client_code}* "
                f"{blocks.escape(blocks.truncate(history.client_name, 100))} are recorded yet."
            ),
            blocks.context("Record one with `/payment add CLIENT AMOUNT`."),
        )
    lines = [_line(line, home_currency) for line in history.lines]
    sections = [
        blocks.section("\n".join(lines[i : i + LINES_PER_SECTION]))
        for i in range(0, len(lines), LINES_PER_SECTION)
    ]
    return blocks.message(
        f"{history.client_code}: {len(lines)} of {history.total} payments",
        blocks.header(blocks.truncate(title, blocks.MAX_HEADER)),
        sections,
        blocks.context(_showing(history, len(lines), cut)),
    )


def _showing(history: PaymentHistory, shown: int, cut: bool) -> str:
    """ "Showing 10 of 23 payments, newest first" and how to see more, when there are more."""
    if shown >= history.total:
        return f"All {history.total} payment{'s' if history.total != 1 else ''}, newest first."
    said = f"Showing {shown} of {history.total} payments, newest first."
    if cut:
        return f"{said} {MAX_SHOWN} is the most one reply shows."
    more = min(history.total, MAX_SHOWN)
    if shown < more:
        said += f" `/payment list {history.client_code} {more}` shows {more}."
    return said


def _line(line: PaymentLine, home_currency: str) -> str:
    amount = fmt(line.amount_cents, line.currency, home_currency)
    parts = [f"*{format_day(line.received_on)}*", f"*{amount}*"]
    if line.trust:
        parts.append("trust deposit")
    else:
        parts.append(f"fees {_went_to(line, home_currency)}")
    parts.append(f"recorded by {blocks.mention(line.recorded_by)}")
    said = " · ".join(parts)
    return f"• ~{said}~ _void_" if line.void else f"• {said}"


def _went_to(line: PaymentLine, home_currency: str) -> str:
    """ "→ INV-1042", "→ INV-1, INV-2 + $200.00 unapplied", "unapplied", or "unapplied
    (named INV-9)" when the invoice it was meant for no longer holds it (voided, or paid)."""
    if not line.invoices:
        if line.named_invoice:
            return f"unapplied (named {blocks.escape(line.named_invoice[:NUMBER_CHARS])})"
        return "unapplied"
    numbers = [
        blocks.escape(blocks.truncate(number, NUMBER_CHARS))
        for number in line.invoices[:INVOICES_SHOWN]
    ]
    if len(line.invoices) > INVOICES_SHOWN:
        numbers.append(f"{len(line.invoices) - INVOICES_SHOWN} more")
    said = f"→ {', '.join(numbers)}"
    if line.unapplied_cents:
        said += f" + {fmt(line.unapplied_cents, line.currency, home_currency)} unapplied"
    return said
