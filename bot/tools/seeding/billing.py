"""Invoices, payments and their allocations, trust money and payment plans, client by client.

Each client pays the way its class does: most pay around the due date, some weeks or months
late, a few leave recent invoices unpaid (the overdue accounts the 08:30 post is about). A few
institutional clients have thousands of invoices. Payments are allocated as Clerk allocates
them (to the invoice named, or oldest first), so every balance derived from the seeded rows
is one Clerk could have produced; some clients pay several invoices with one payment, which
is also how the payment count is kept near the firm's shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.money.plans import schedule
from bot.tools.seeding.context import ClientRef, SeedContext, WeightedPicker
from storage.models import (
    ClientStatus,
    InvoiceStatus,
    PaymentStatus,
    PlanFrequency,
    PlanStatus,
    Role,
    TrustKind,
)

VOID_SHARE = 0.01
PARTIAL_SHARE = 0.06
DISPUTED_SHARE = 0.04  # of unpaid overdue invoices
PLAN_SHARE = 0.15  # of bad payers with several unpaid overdue invoices
MAX_MERGED = 4  # invoices one payment may settle


@dataclass
class _Invoice:
    id: int
    issued: date
    due: date
    cents: int
    void: bool
    paid: int = 0
    plan: int | None = None


@dataclass
class _Payment:
    day: date
    invoice_id: int | None
    allocations: list[tuple[int, int]] = field(default_factory=list)
    trust: bool = False

    @property
    def cents(self) -> int:
        return sum(c for _, c in self.allocations)


class _Counter:
    """Keeps the payment count near the firm's shape by merging payments when ahead."""

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio
        self.invoices = 0
        self.payments = 0

    def ahead(self) -> bool:
        return self.payments >= self.ratio * self.invoices


def _delay(ctx: SeedContext, payer: str) -> int:
    rng = ctx.rng
    if payer == "good":
        return rng.randint(-15, 10)
    if payer == "slow":
        return rng.randint(5, 75)
    return rng.randint(20, 200)


def seed_billing(ctx: SeedContext) -> None:
    rng = ctx.rng
    shape = ctx.shape
    billable = [c for c in ctx.clients if c.status is not ClientStatus.PROSPECT]
    heavy_counts = list(shape.heavy_invoices)
    by_weight = sorted(
        (c for c in billable if c.status is ClientStatus.ACTIVE), key=lambda c: -c.weight
    )
    heavy = {c.id: n for c, n in zip(by_weight, heavy_counts, strict=False)}
    rest = [c for c in billable if c.id not in heavy]
    left = max(0, shape.invoice_count - sum(heavy.values()))
    counts = WeightedPicker(rng, [c.weight for c in rest]).counts(left) if rest else []
    per_client = {c.id: n for c, n in zip(rest, counts, strict=True)} | heavy
    clerks = ctx.with_role(Role.BILLING) or ctx.people
    counter = _Counter(shape.payments / max(1, shape.invoices))
    for client in billable:
        _client_billing(ctx, client, per_client.get(client.id, 0), counter, clerks[0].id)


def _client_billing(
    ctx: SeedContext, client: ClientRef, count: int, counter: _Counter, clerk_id: int
) -> None:
    rng = ctx.rng
    start = min(m.opened_on for m in client.matters) if client.matters else ctx.history_start
    end = min(client.active_until, ctx.today)
    invoices: list[_Invoice] = []
    for issued in sorted(ctx.day_between(start, end) for _ in range(count)):
        cents = int(min(50_000_000, max(5_000, rng.lognormvariate(math.log(350_000), 1.0))))
        invoices.append(
            _Invoice(
                id=ctx.writer.new_id("invoices"),
                issued=issued,
                due=issued + timedelta(days=client.terms_days),
                cents=cents // 100 * 100,
                void=rng.random() < VOID_SHARE,
            )
        )
    payments: list[_Payment] = []
    if client.retainer_cents:
        payments.append(_Payment(day=start, invoice_id=None, trust=True))
        counter.payments += 1
    for invoice in invoices:
        counter.invoices += 1
        if not invoice.void:
            _pay(ctx, client, invoice, payments, counter)
    _maybe_plan(ctx, client, invoices, payments, counter, clerk_id)
    _write(ctx, client, invoices, payments, clerk_id)


def _pay(
    ctx: SeedContext,
    client: ClientRef,
    invoice: _Invoice,
    payments: list[_Payment],
    counter: _Counter,
) -> None:
    rng = ctx.rng
    if client.payer == "bad" and (ctx.today - invoice.issued).days < 240 and rng.random() < 0.45:
        return  # left unpaid
    earliest = invoice.issued + timedelta(days=1)
    day = max(earliest, invoice.due + timedelta(_delay(ctx, client.payer)))
    if rng.random() < PARTIAL_SHARE:
        first_day = max(earliest, day - timedelta(rng.randint(10, 30)))
        first = invoice.cents * rng.randint(40, 60) // 100
        for when, cents in ((first_day, first), (day, invoice.cents - first)):
            if when <= ctx.today:
                payments.append(_Payment(when, invoice.id, [(invoice.id, cents)]))
                invoice.paid += cents
                counter.payments += 1
        return
    if day > ctx.today:
        return
    last = payments[-1] if payments else None
    if (
        last is not None
        and counter.ahead()
        and not last.trust
        and len(last.allocations) < MAX_MERGED
        and abs((day - last.day).days) <= 30
        and all(inv_id != invoice.id for inv_id, _ in last.allocations)
    ):
        # One payment settles several invoices: Clerk applies it oldest first, no invoice named.
        last.day = max(last.day, day)
        last.invoice_id = None
        last.allocations.append((invoice.id, invoice.cents))
    else:
        payments.append(_Payment(day, invoice.id, [(invoice.id, invoice.cents)]))
        counter.payments += 1
    invoice.paid = invoice.cents


