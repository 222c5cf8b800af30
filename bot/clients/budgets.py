"""Matter budgets: what was agreed with the client, what has been billed and collected, and
the alerts at 80% and 100% of the budget.

*Billed* is the fees invoiced on the matter, every invoice but a voided one: a written-off
invoice was billed (the firm did the work and asked for the money), and giving up the rest
does not give the budget back. *Collected* is what has been paid on those invoices. Both are
one SQL aggregate over the matter's invoices, in the client's currency (a matter's invoices
are all in it: ``/invoice add`` refuses another).

The responsible lawyer (the client's, when the matter names none) is told once when billing
crosses 80% of the budget and once at 100%, under the outbox keys
``budget:{matter_id}:80`` and ``budget:{matter_id}:100``: the outbox's unique key is what
makes it once. Only the highest threshold crossed is told: a budget set below what is
already billed, or one invoice that takes the matter from 70% to 120%, is one DM (at 100%),
and the 80% key is recorded with it as settled, so no 80% DM follows when a void later
brings billing back under 100%. The check runs wherever billing rises or the budget changes
(``/invoice add``, the invoice form, ``/matter edit … budget|lawyer``, an invoices or
matters import, ``clerk import``) and in the 08:30 job, the net under them all. A void or a
write-off never alerts: billing does not rise, and a key once used is never sent again.

Who sees these figures: whoever sees the client's balance, and the matter's responsible
lawyer when their role shows balances (lawyers, partners, admins, billing): the budget is
theirs to keep, and the alert DM tells them the same figures.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.permissions import Actor
from storage.models import Client, Invoice, InvoiceStatus, Matter, MatterStatus, Role, User

THRESHOLDS = (80, 100)  # percent of the budget
MONEY_ROLES = (Role.LAWYER, Role.PARTNER, Role.ADMIN, Role.BILLING)


@dataclass(frozen=True)
class BudgetFigures:
    budget_cents: int | None
    billed_cents: int
    collected_cents: int
    currency: str

    @property
    def percent(self) -> int | None:
        """Billed as a whole percentage of the budget (rounded down), None without one."""
        if not self.budget_cents:
            return None
        return self.billed_cents * 100 // self.budget_cents


@dataclass(frozen=True)
class BudgetAlert:
    matter_id: int
    matter_code: str
    client_code: str
    title: str
    threshold: int
    lawyer_slack_id: str
    figures: BudgetFigures

    @property
    def key(self) -> str:
        return alert_key(self.matter_id, self.threshold)

    @property
    def covered_keys(self) -> tuple[str, ...]:
        """The lower thresholds' keys this alert stands for (recorded, never sent)."""
        return tuple(alert_key(self.matter_id, t) for t in THRESHOLDS if t < self.threshold)


def alert_key(matter_id: int, threshold: int) -> str:
    return f"budget:{matter_id}:{threshold}"


def crossed(budget_cents: int | None, billed_cents: int) -> tuple[int, ...]:
    """Every threshold ``billed_cents`` has reached, lowest first (none without a budget).
    Exact in cents: 80% of $10,000.00 is reached at $8,000.00, not a cent before."""
    if not budget_cents or budget_cents <= 0:
        return ()
    return tuple(t for t in THRESHOLDS if billed_cents * 100 >= budget_cents * t)


def highest_crossed(budget_cents: int | None, billed_cents: int) -> int | None:
    """The highest threshold ``billed_cents`` has reached, or None (no budget, or below 80%)."""
    reached = crossed(budget_cents, billed_cents)
    return reached[-1] if reached else None


def responsible_lawyer_id(matter: Matter, client: Client) -> int | None:
    """Who answers for the matter: its own lawyer, or the client's when it names none."""
    return matter.lawyer_id or client.lawyer_id


def may_see_money(actor: Actor, matter: Matter, client: Client) -> bool:
    """Whether ``actor`` sees the matter's budget, billed and collected (module docstring)."""
    return actor.may_see_balance_of(client.lawyer_id) or actor.may_see_balance_of(
        responsible_lawyer_id(matter, client)
    )


def _billed_and_collected() -> tuple[object, object]:
    billed = func.coalesce(func.sum(Invoice.amount_cents), 0)
    collected = func.coalesce(func.sum(Invoice.paid_cents), 0)
    return billed, collected


