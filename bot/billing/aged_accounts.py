"""Accounts receivable aging: the one aggregate per (client, currency), and its accounts.

The aggregate (``aging_query``) reads every unpaid invoice once, through the partial index of
unpaid invoices (``bot.billing.ledger``). What each row means (days overdue, derived stage,
manual floor, the stage to act on) is worked out here once, in ``AgedAccounts``, for every
caller: ``/balance``, the Home tab, reports and the 08:30 job.

Why the rows are kept and ``AccountAging`` objects are built on demand: the 08:30 job needs
every account's stage (to sync each client's recorded stage) and every overdue account's
amounts (for the post's count, totals and order), but whole objects only for the accounts its
messages show: the post's first 60 and the clients whose stage changed. On a large firm
(~4,900 accounts with money owed, ~2,600 of them overdue) building an object per account cost
as much as the aggregate itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any, overload

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.money import Bucket, EscalationThresholds, Stage, effective_stage, stage_for
from storage.models import Client, Invoice, InvoiceStatus, PaymentPlan, PlanStatus, User
from storage.models.billing import INVOICE_UNPAID

if TYPE_CHECKING:
    from bot.billing.plan_progress import PlanProgress

BUCKETS = tuple(Bucket)  # the buckets of the aging query's b0..b4, in this order


@dataclass(frozen=True)
class AccountAging:
    """One client's receivables in one currency, as of a day."""

    client_id: int
    client_code: str
    client_name: str
    lawyer_id: int | None
    lawyer_slack_id: str | None
    currency: str
    buckets: Mapping[Bucket, int]
    total_cents: int  # outstanding on open invoices, disputed included
    overdue_cents: int  # past due, disputed included
    disputed_cents: int
    overdue_undisputed_cents: int
    oldest_days_overdue: int | None  # the escalation age (None: nothing escalating)
    oldest_invoice_due: date | None  # due date of the oldest escalating invoice
    stage: Stage  # the stage to act on: derived, raised by a manual floor
    derived_stage: Stage
    manual_floor: Stage | None
    on_plan: bool
    plan_behind_cents: int
    # True when the escalation age is a late plan installment's rather than an invoice's.
    age_from_plan: bool = False

    @property
    def worst_bucket(self) -> Bucket | None:
        """The oldest bucket holding overdue money, for "$4,000 overdue (31-60)"."""
        for bucket in reversed(Bucket):
            if bucket is not Bucket.CURRENT and self.buckets.get(bucket, 0) > 0:
                return bucket
        return None

    @property
    def worst_first_key(self) -> tuple[int, int, int, int, str]:
        return worst_first_key(
            self.stage,
            self.oldest_days_overdue,
            self.overdue_undisputed_cents,
            self.overdue_cents,
            self.client_code,
        )


def worst_first_key(
    stage: Stage, days: int | None, undisputed_cents: int, overdue_cents: int, code: str
) -> tuple[int, int, int, int, str]:
    """Worst first: highest stage, oldest, most undisputed, most overdue, then by code."""
    return (-int(stage), -(days or 0), -undisputed_cents, -overdue_cents, code)


def outstanding_items(client_ids: Sequence[int] | None = None) -> Select[Any]:
    """Open invoices with money still owed: id, number, client, currency, dates, outstanding.

    Read from the invoices' running totals (``bot.billing.ledger``) through the partial index
    of unpaid invoices, so a client's settled history is never visited.
    """
    outstanding = (Invoice.amount_cents - Invoice.paid_cents).label("outstanding")
    rescheduled = case(
        (and_(Invoice.plan_id.is_not(None), PaymentPlan.status == PlanStatus.ACTIVE), 1),
        else_=0,
    ).label("rescheduled")
    query = (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.client_id,
            Invoice.currency,
            Invoice.issued_on,
            Invoice.due_on,
            Invoice.disputed,
            Invoice.plan_id,
            outstanding,
            rescheduled,
        )
        .outerjoin(PaymentPlan, PaymentPlan.id == Invoice.plan_id)
        .where(Invoice.status == InvoiceStatus.OPEN, INVOICE_UNPAID)
    )
    if client_ids is not None:
        query = query.where(Invoice.client_id.in_(client_ids))
    return query


# Positions of ``aging_query``'s columns: the per-account loop reads rows by index, the
# cheapest access (it runs for every account of the firm each morning).
(
    CLIENT_ID,
    CURRENCY,
    B0,
    B1,
    B2,
    B3,
    B4,
    TOTAL,
    DISPUTED,
    OVERDUE_UNDISPUTED,
    OLDEST_DUE,
    ON_PLAN,
    CODE,
    NAME,
    LAWYER_ID,
    SLACK_ID,
) = range(16)