def _maybe_plan(
    ctx: SeedContext,
    client: ClientRef,
    invoices: list[_Invoice],
    payments: list[_Payment],
    counter: _Counter,
    clerk_id: int,
) -> None:
    """A payment plan over a bad payer's overdue invoices, agreed six weeks ago."""
    rng = ctx.rng
    agreed = ctx.today - timedelta(days=45)
    overdue = [i for i in invoices if not i.void and i.paid < i.cents and i.due < agreed]
    if client.payer != "bad" or len(overdue) < 2 or rng.random() >= PLAN_SHARE:
        return
    total = sum(i.cents - i.paid for i in overdue)
    count = 6
    per = math.ceil(total / count / 100) * 100
    plan_id = ctx.writer.new_id("payment_plans")
    ctx.writer.add(
        "payment_plans",
        {
            "id": plan_id,
            "client_id": client.id,
            "total_cents": total,
            "installment_cents": per,
            "currency": client.currency,
            "frequency": PlanFrequency.MONTH,
            "starts_on": agreed,
            "installment_count": len(schedule(total, per, "month", agreed)),
            "baseline_paid_cents": sum(i.paid for i in overdue),
            "status": PlanStatus.ACTIVE,
            "cancel_reason": None,
            "created_by_id": clerk_id,
            "created_at": ctx.at(agreed, 11),
        },
    )
    for item in schedule(total, per, "month", agreed):
        ctx.writer.add(
            "installments",
            {
                "id": ctx.writer.new_id("installments"),
                "plan_id": plan_id,
                "number": item.number,
                "due_on": item.due_on,
                "amount_cents": item.amount_cents,
            },
        )
    for invoice in overdue:
        invoice.plan = plan_id
    if rng.random() < 0.6:  # the first installment was paid, oldest invoice first
        left, allocations = per, []
        for invoice in overdue:
            take = min(left, invoice.cents - invoice.paid)
            if take > 0:
                allocations.append((invoice.id, take))
                invoice.paid += take
                left -= take
        payments.append(_Payment(agreed + timedelta(days=2), None, allocations))
        counter.payments += 1


def _write(
    ctx: SeedContext,
    client: ClientRef,
    invoices: list[_Invoice],
    payments: list[_Payment],
    clerk_id: int,
) -> None:
    rng = ctx.rng
    writer = ctx.writer
    matters = client.matters
    for invoice in invoices:
        owed = not invoice.void and invoice.paid < invoice.cents
        unpaid_overdue = owed and invoice.due < ctx.today
        disputed = unpaid_overdue and rng.random() < DISPUTED_SHARE
        writer.add(
            "invoices",
            {
                "id": invoice.id,
                "number": f"{invoice.issued.year}-{invoice.id:07d}",
                "client_id": client.id,
                "matter_id": rng.choice(matters).id if matters and rng.random() < 0.9 else None,
                "amount_cents": invoice.cents,
                "currency": client.currency,
                "issued_on": invoice.issued,
                "due_on": invoice.due,
                "status": InvoiceStatus.VOID if invoice.void else InvoiceStatus.OPEN,
                "disputed": disputed,
                "dispute_reason": "client disputes hours billed" if disputed else None,
                "void_reason": "issued in error" if invoice.void else None,
                "plan_id": invoice.plan,
                "created_by_id": clerk_id,
                "created_at": ctx.at(invoice.issued, 9),
                "paid_cents": invoice.paid,
            },
        )
    void = {invoice.id for invoice in invoices if invoice.void}
    for payment in payments:
        payment_id = writer.new_id("payments")
        cents = (client.retainer_cents or 0) if payment.trust else payment.cents
        writer.add(
            "payments",
            {
                "id": payment_id,
                "client_id": client.id,
                "amount_cents": cents,
                "currency": client.currency,
                "received_on": payment.day,
                "invoice_id": payment.invoice_id,
                "is_trust": payment.trust,
                "reference": f"CHK {rng.randint(1000, 99999)}",
                "status": PaymentStatus.RECEIVED,
                "void_reason": None,
                "created_by_id": clerk_id,
                "created_at": ctx.at(payment.day, 12),
                "applied_cents": sum(
                    cents for invoice_id, cents in payment.allocations if invoice_id not in void
                ),
            },
        )
        for invoice_id, applied in payment.allocations:
            writer.add(
                "payment_allocations",
                {
                    "id": writer.new_id("payment_allocations"),
                    "payment_id": payment_id,
                    "invoice_id": invoice_id,
                    "amount_cents": applied,
                },
            )
        if payment.trust:
            _trust(ctx, client, payment, payment_id, cents, clerk_id)


def _trust(
    ctx: SeedContext,
    client: ClientRef,
    payment: _Payment,
    payment_id: int,
    cents: int,
    clerk_id: int,
) -> None:
    rng = ctx.rng
    rows = [(TrustKind.DEPOSIT, cents, payment.day, payment_id, "Retainer deposit")]
    if rng.random() < 0.5:
        used = cents * rng.randint(30, 100) // 100
        rows.append(
            (
                TrustKind.WITHDRAWAL,
                used,
                ctx.day_between(payment.day, ctx.today),
                None,
                "Applied to fees",
            )
        )
    for kind, amount, day, linked, memo in rows:
        ctx.writer.add(
            "trust_transactions",
            {
                "id": ctx.writer.new_id("trust_transactions"),
                "client_id": client.id,
                "kind": kind,
                "amount_cents": amount,
                "currency": client.currency,
                "occurred_on": day,
                "payment_id": linked,
                "memo": memo,
                "created_by_id": clerk_id,
                "created_at": ctx.at(day, 12),
            },
        )
