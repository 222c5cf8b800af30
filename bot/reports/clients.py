"""The client analysis (``/clerk report clients``, and part of the monthly report): clients by
industry, by size and by practice area; the ten clients with the most fees collected; key
clients with their last contact; new clients by referral source.

The window is the last twelve months: the 365 firm-local days ending today (Clerk's clock,
never the machine's). For each segment:

- *clients*: clients not marked former (active ones and prospects alike: a prospect is
  work the firm is winning, a former client is not the firm's any more);
- *active matters*: their open matters;
- *billed*: invoices issued in the window, voided ones left out (a written-off invoice was
  billed, as in the monthly report);
- *collected*: fee payments received in the window (trust deposits are the client's money,
  not fees; voided payments never arrived);
- *overdue*: what open invoices past their due date still owe today: the "overdue" of
  ``/balance overdue`` (``bot.billing.aged_accounts``: disputed invoices included, credits
  not netted), and a written-off invoice's rest is not owed;
- *satisfaction*: the average of the scores (1-5) given when matters closed in the window;
  None when no matter was scored;
- *new*: clients added in the window, former ones included (they were won in it).

Money figures count every client of the segment, a former client's too: what it was billed
and paid in the window happened. A client with no industry, size, practice area or referral
source is counted under "(not set)". The practice-area table counts a client once under
every area it has a matter in (open or closed), with all of that client's figures: so its
rows overlap, and do not add up to the firm's totals (the industry and size tables do).
Money is in the firm's currency: invoices and payments in another are left out, never
converted, and the other currencies are named so the reader knows the figures are partial.

Every figure is set-based SQL: one aggregate per measure keyed by client, joined to the
clients and grouped by the segment in the database, never a query per client nor every row
read into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select, union
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.dates.times import local_days
from storage.models import (
    Client,
    ClientStatus,
    Contact,
    Invoice,
    InvoiceStatus,
    Matter,
    MatterStatus,
    Payment,
    PaymentStatus,
)
from storage.models.billing import INVOICE_UNPAID

WINDOW_DAYS = 365
TOP = 10
NOT_SET = "(not set)"
# Open invoices with money unpaid: what ``/balance`` and ``/balance overdue`` age
# (``bot.billing.aged_accounts.outstanding_items``), answered from the partial index of
# unpaid invoices; voided and written-off invoices are owed by nobody.
OWED = (Invoice.status == InvoiceStatus.OPEN, INVOICE_UNPAID)


@dataclass(frozen=True)
class SegmentRow:
    label: str
    clients: int
    active_matters: int
    billed_cents: int
    collected_cents: int
    overdue_cents: int
    satisfaction: float | None  # the average score, None when no matter was scored
    new_clients: int


@dataclass(frozen=True)
class TopClient:
    code: str
    name: str
    collected_cents: int


@dataclass(frozen=True)
class KeyClient:
    code: str
    name: str
    last_contact: date | None  # firm-local day


@dataclass(frozen=True)
class ClientAnalysis:
    start: date
    end: date
    currency: str
    by_industry: list[SegmentRow]
    by_size: list[SegmentRow]
    by_practice_area: list[SegmentRow]
    top: list[TopClient]
    key_clients: list[KeyClient]
    referrals: list[tuple[str, int]]  # new clients in the window by referral source
    other_currencies: list[str]


@dataclass(frozen=True)
class _Window:
    start: date
    end: date
    begin: datetime  # UTC instant of the first day's local midnight
    finish: datetime  # UTC instant of the midnight after the last day
    currency: str


def _window(today: date, zone: tzinfo, currency: str) -> _Window:
    start = today - timedelta(days=WINDOW_DAYS - 1)
    return _Window(start, today, *local_days(start, today, zone), currency)


# --- one aggregate per measure, keyed by client -------------------------------------------


def _per_client(w: _Window, today: date) -> dict[str, Any]:
    """Subqueries (client_id, value) for each measure."""
    matters = (
        select(Matter.client_id, func.count(Matter.id).label("v"))
        .where(Matter.status == MatterStatus.OPEN)
        .group_by(Matter.client_id)
        .subquery("active_matters")
    )
    billed = (
        select(Invoice.client_id, func.sum(Invoice.amount_cents).label("v"))
        .where(
            Invoice.status != InvoiceStatus.VOID,
            Invoice.currency == w.currency,
            Invoice.issued_on >= w.start,
            Invoice.issued_on <= w.end,
        )
        .group_by(Invoice.client_id)
        .subquery("billed")
    )
    collected = _collected(w).subquery("collected")
    overdue = (
        select(Invoice.client_id, func.sum(Invoice.amount_cents - Invoice.paid_cents).label("v"))
        .where(*OWED, Invoice.due_on < today, Invoice.currency == w.currency)
        .group_by(Invoice.client_id)
        .subquery("overdue")
    )
    scored = (
        select(
            Matter.client_id,
            func.sum(Matter.satisfaction).label("total"),
            func.count(Matter.satisfaction).label("n"),
        )
        .where(
            Matter.satisfaction.is_not(None),
            Matter.closed_on >= w.start,
            Matter.closed_on <= w.end,
        )
        .group_by(Matter.client_id)
        .subquery("scored")
    )
    return {
        "matters": matters,
        "billed": billed,
        "collected": collected,
        "overdue": overdue,
        "scored": scored,
    }


def _collected(w: _Window) -> Select[Any]:
    return (
        select(Payment.client_id, func.sum(Payment.amount_cents).label("v"))
        .where(
            Payment.status == PaymentStatus.RECEIVED,
            Payment.is_trust.is_(False),
            Payment.currency == w.currency,
            Payment.received_on >= w.start,
            Payment.received_on <= w.end,
        )
        .group_by(Payment.client_id)
    )


def _segment_rows(
    session: Session,
    w: _Window,
    today: date,
    label: ColumnElement[Any],
    base: Select[Any] | None = None,
) -> list[SegmentRow]:
    """Clients grouped by ``label`` (an expression over ``Client``, or ``base``'s ``label``
    column when clients are first spread over their matters' practice areas)."""
    m = _per_client(w, today)
    live = Client.status != ClientStatus.FORMER
    new = and_(Client.created_at >= w.begin, Client.created_at < w.finish)

    def total(sub: Any) -> ColumnElement[Any]:
        return func.coalesce(func.sum(sub.c.v), 0)

    if base is None:
        source: Any = select(Client.id.label("client_id"), label.label("label")).subquery("seg")
    else:
        source = base.subquery("seg")
    query = (
        select(
            source.c.label,
            func.count(case((live, 1))),
            total(m["matters"]),
            total(m["billed"]),
            total(m["collected"]),
            total(m["overdue"]),
            func.sum(m["scored"].c.total),
            func.sum(m["scored"].c.n),
            func.count(case((new, 1))),
        )
        .select_from(source)
        .join(Client, Client.id == source.c.client_id)
    )
    for name in ("matters", "billed", "collected", "overdue", "scored"):
        sub = m[name]
        query = query.outerjoin(sub, sub.c.client_id == Client.id)
    query = query.group_by(source.c.label)
    rows = []
    for (
        found,
        clients,
        matters,
        billed,
        collected,
        overdue,
        score,
        scored,
        added,
    ) in session.execute(query):
        rows.append(
            SegmentRow(
                label=found or NOT_SET,
                clients=int(clients),
                active_matters=int(matters),
                billed_cents=int(billed),
                collected_cents=int(collected),
                overdue_cents=int(overdue),
                satisfaction=round(float(score) / int(scored), 2) if scored else None,
                new_clients=int(added),
            )
        )
    return sorted(rows, key=lambda r: (-r.billed_cents, -r.clients, r.label.lower()))


def _practice_areas() -> Select[Any]:
    """(client_id, label): each client once for every practice area of its matters."""
    area = func.coalesce(func.nullif(func.trim(Matter.practice_area), ""), literal(NOT_SET))
    return select(Matter.client_id.label("client_id"), area.label("label")).distinct()


def _top(session: Session, w: _Window) -> list[TopClient]:
    collected = _collected(w).subquery("collected")
    rows = session.execute(
        select(Client.code, Client.name, collected.c.v)
        .join(collected, collected.c.client_id == Client.id)
        .order_by(collected.c.v.desc(), Client.code)
        .limit(TOP)
    )
    return [TopClient(code, name, int(cents)) for code, name, cents in rows]


def _key_clients(session: Session, zone: tzinfo) -> list[KeyClient]:
    last = (
        select(Contact.client_id, func.max(Contact.occurred_at).label("at"))
        .group_by(Contact.client_id)
        .subquery("last_contact")
    )
    rows = session.execute(
        select(Client.code, Client.name, last.c.at)
        .outerjoin(last, last.c.client_id == Client.id)
        .where(Client.is_key.is_(True), Client.status != ClientStatus.FORMER)
        .order_by(last.c.at.is_not(None), last.c.at, Client.code)
    )
    found = []
    for code, name, at in rows:
        day = _aware(at).astimezone(zone).date() if at is not None else None
        found.append(KeyClient(code, name, day))
    return found


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _referrals(session: Session, w: _Window) -> list[tuple[str, int]]:
    source = func.coalesce(func.nullif(func.trim(Client.referral_source), ""), literal(NOT_SET))
    rows = session.execute(
        select(source, func.count(Client.id))
        .where(Client.created_at >= w.begin, Client.created_at < w.finish)
        .group_by(source)
        .order_by(func.count(Client.id).desc(), source)
    )
    return [(str(label), int(count)) for label, count in rows]


def _other_currencies(session: Session, w: _Window) -> list[str]:
    """Currencies other than the firm's that the figures leave out: billed or collected in
    the window, or owed today (the whole unpaid rest, not only what is past due: one
    equality the partial index of unpaid invoices answers, where the due day made SQLite
    walk every open invoice)."""
    other = Invoice.currency != w.currency
    billed = select(Invoice.currency).where(
        other,
        Invoice.status != InvoiceStatus.VOID,
        Invoice.issued_on >= w.start,
        Invoice.issued_on <= w.end,
    )
    owed = select(Invoice.currency).where(other, *OWED)
    collected = select(Payment.currency).where(
        Payment.currency != w.currency,
        Payment.status == PaymentStatus.RECEIVED,
        Payment.is_trust.is_(False),
        Payment.received_on >= w.start,
        Payment.received_on <= w.end,
    )
    found = union(billed, owed, collected).subquery("other")
    return sorted(str(c) for c in session.scalars(select(found.c.currency)))


def analyse_clients(
    session: Session, *, today: date, zone: tzinfo, currency: str
) -> ClientAnalysis:
    """The analysis of the twelve months ending ``today``."""
    w = _window(today, zone, currency)
    industry = func.coalesce(func.nullif(func.trim(Client.industry), ""), literal(NOT_SET))
    size = func.coalesce(func.nullif(func.trim(Client.size), ""), literal(NOT_SET))
    return ClientAnalysis(
        start=w.start,
        end=w.end,
        currency=currency,
        by_industry=_segment_rows(session, w, today, industry),
        by_size=_segment_rows(session, w, today, size),
        by_practice_area=_segment_rows(session, w, today, literal(""), _practice_areas()),
        top=_top(session, w),
        key_clients=_key_clients(session, zone),
        referrals=_referrals(session, w),
        other_currencies=_other_currencies(session, w),
    )
