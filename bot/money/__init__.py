"""Clerk's money domain: amounts, aging, escalation, payment allocation, plans and DSO.

Everything here is pure (no Slack, no database, no clock): callers pass ``as_of`` dates and
plain values in, and get values or a ``bot.errors`` refusal back. Money is always an integer
number of cents with an ISO 4217 code; no float ever touches an amount, because a float cannot
hold 0.10 exactly and a ledger that is off by a cent is a ledger a lawyer stops trusting.
"""

from __future__ import annotations

from bot.money.aging import AgedItem, AgingReport, Bucket, OpenItem, age, bucket_for
from bot.money.allocation import (
    Allocation,
    Application,
    OpenInvoice,
    allocate_payment,
    allocate_to_invoice,
)
from bot.money.amounts import MAX_CENTS, CurrencyMismatch, Money, parse_amount
from bot.money.currencies import CURRENCIES, CURRENCY_NAMES, normalize_currency
from bot.money.dso import dso, period_days
from bot.money.escalation import (
    EscalationThresholds,
    Stage,
    effective_stage,
    next_stage,
    stage_for,
)
from bot.money.plans import Installment, PlanStatus, add_months, plan_status, schedule

__all__ = [
    "CURRENCIES",
    "CURRENCY_NAMES",
    "MAX_CENTS",
    "AgedItem",
    "AgingReport",
    "Allocation",
    "Application",
    "Bucket",
    "CurrencyMismatch",
    "EscalationThresholds",
    "Installment",
    "Money",
    "OpenInvoice",
    "OpenItem",
    "PlanStatus",
    "Stage",
    "add_months",
    "age",
    "allocate_payment",
    "allocate_to_invoice",
    "bucket_for",
    "dso",
    "effective_stage",
    "next_stage",
    "normalize_currency",
    "parse_amount",
    "period_days",
    "plan_status",
    "schedule",
    "stage_for",
]