def figures(session: Session, matter: Matter, currency: str) -> BudgetFigures:
    """The matter's budget, billed and collected to date (one aggregate)."""
    billed, collected = _billed_and_collected()
    row = session.execute(
        select(billed, collected).where(
            Invoice.matter_id == matter.id, Invoice.status != InvoiceStatus.VOID
        )
    ).one()
    return BudgetFigures(matter.budget_cents, int(row[0]), int(row[1]), currency)


def alerts(session: Session, matter_ids: Collection[int] | None = None) -> list[BudgetAlert]:
    """The alert each open matter with a budget is due (its highest threshold crossed), for
    ``matter_ids`` or every such matter. Whether it was already told is the outbox's to say
    (the key); a matter with no one to tell is left out. The firm-wide sweep is one
    aggregate starting from the partial index of budgeted matters; a check after a change
    first asks whether the matters it touched have a budget at all."""
    if matter_ids is not None:  # the few matters a change touched: are any budgeted?
        if not matter_ids:
            return []
        wanted = session.scalars(
            select(Matter.id).where(
                Matter.budget_cents.is_not(None), Matter.id.in_(sorted(matter_ids))
            )
        ).all()
        if not wanted:
            return []
    billed, collected = _billed_and_collected()
    lawyer = func.coalesce(Matter.lawyer_id, Client.lawyer_id)
    query = (
        select(Matter, Client.code, Client.currency, User.slack_id, billed, collected)
        .join(Client, Client.id == Matter.client_id)
        .join(Invoice, Invoice.matter_id == Matter.id)
        .join(User, User.id == lawyer)
        .where(
            Matter.budget_cents.is_not(None),
            Matter.budget_cents > 0,
            Matter.status == MatterStatus.OPEN,
            Invoice.status != InvoiceStatus.VOID,
            User.is_active.is_(True),
            User.role.in_(MONEY_ROLES),  # the DM names amounts: not to staff
        )
        .group_by(Matter.id, Client.code, Client.currency, User.slack_id)
        .having(billed * 100 >= Matter.budget_cents * THRESHOLDS[0])
        .order_by(Matter.id)
    )
    if matter_ids is not None:
        query = query.where(Matter.id.in_(wanted))
    found: list[BudgetAlert] = []
    for matter, client_code, currency, slack_id, billed_cents, collected_cents in session.execute(
        query
    ):
        reached = highest_crossed(matter.budget_cents, int(billed_cents))
        if reached is None:
            continue
        found.append(
            BudgetAlert(
                matter_id=matter.id,
                matter_code=matter.code,
                client_code=client_code,
                title=matter.title,
                threshold=reached,
                lawyer_slack_id=slack_id,
                figures=BudgetFigures(
                    matter.budget_cents, int(billed_cents), int(collected_cents), currency
                ),
            )
        )
    return found


@dataclass(frozen=True)
class Gathered:
    """One lawyer's alerts told in one DM: sent under ``lead``'s key, with ``settled`` the
    other keys it stands for (the other matters it lists, and the lower thresholds under
    each, the 80% under a 100%), which are recorded as told and never sent on their own."""

    lawyer_slack_id: str
    lead: BudgetAlert
    alerts: tuple[BudgetAlert, ...]
    settled: tuple[str, ...]


def gather(untold: Collection[BudgetAlert]) -> list[Gathered]:
    """The alerts not told yet, one DM per lawyer: a lawyer whose several matters cross at
    once (an import, billing recorded outside Slack, a firm's first morning with budgets)
    hears of them in one message, under the key of the fullest (the highest threshold, then
    the highest share of its budget)."""
    by_lawyer: dict[str, list[BudgetAlert]] = {}
    for alert in untold:
        by_lawyer.setdefault(alert.lawyer_slack_id, []).append(alert)
    found: list[Gathered] = []
    for lawyer, theirs in sorted(by_lawyer.items()):
        lead = max(theirs, key=lambda a: (a.threshold, a.figures.percent or 0, -a.matter_id))
        settled = [a.key for a in theirs if a is not lead]
        settled += [key for a in theirs for key in a.covered_keys]
        found.append(Gathered(lawyer, lead, tuple(theirs), tuple(settled)))
    return found
