"""How a client pays: the figures a partner decides credit on, from the ledger, in SQL.

Over the invoices the client was issued in the last 12 months (to the firm's today, the
*year*), and the same figures for the 12 months before (the *year before*):

* **paid**: an invoice is paid on the day its last allocation brought what is owed on it to
  zero (``paid_cents`` reached ``amount_cents``; partial payments before that do not count
  until the last one). An allocation is dated by its payment's ``received_on``, or by the
  invoice's issue date when the money was already on account (a **credit** from an earlier
  overpayment or a voided invoice, applied on issue): such an invoice is paid in 0 days.
  Allocations from **voided payments** do not count (the ledger has already taken them off
  the invoice, which may then be unpaid again).
* **median days to payment**: the median of (paid day - issue day) over the year's paid
  invoices (the mean of the two middle ones when their number is even, rounded to a day).
* **paid by the due date**: the share of the year's *decided* invoices paid on or before
  their due date. Decided: paid, or unpaid and past due, or written off (never paid in full:
  late). Left out: unpaid invoices not yet due, and unpaid ones still in dispute (a dispute
  suspends the due date until it is resolved). A disputed invoice once paid counts as any.
* **disputes**: the year's invoices that were ever disputed (an invoice keeps its dispute
  reason after the dispute is resolved).
* **void invoices** are left out of everything: they were never owed.
* **trend**: the year's median against the year before's. ``TREND_DAYS`` or more slower
  (faster) reads "slower (faster) than the year before"; less reads "about as fast".

One statement per ``/balance``: the invoices come from ``ix_invoices_client_issued`` (this
client's last two years only), each one's paid day from its allocations (indexed by
invoice), and the median from window functions, so the work grows with two years of one
client's invoices, not with its history or the firm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from storage.models import Invoice, InvoiceStatus, Payment, PaymentAllocation, PaymentStatus

YEAR = timedelta(days=365)
TREND_DAYS = 5


@dataclass(frozen=True)
class Window:
    """One year's figures."""

    invoices: int  # issued, not void
    paid: int
    median_days: int | None
    decided: int
    on_time: int
    disputes: int

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.decided) if self.decided else None


@dataclass(frozen=True)
class Behaviour:
    year: Window
    before: Window

    def sentence(self) -> str:
        """e.g. "pays in a median 38 days (12 invoices paid); 58% paid by the due date
        (7 of 12); 1 dispute; slower than the year before (median 24 days)"."""
        year = self.year
        if not year.invoices:
            return "no invoices issued in the last 12 months"
        parts = []
        if year.median_days is None:
            parts.append(f"none of {_count(year.invoices, 'invoice')} paid in full yet")
        else:
            parts.append(
                f"pays in a median {_count(year.median_days, 'day')} "
                f"({_count(year.paid, 'invoice')} paid)"
            )
        if year.on_time_percent is None:
            parts.append("none due yet")
        else:
            parts.append(
                f"{year.on_time_percent}% paid by the due date ({year.on_time} of {year.decided})"
            )
        parts.append(_count(year.disputes, "dispute") if year.disputes else "no disputes")
        parts.append(self.trend())
        return "; ".join(parts)

    def trend(self) -> str:
        now, then = self.year.median_days, self.before.median_days
        if then is None:
            return "nothing paid the year before to compare"
        if now is None:
            return f"the year before: median {_count(then, 'day')}"
        if now - then >= TREND_DAYS:
            word = "slower than"
        elif then - now >= TREND_DAYS:
            word = "faster than"
        else:
            word = "about as fast as"
        return f"{word} the year before (median {_count(then, 'day')})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _days(later: Any, earlier: Any, dialect: str) -> Any:
    if dialect == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier


def behaviour(session: Session, client_id: int, as_of: date) -> Behaviour:
    """The client's payment behaviour as of the firm's ``as_of`` (see the module)."""
    dialect = session.get_bind().dialect.name
    start, split = as_of - 2 * YEAR, as_of - YEAR
    alloc_day = case(
        (Payment.received_on > Invoice.issued_on, Payment.received_on), else_=Invoice.issued_on
    )
    paid_on = (
        select(func.max(alloc_day))
        .select_from(PaymentAllocation)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(
            PaymentAllocation.invoice_id == Invoice.id,
            Payment.status == PaymentStatus.RECEIVED,
        )
        .correlate(Invoice)
        .scalar_subquery()
    )
    settled = and_(Invoice.status == InvoiceStatus.OPEN, Invoice.paid_cents >= Invoice.amount_cents)
    rows = (
        select(
            case((Invoice.issued_on > split, literal(1)), else_=literal(0)).label("recent"),
            Invoice.issued_on,
            Invoice.due_on,
            Invoice.status,
            Invoice.disputed,
            Invoice.dispute_reason,
            case((settled, paid_on), else_=None).label("paid_on"),
        )
        .where(
            Invoice.client_id == client_id,
            Invoice.issued_on > start,
            Invoice.issued_on <= as_of,
            Invoice.status != InvoiceStatus.VOID,
        )
        .cte("issued")
    )
    days = _days(rows.c.paid_on, rows.c.issued_on, dialect)
    ranked = (
        select(
            rows.c.recent,
            days.label("days"),
            func.row_number().over(partition_by=rows.c.recent, order_by=days).label("rank"),
            func.count().over(partition_by=rows.c.recent).label("n"),
        )
        .where(rows.c.paid_on.is_not(None))
        .cte("ranked")
    )
    middle = or_(
        ranked.c.rank == (ranked.c.n + 1) // 2,
        ranked.c.rank == (ranked.c.n + 2) // 2,
    )
    medians = (
        select(ranked.c.recent, func.avg(ranked.c.days).label("median"))
        .where(middle)
        .group_by(ranked.c.recent)
        .cte("medians")
    )
    paid = rows.c.paid_on.is_not(None)
    on_time = and_(paid, rows.c.paid_on <= rows.c.due_on)
    decided = or_(
        paid,
        rows.c.status == InvoiceStatus.WRITTEN_OFF,
        and_(rows.c.due_on < as_of, rows.c.disputed.is_(False)),
    )

    def counted(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    figures = (
        select(
            rows.c.recent,
            func.count(),
            counted(paid),
            counted(decided),
            counted(on_time),
            counted(rows.c.dispute_reason.is_not(None)),
            func.max(medians.c.median),
        )
        .outerjoin(medians, medians.c.recent == rows.c.recent)
        .group_by(rows.c.recent)
    )
    found = {
        int(recent): Window(
            invoices=int(n),
            paid=int(n_paid or 0),
            median_days=None if median is None else int(float(median) + 0.5),
            decided=int(n_decided or 0),
            on_time=int(n_on_time or 0),
            disputes=int(n_disputes or 0),
        )
        for recent, n, n_paid, n_decided, n_on_time, n_disputes, median in session.execute(figures)
    }
    empty = Window(0, 0, None, 0, 0, 0)
    return Behaviour(year=found.get(1, empty), before=found.get(0, empty))
