"""Properties that must hold for every input, checked with hypothesis."""

from __future__ import annotations

import ast
import calendar
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.money.aging import Bucket, OpenItem, age
from bot.money.allocation import allocate_payment, allocate_to_invoice
from bot.money.amounts import MAX_CENTS, Money, parse_amount
from bot.money.currencies import CURRENCIES
from bot.money.escalation import EscalationThresholds, Stage, stage_for
from bot.money.plans import MAX_INSTALLMENTS, schedule

currencies = st.sampled_from(sorted(CURRENCIES))
any_cents = st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
positive_cents = st.integers(min_value=1, max_value=10**9)


@given(any_cents, currencies, currencies)
def test_format_then_parse_round_trips(cents: int, currency: str, home: str) -> None:
    money = Money(cents, currency)
    text = money.format(home)
    assert parse_amount(text, home, allow_zero=True, allow_negative=True) == money


@given(any_cents, currencies)
def test_decimal_string_round_trips(cents: int, currency: str) -> None:
    money = Money(cents, currency)
    assert Money.from_decimal_string(money.decimal_string(), currency) == money


@given(st.text().filter(lambda s: not any(c in "0123456789" for c in s)))
def test_parse_never_reads_an_amount_without_digits(text: str) -> None:
    try:
        parse_amount(text)
    except InvalidInput:
        return
    raise AssertionError(f"read an amount from {text!r}")


@given(st.text(alphabet=st.sampled_from("0123456789.,$€£-+ kKmUSDEReurxyz()%\u00a0٣"), max_size=20))
def test_parse_only_ever_refuses_with_invalid_input(text: str) -> None:
    try:
        money = parse_amount(text)
    except InvalidInput as err:
        assert err.message
        return
    assert 0 < money.cents <= MAX_CENTS
    assert money.currency in CURRENCIES


@given(st.integers(min_value=0, max_value=10**11 - 1), st.integers(min_value=0, max_value=99))
def test_parse_matches_exact_decimal_reading(units: int, hundredths: int) -> None:
    expected = int(Decimal(f"{units}.{hundredths:02d}") * 100)
    for text in (f"{units}.{hundredths:02d}", f"{units:,}.{hundredths:02d}", f"${units:,}"):
        want = expected if "$" not in text else units * 100
        if want == 0:
            continue
        assert parse_amount(text).cents == want


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=999))
def test_parse_k_is_exact_thousands(units: int, thousandths: int) -> None:
    text = f"{units}.{thousandths:03d}k"
    assert parse_amount(text).cents == int(Decimal(text[:-1]) * 1000 * 100)


invoice_lists = st.lists(
    st.tuples(
        st.text(alphabet="ABC0123456789", min_size=1, max_size=5),
        dates,
        dates,
        st.integers(min_value=0, max_value=10**7),
    ),
    max_size=12,
    unique_by=lambda t: t[0],
)


@given(positive_cents, invoice_lists)
def test_allocation_conserves_cents_and_pays_oldest_first(
    amount: int, invoices: list[tuple[str, date, date, int]]
) -> None:
    result = allocate_payment(amount, invoices)
    assert result.applied_cents + result.unapplied_cents == amount
    outstanding = {key: cents for key, _, _, cents in invoices}
    assert all(0 < a.applied_cents <= outstanding[a.key] for a in result.applications)
    assert all(
        a.remaining_cents == outstanding[a.key] - a.applied_cents for a in result.applications
    )
    # Only the last invoice touched may be left partly unpaid, and only if the money ran out.
    assert all(a.pays_in_full for a in result.applications[:-1])
    if result.unapplied_cents:
        assert result.applied_cents == sum(outstanding.values())
    order = {key: (due, issued, key) for key, issued, due, _ in invoices}
    touched = [order[a.key] for a in result.applications]
    assert touched == sorted(touched)
    untouched = [
        order[k]
        for k, c in outstanding.items()
        if c and k not in {a.key for a in result.applications}
    ]
    if touched and untouched:
        assert max(touched) < min(untouched)


@given(positive_cents, invoice_lists, st.data())
def test_named_allocation_conserves_cents(
    amount: int, invoices: list[tuple[str, date, date, int]], data: st.DataObject
) -> None:
    if not invoices:
        return
    key = data.draw(st.sampled_from([inv[0] for inv in invoices]))
    result = allocate_to_invoice(amount, key, invoices)
    assert result.applied_cents + result.unapplied_cents == amount
    assert all(a.key == key for a in result.applications)


@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=1, max_value=10**9),
    st.sampled_from(["week", "month"]),
    dates,
)
def test_schedule_sums_to_total_exactly(total: int, amount: int, every: str, start: date) -> None:
    needed = -(-total // amount)
    if needed > MAX_INSTALLMENTS:
        return
    plan = schedule(total, amount, every, start)  # type: ignore[arg-type]
    assert sum(i.amount_cents for i in plan) == total
    assert len(plan) == needed
    assert all(i.amount_cents == amount for i in plan[:-1])
    assert 0 < plan[-1].amount_cents <= amount
    assert [i.number for i in plan] == list(range(1, needed + 1))
    assert all(a.due_on < b.due_on for a, b in pairwise(plan))
    assert schedule(total, amount, every, start, count=needed) == plan  # type: ignore[arg-type]
    for i, inst in enumerate(plan):
        if every == "week":
            assert inst.due_on == start + timedelta(weeks=i)
        else:
            last = calendar.monthrange(inst.due_on.year, inst.due_on.month)[1]
            assert inst.due_on.day == min(start.day, last)


@given(
    st.lists(
        st.tuples(st.integers(min_value=-100, max_value=400), st.integers(0, 10**8), st.booleans()),
        max_size=15,
    )
)
def test_aging_totals_add_up(rows: list[tuple[int, int, bool]]) -> None:
    as_of = date(2026, 11, 20)
    items = [
        OpenItem(str(i), as_of - timedelta(days=late), cents, disputed)
        for i, (late, cents, disputed) in enumerate(rows)
    ]
    report = age(items, as_of)
    assert sum(report.buckets.values()) == report.total_cents == sum(c for _, c, _ in rows)
    assert report.overdue_cents == report.total_cents - report.buckets[Bucket.CURRENT]
    assert report.overdue_undisputed_cents + report.disputed_cents >= report.overdue_cents
    undisputed_late = [late for late, cents, d in rows if late > 0 and cents and not d]
    assert report.oldest_days_overdue == (max(undisputed_late) if undisputed_late else None)


@given(st.integers(min_value=-10, max_value=500), st.integers(min_value=0, max_value=50))
def test_stage_never_goes_down_as_days_pass(days: int, more: int) -> None:
    t = EscalationThresholds()
    assert stage_for(days + more, t) >= stage_for(days, t)
    assert stage_for(days, t) in Stage


def test_money_code_has_no_floats() -> None:
    """No float literal, no ``float(...)`` and no true division outside DSO's Decimal maths."""
    root = Path(__file__).resolve().parents[2] / "bot" / "money"
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), path
            assert not (isinstance(node, ast.Name) and node.id == "float"), path
            if path.name != "dso.py":
                assert not isinstance(node, ast.Div), f"true division in {path.name}"
