"""Receivables: what each client owes, how old it is, and the firm's totals.

Everything here is a set-based query: one aggregate over invoices and payment allocations for
any number of clients (no query per client), so the 08:30 overdue post, the Home tab and
``/balance overdue`` cost the same few statements for 20 clients or 20,000.

Definitions, used everywhere a balance is shown:

* An invoice's *outstanding* amount is its amount less what received (not voided) payments
  applied to it. Voided invoices are owed by nobody and are left out.
* Aging buckets are by days past the due date (``bot.money.aging``): current, 1-30, 31-60,
  61-90, 90+. Disputed invoices stay in the buckets (the money is still unpaid) but do not
  drive escalation.
* A client's *credit* is what fee payments brought in that is not applied to an open
  invoice: an overpayment, or money paid on an invoice that was later voided. Trust
  (retainer) deposits are never credit: they are held apart (``trust_balances``).
* The escalation age of an account is the days overdue of its oldest unpaid, undisputed
  amount. Invoices rescheduled by an active payment plan are replaced by the plan's own
  installments: a client keeping up with the plan is not escalated, one who falls behind is
  escalated from the oldest late installment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.billing.aged_accounts import (
    AccountAging,
    AgedAccounts,
    read_aging,
)
from bot.billing.plan_progress import plan_progress
from bot.billing.totals import credits
from bot.money import Bucket, EscalationThresholds, Money, Stage
from storage.models import (
    Client,
    FirmSetting,
)
from storage.models.billing import CollectionState

THRESHOLD_SETTINGS = {
    "reminder": "escalation_reminder",
    "formal_notice": "escalation_formal_notice",
    "partner_review": "escalation_partner_review",
    "collections": "escalation_collections",
}


def thresholds_in(session: Session) -> EscalationThresholds:
    """The firm's escalation thresholds (``/clerk settings escalation_*``), defaults otherwise.

    Raises ``InvalidInput`` naming the four values if an admin set them out of order, so a
    misconfigured ladder is reported instead of silently escalating at the wrong age.
    """
    stored = dict(
        session.execute(
            select(FirmSetting.key, FirmSetting.value).where(
                FirmSetting.key.in_(THRESHOLD_SETTINGS.values())
            )
        ).all()
    )
    default = EscalationThresholds()
    values = {
        name: int(stored.get(key, getattr(default, name)))
        for name, key in THRESHOLD_SETTINGS.items()
    }
    return EscalationThresholds(**values)


def money(cents: int, currency: str, home_currency: str = "USD") -> str:
    return Money(cents, currency).format(home_currency)


def manual_floors(session: Session, client_ids: Sequence[int] | None = None) -> dict[int, Stage]:
    query = select(CollectionState.client_id, CollectionState.manual_floor).where(
        CollectionState.manual_floor.is_not(None)
    )
    if client_ids is not None:
        query = query.where(CollectionState.client_id.in_(client_ids))
    return {client_id: Stage(floor) for client_id, floor in session.execute(query)}


def aged_accounts(
    session: Session,
    *,
    as_of: date,
    client_ids: Sequence[int] | None = None,
    lawyer_id: int | None = None,
    only_overdue: bool = False,
    standing_only: bool = False,
    thresholds: EscalationThresholds | None = None,
) -> AgedAccounts:
    """The accounts ``accounts`` returns, as aggregate rows with their stages, so a caller
    that shows a few of thousands builds only those (see ``bot.billing.aged_accounts``).

    ``standing_only``: only the accounts that can stand above current (something past due,
    or the client's active payment plan), which is all the morning's stage sync and overdue
    post read; a fifth of a large firm's accounts owe nothing past due.
    """
    thresholds = thresholds or thresholds_in(session)
    return read_aging(
        session,
        as_of=as_of,
        thresholds=thresholds,
        plans=plan_progress(session, as_of=as_of, client_ids=client_ids),
        floors=manual_floors(session, client_ids),
        client_ids=client_ids,
        lawyer_id=lawyer_id,
        only_overdue=only_overdue,
        standing_only=standing_only,
    )


def accounts(
    session: Session,
    *,
    as_of: date,
    client_ids: Sequence[int] | None = None,
    lawyer_id: int | None = None,
    only_overdue: bool = False,
    thresholds: EscalationThresholds | None = None,
) -> list[AccountAging]:
    """Every account with money outstanding (or only overdue ones), unsorted."""
    return aged_accounts(
        session,
        as_of=as_of,
        client_ids=client_ids,
        lawyer_id=lawyer_id,
        only_overdue=only_overdue,
        thresholds=thresholds,
    ).all()


def overdue_accounts(
    session: Session,
    *,
    as_of: date,
    lawyer_id: int | None = None,
    thresholds: EscalationThresholds | None = None,
) -> list[AccountAging]:
    """Every account with money past due, worst first (stage, age, amount, then code).

    ``lawyer_id`` narrows it to one responsible lawyer's clients (their DM, their Home tab).
    """
    return list(
        aged_accounts(
            session, as_of=as_of, lawyer_id=lawyer_id, only_overdue=True, thresholds=thresholds
        ).worst_first()
    )


def client_balance_line(
    session: Session, client: Client, as_of: date, *, home_currency: str = "USD"
) -> str | None:
    """One line for the client card; None when the client owes nothing and has no credit.

    e.g. "Outstanding $12,500.00 · $4,000.00 overdue (31-60) · stage 2 formal notice".
    """
    parts: list[str] = []
    for account in accounts(session, as_of=as_of, client_ids=[client.id]):
        line = f"Outstanding {money(account.total_cents, account.currency, home_currency)}"
        if account.overdue_cents:
            worst = account.worst_bucket
            line += (
                f" · {money(account.overdue_cents, account.currency, home_currency)} overdue"
                + (f" ({worst.label})" if worst else "")
            )
        if account.disputed_cents:
            line += f" · {money(account.disputed_cents, account.currency, home_currency)} disputed"
        if account.on_plan:
            line += " · on a payment plan"
        if account.stage is not Stage.CURRENT:
            line += f" · stage {int(account.stage)} {account.stage.label}"
        parts.append(line)
    for (_client_id, currency), cents in sorted(credits(session, [client.id]).items()):
        if cents > 0:
            parts.append(f"Credit {money(cents, currency, home_currency)}")
    return " · ".join(parts) if parts else None


def firm_aging(session: Session, *, as_of: date) -> dict[str, dict[Bucket, int]]:
    """The firm's aging buckets by currency, as of today's allocations (for reports)."""
    totals: dict[str, dict[Bucket, int]] = {}
    for account in accounts(session, as_of=as_of, thresholds=EscalationThresholds()):
        into = totals.setdefault(account.currency, dict.fromkeys(Bucket, 0))
        for bucket, cents in account.buckets.items():
            into[bucket] += cents
    return totals
