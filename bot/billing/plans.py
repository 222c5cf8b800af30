"""Payment plans: rescheduling what a client owes into installments.

``/payment plan CLIENT AMOUNT every (week|month) from DATE [x N]``: AMOUNT is each
installment; the plan covers the client's open, undisputed invoices (disputed ones stay
outside until the dispute is settled). While the plan is active, those invoices escalate only
through the plan: a client paying on schedule is not chased, and the oldest late installment
drives the stage when they fall behind. Payments on the covered invoices count towards the
plan; the plan completes itself when nothing it covers is owed. One active plan per client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.billing.aged_accounts import outstanding_items
from bot.billing.collections import clean_reason
from bot.billing.money_changes import Outcome, ledger_currency, lock_client, restage
from bot.clients.lookup import get_client
from bot.dates.format import format_day
from bot.errors import Conflict, InvalidInput
from bot.money import EscalationThresholds, Money, schedule
from bot.money.plans import Installment as PlannedInstallment
from bot.permissions import Actor, Capability
from storage.models import (
    Installment,
    Invoice,
    PaymentPlan,
    PlanFrequency,
    PlanStatus,
)


@dataclass(frozen=True)
class NewPlan:
    client_code: str
    installment: Money
    every: Literal["week", "month"]
    starts_on: date
    count: int | None = None


@dataclass
class PlanOutcome(Outcome):
    plan: PaymentPlan | None = None
    installments: tuple[PlannedInstallment, ...] = ()
    covered: tuple[str, ...] = ()  # invoice numbers the plan reschedules
    left_out_disputed: int = 0  # cents of disputed invoices not on the plan


def active_plan(session: Session, client_id: int) -> PaymentPlan | None:
    return session.scalars(
        select(PaymentPlan).where(
            PaymentPlan.client_id == client_id, PaymentPlan.status == PlanStatus.ACTIVE
        )
    ).one_or_none()


def create_plan(
    session: Session,
    *,
    actor: Actor,
    new: NewPlan,
    today: date,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> PlanOutcome:
    actor.require(Capability.MANAGE_BILLING)
    client = lock_client(session, get_client(session, new.client_code))
    existing = active_plan(session, client.id)
    if existing is not None:
        raise Conflict(
            f"{client.code} already has an active payment plan (from "
            f"{format_day(existing.starts_on)}). Cancel it first with "
            f"`/payment plan cancel {client.code} REASON`."
        )
    ledger_currency(session, client, new.installment.currency, "plan")
    rows = session.execute(
        outstanding_items([client.id]).where(Invoice.currency == client.currency)
    ).all()
    covered = [r for r in rows if not r.disputed]
    disputed = sum(int(r.outstanding) for r in rows if r.disputed)
    total = sum(int(r.outstanding) for r in covered)
    if total <= 0:
        extra = " (its overdue invoices are all disputed)" if disputed else ""
        raise InvalidInput(f"{client.code} owes nothing to put on a plan{extra}.")
    installments = schedule(
        total,
        new.installment.cents,
        new.every,
        new.starts_on,
        new.count,
        currency=client.currency,
    )
    ids = [r.id for r in covered]
    baseline = session.scalar(
        select(func.coalesce(func.sum(Invoice.paid_cents), 0)).where(Invoice.id.in_(ids))
    )
    plan = PaymentPlan(
        client_id=client.id,
        total_cents=total,
        installment_cents=new.installment.cents,
        currency=client.currency,
        frequency=PlanFrequency(new.every),
        starts_on=new.starts_on,
        installment_count=len(installments),
        baseline_paid_cents=int(baseline or 0),
        created_by_id=actor.user_id,
    )
    session.add(plan)
    session.flush()
    session.add_all(
        Installment(plan_id=plan.id, number=i.number, due_on=i.due_on, amount_cents=i.amount_cents)
        for i in installments
    )
    for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(ids))):
        invoice.plan_id = plan.id  # through the ORM, so each invoice's change is audited
    session.flush()
    outcome = PlanOutcome(
        client=client,
        plan=plan,
        installments=tuple(installments),
        covered=tuple(r.number for r in covered),
        left_out_disputed=disputed,
    )
    restage(
        session,
        outcome,
        actor=actor,
        cause=f"payment plan agreed ({len(installments)} installments)",
        today=today,
        thresholds=thresholds,
        now=now,
    )
    return outcome


def cancel_plan(
    session: Session,
    *,
    actor: Actor,
    client_code: str,
    reason: str,
    today: date,
    thresholds: EscalationThresholds | None = None,
    now: datetime | None = None,
) -> PlanOutcome:
    """End a plan early: its invoices escalate again from their own due dates."""
    actor.require(Capability.MANAGE_BILLING)
    why = clean_reason(reason, "a reason for cancelling the plan")
    client = lock_client(session, get_client(session, client_code))
    plan = active_plan(session, client.id)
    if plan is None:
        raise Conflict(f"{client.code} has no active payment plan.")
    plan.status = PlanStatus.CANCELLED
    plan.cancel_reason = why
    session.flush()
    outcome = PlanOutcome(client=client, plan=plan)
    restage(
        session,
        outcome,
        actor=actor,
        cause=f"payment plan cancelled ({why})",
        today=today,
        thresholds=thresholds,
        now=now,
    )
    return outcome


__all__ = ["NewPlan", "PlanOutcome", "active_plan", "cancel_plan", "create_plan"]
