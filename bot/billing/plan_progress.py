"""How far each client with an active payment plan is behind: what aging and escalation read
in place of the invoices a plan rescheduled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.money.plans import Installment as PlannedInstallment
from bot.money.plans import plan_status
from storage.base import chunks
from storage.models import Installment, Invoice, PaymentPlan, PlanStatus


@dataclass(frozen=True)
class PlanProgress:
    plan: PaymentPlan
    installments: tuple[PlannedInstallment, ...]
    paid_cents: int  # paid on the plan's invoices since it was agreed
    next_due: PlannedInstallment | None
    behind_cents: int
    late_numbers: tuple[int, ...]
    oldest_late_due: date | None


def plan_progress(
    session: Session, *, as_of: date, client_ids: Sequence[int] | None = None
) -> dict[int, PlanProgress]:
    """Active plans by client id, with how far each client is behind (three queries)."""
    query = select(PaymentPlan).where(PaymentPlan.status == PlanStatus.ACTIVE)
    if client_ids is not None:
        query = query.where(PaymentPlan.client_id.in_(client_ids))
    plans = list(session.scalars(query))
    if not plans:
        return {}
    ids = [p.id for p in plans]
    schedule: dict[int, list[PlannedInstallment]] = defaultdict(list)
    paid: dict[int, int] = {}
    for part in chunks(ids):
        for row in session.execute(
            select(
                Installment.plan_id,
                Installment.number,
                Installment.due_on,
                Installment.amount_cents,
            )
            .where(Installment.plan_id.in_(part))
            .order_by(Installment.plan_id, Installment.number)
        ):
            schedule[row.plan_id].append(
                PlannedInstallment(row.number, row.due_on, row.amount_cents)
            )
        for plan_id, cents in session.execute(
            select(Invoice.plan_id, func.sum(Invoice.paid_cents))
            .where(Invoice.plan_id.in_(part))
            .group_by(Invoice.plan_id)
        ):
            paid[plan_id] = int(cents or 0)
    found: dict[int, PlanProgress] = {}
    for plan in plans:
        installments = tuple(schedule[plan.id])
        on_plan = max(0, paid.get(plan.id, 0) - plan.baseline_paid_cents)
        status = plan_status(installments, on_plan, as_of)
        by_number = {i.number: i for i in installments}
        oldest = by_number[status.late_installments[0]].due_on if status.late_installments else None
        found[plan.client_id] = PlanProgress(
            plan=plan,
            installments=installments,
            paid_cents=on_plan,
            next_due=status.next_due,
            behind_cents=status.behind_cents,
            late_numbers=status.late_installments,
            oldest_late_due=oldest,
        )
    return found