def aging_query(
    as_of: date,
    client_ids: Sequence[int] | None,
    lawyer_id: int | None,
    only_overdue: bool,
    standing_only: bool = False,
) -> Select[Any]:
    items = outstanding_items(client_ids).subquery("items")
    out = items.c.outstanding
    due = items.c.due_on
    past = due < as_of
    edges = [as_of - timedelta(days=n) for n in (30, 60, 90)]

    def total(condition: Any) -> Any:
        return func.sum(case((condition, out), else_=literal(0)))

    escalating = and_(past, items.c.disputed.is_(False), items.c.rescheduled == 0)
    query = (
        select(
            items.c.client_id,
            items.c.currency,
            total(due >= as_of).label("b0"),
            total(and_(past, due >= edges[0])).label("b1"),
            total(and_(due < edges[0], due >= edges[1])).label("b2"),
            total(and_(due < edges[1], due >= edges[2])).label("b3"),
            total(due < edges[2]).label("b4"),
            func.sum(out).label("total"),
            total(items.c.disputed.is_(True)).label("disputed"),
            total(and_(past, items.c.disputed.is_(False))).label("overdue_undisputed"),
            func.min(case((escalating, due), else_=None)).label("oldest_due"),
            func.max(items.c.rescheduled).label("on_plan"),
            Client.code,
            Client.name,
            Client.lawyer_id,
            User.slack_id,
        )
        .join(Client, Client.id == items.c.client_id)
        .outerjoin(User, User.id == Client.lawyer_id)
        .group_by(
            items.c.client_id,
            items.c.currency,
            Client.code,
            Client.name,
            Client.lawyer_id,
            User.slack_id,
        )
    )
    if lawyer_id is not None:
        query = query.where(Client.lawyer_id == lawyer_id)
    if only_overdue:
        query = query.having(total(past) > 0)
    elif standing_only:
        # An account with nothing past due stands above current only through a late
        # installment of its client's payment plan (a stage set by hand lapses when nothing
        # is overdue); every other one stands as a client with no account does (current,
        # settled), and is left out of the aggregate.
        query = query.having(
            or_(
                total(past) > 0,
                items.c.client_id.in_(
                    select(PaymentPlan.client_id).where(PaymentPlan.status == PlanStatus.ACTIVE)
                ),
            )
        )
    return query


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))  # SQLite returns MIN(CASE ...) as text


# What ``AgedAccounts`` keeps of each aggregate row: the row, then what it derives from it.
# (row, days overdue, age from a plan, derived stage, manual floor, stage, overdue cents)
_Aged = tuple[Any, int | None, bool, Stage, Stage | None, Stage, int]
_SortKey = tuple[int, int, int, int, str]  # AccountAging.worst_first_key, from a row


