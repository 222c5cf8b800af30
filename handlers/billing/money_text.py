"""Small text helpers shared by the money views: amounts, stages, days, aging lines."""

from __future__ import annotations

from bot.billing.aged_accounts import AccountAging
from bot.money import Bucket, Money, Stage


def fmt(cents: int, currency: str, home: str) -> str:
    return Money(cents, currency).format(home)


def stage_text(stage: Stage) -> str:
    return f"stage {int(stage)} {stage.label}"


def days_text(days: int) -> str:
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} overdue"
    if days == 0:
        return "due today"
    return f"due in {-days} day{'s' if days != -1 else ''}"


def in_words(account: AccountAging, home: str) -> str:
    line = f"{fmt(account.total_cents, account.currency, home)} outstanding"
    if account.overdue_cents:
        worst = account.worst_bucket
        line += f", {fmt(account.overdue_cents, account.currency, home)} overdue"
        line += f" ({worst.label})" if worst else ""
    return line


def aging_line(account: AccountAging, home: str) -> str:
    parts = []
    for bucket in Bucket:
        cents = account.buckets.get(bucket, 0)
        shown = fmt(cents, account.currency, home) if cents else "—"
        parts.append(f"{bucket.label}: {shown}")
    return " · ".join(parts)
