"""The dispute owner's review DM (queued by the 08:30 overdue job, ``handlers.billing.
overdue_job``): which invoice, for whom, what is owed and why it is disputed, and the two
commands that end a dispute.

A separate DM rather than a line of the morning briefing: the briefing goes to everyone,
staff included, and its lines carry done/snooze buttons that mean nothing for a dispute,
which ends only when it is resolved or written off. The review is collections work, told
with the other collections news at 08:30, to someone who may see the client's money.
"""

from __future__ import annotations

from datetime import date

from bot.billing.dispute_review import DueReview
from bot.dates.format import format_day
from handlers.billing.money_text import fmt
from handlers.kernel import blocks

OUTBOX_KIND = "dispute_review"


def review_message(review: DueReview, *, day: date, home: str) -> blocks.Message:
    """The owner's DM: due today, or missed (a weekend, a holiday) and overdue now."""
    if review.review_on >= day:
        when = "is due today"
    else:
        when = f"was due {format_day(review.review_on)} and is overdue"
    owed = fmt(review.outstanding_cents, review.currency, home)
    name = blocks.escape(blocks.truncate(review.client_name, 80))
    reason = blocks.escape(blocks.truncate(review.reason, 300))
    text = (
        f"Dispute review {when}: invoice {review.number} ({review.client_code}, {name}), "
        f"{owed} outstanding. Disputed: {reason}"
    )
    rows = [
        blocks.section(f":scales: {text}"),
        blocks.context(
            f"You own this dispute: while it is open, {review.client_code}'s collections stay "
            f"paused for this invoice. `/invoice resolve {review.number}` when it is settled, "
            f"or `/invoice write-off {review.number} REASON` if the firm gives it up."
        ),
    ]
    return blocks.message(blocks.truncate(text, 300), rows)