class AgedAccounts:
    """The aging rows of some accounts as of a day, each with its stage already derived.

    One pass over the rows also gathers what the morning needs of *every* account: each
    client's standing (``client_stages``), the overdue accounts' sort keys and totals.
    """

    def __init__(
        self,
        rows: Iterable[Any],
        *,
        as_of: date,
        thresholds: EscalationThresholds,
        plans: Mapping[int, PlanProgress],
        floors: Mapping[int, Stage],
    ) -> None:
        self._plans = plans
        self._aged: list[_Aged] = []
        self._overdue: list[tuple[_SortKey, _Aged]] = []
        self._standing: dict[int, tuple[Stage, bool]] = {}
        self._totals: dict[str, int] = {}
        stages: dict[int | None, Stage] = {}  # most accounts share an age: derive each once
        for row in rows:
            client_id = row[CLIENT_ID]
            oldest_due = _as_date(row[OLDEST_DUE])
            days = (as_of - oldest_due).days if oldest_due else None
            plan = plans.get(client_id)
            from_plan = False
            if plan is not None and plan.oldest_late_due is not None:
                plan_days = (as_of - plan.oldest_late_due).days
                if days is None or plan_days > days:
                    days, from_plan = plan_days, True
            derived = stages.get(days)
            if derived is None:
                derived = stages[days] = stage_for(days, thresholds)
            floor = floors.get(client_id)
            stage = derived if floor is None else effective_stage(derived, floor)
            overdue = int(row[TOTAL] or 0) - int(row[B0] or 0)
            aged = (row, days, from_plan, derived, floor, stage, overdue)
            self._aged.append(aged)
            if overdue == 0 and stage is Stage.CURRENT:
                continue  # stands as a client with no account would: left out of both below
            seen = self._standing.get(client_id)
            self._standing[client_id] = (
                (stage, overdue == 0)
                if seen is None
                else (max(seen[0], stage), seen[1] and not overdue)
            )
            if overdue > 0:
                undisputed = int(row[OVERDUE_UNDISPUTED] or 0)
                key = worst_first_key(stage, days, undisputed, overdue, row[CODE])
                self._overdue.append((key, aged))
                self._totals[row[CURRENCY]] = self._totals.get(row[CURRENCY], 0) + overdue

    def __len__(self) -> int:
        return len(self._aged)

    def all(self) -> list[AccountAging]:
        """Every account, in the aggregate's order."""
        return [self._account(aged) for aged in self._aged]

    def client_stages(self) -> dict[int, tuple[Stage, bool]]:
        """By client: the highest stage over its currencies, and whether it is settled
        (nothing past due in any currency). What the stage sync compares, without objects.
        A client left out stands at *current*, settled (no account, or none overdue)."""
        return self._standing

    def of_clients(self, client_ids: Iterable[int]) -> dict[int, list[AccountAging]]:
        """The accounts of the given clients (those with none are left out), in order."""
        wanted = set(client_ids)
        found: dict[int, list[AccountAging]] = {}
        for aged in self._aged:
            client_id = aged[0][CLIENT_ID]
            if client_id in wanted:
                found.setdefault(client_id, []).append(self._account(aged))
        return found

    def worst_first(self) -> WorstFirst:
        """The accounts with money past due, worst first: stage, age, undisputed overdue,
        overdue, then client code (``AccountAging.worst_first_key``, from the same facts;
        the sort is stable, so ties keep the aggregate's order as before)."""
        ordered = sorted(self._overdue, key=itemgetter(0))
        return WorstFirst(self, [aged for _key, aged in ordered], dict(self._totals))

    def _account(self, aged: _Aged) -> AccountAging:
        row, days, from_plan, derived, floor, stage, overdue = aged
        plan = self._plans.get(row[CLIENT_ID])
        return AccountAging(
            client_id=row[CLIENT_ID],
            client_code=row[CODE],
            client_name=row[NAME],
            lawyer_id=row[LAWYER_ID],
            lawyer_slack_id=row[SLACK_ID],
            currency=row[CURRENCY],
            buckets={bucket: int(row[B0 + i] or 0) for i, bucket in enumerate(BUCKETS)},
            total_cents=int(row[TOTAL] or 0),
            overdue_cents=overdue,
            disputed_cents=int(row[DISPUTED] or 0),
            overdue_undisputed_cents=int(row[OVERDUE_UNDISPUTED] or 0),
            oldest_days_overdue=days,
            oldest_invoice_due=_as_date(row[OLDEST_DUE]),
            stage=stage,
            derived_stage=derived,
            manual_floor=floor,
            on_plan=bool(row[ON_PLAN]) and plan is not None,
            plan_behind_cents=plan.behind_cents if plan is not None else 0,
            age_from_plan=from_plan,
        )


class WorstFirst(Sequence[AccountAging]):
    """Overdue accounts, worst first, whose ``AccountAging`` is built when first read: the
    post reads its first 60, its count and ``totals``, never the other thousands."""

    def __init__(self, source: AgedAccounts, aged: list[_Aged], totals: dict[str, int]) -> None:
        self._source = source
        self._aged = aged
        self._totals = totals
        self._built: dict[int, AccountAging] = {}

    def __len__(self) -> int:
        return len(self._aged)

    @overload
    def __getitem__(self, index: int) -> AccountAging: ...

    @overload
    def __getitem__(self, index: slice) -> list[AccountAging]: ...

    def __getitem__(self, index: int | slice) -> AccountAging | list[AccountAging]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._aged)))]
        if index < 0:
            index += len(self._aged)
        if not 0 <= index < len(self._aged):
            raise IndexError(index)
        found = self._built.get(index)
        if found is None:
            found = self._built[index] = self._source._account(self._aged[index])
        return found

    def __iter__(self) -> Iterator[AccountAging]:
        return (self[i] for i in range(len(self._aged)))

    def totals(self) -> dict[str, int]:
        """Overdue cents by currency over all of them, summed from the rows."""
        return dict(self._totals)


def read_aging(
    session: Session,
    *,
    as_of: date,
    thresholds: EscalationThresholds,
    plans: Mapping[int, PlanProgress],
    floors: Mapping[int, Stage],
    client_ids: Sequence[int] | None = None,
    lawyer_id: int | None = None,
    only_overdue: bool = False,
    standing_only: bool = False,
) -> AgedAccounts:
    """Run the aggregate and derive each account's stage (``receivables.accounts`` reads the
    plans and floors it needs).

    Executed on the session's connection: the rows are plain Core rows, not passed through
    the ORM's result machinery (the callers' earlier reads have autoflushed the session).
    """
    query = aging_query(as_of, client_ids, lawyer_id, only_overdue, standing_only)
    rows = session.connection().execute(query).all()
    return AgedAccounts(rows, as_of=as_of, thresholds=thresholds, plans=plans, floors=floors)
