"""The collections ladder: the sync, *Next stage* and its floor, disputes and payment plans."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.billing import collections as escalation
from bot.billing import invoice_changes, plan_progress, receivables
from bot.billing.plans import NewPlan, cancel_plan, create_plan
from bot.errors import Conflict, InvalidInput, PermissionDenied
from bot.money import EscalationThresholds, Money, Stage
from storage.db import Database
from storage.models import EscalationEvent, FirmSetting, Installment, PaymentPlan, PlanStatus
from tests.billing.conftest import TODAY, actor, client
from tests.billing.test_billing_services import T, account, invoice, pay


def sync(db: Database, as_of: date, thresholds: EscalationThresholds = T) -> list:
    with db.unit_of_work("system") as s:
        return escalation.sync_escalation_stages(s, as_of=as_of, thresholds=thresholds)


def events(db: Database, code: str = "ACME") -> list[tuple[int, int, bool, str]]:
    with db.reading() as s:
        rows = s.scalars(
            select(EscalationEvent)
            .where(EscalationEvent.client_id == client(db, code).id)
            .order_by(EscalationEvent.id)
        )
        return [(e.from_stage, e.to_stage, e.manual, e.actor) for e in rows]


def advance(db: Database, who: str = "U_PAUL", reason: str = "no reply to 3 calls", **kw):
    with db.unit_of_work(who) as s:
        return escalation.advance_stage(
            s,
            actor=actor(db, who),
            client="ACME",
            reason=reason,
            as_of=kw.get("as_of", TODAY),
            thresholds=T,
        )


def test_the_sync_records_each_change_once_with_its_reason(firm_db: Database) -> None:
    invoice(firm_db, "INV-7", 10_000, due=TODAY - timedelta(days=1))  # records 0 -> 1
    invoice(firm_db, "GX-1", 5_000, code="GLOBEX", due=TODAY)
    assert sync(firm_db, TODAY) == []  # nothing changed since the command recorded it
    later = TODAY + timedelta(days=30)  # INV-7 31 days overdue; GX-1 30 days
    changes = sync(firm_db, later)
    assert {(c.client_code, c.from_stage, c.to_stage) for c in changes} == {
        ("ACME", Stage.REMINDER, Stage.FORMAL_NOTICE),
        ("GLOBEX", Stage.CURRENT, Stage.FORMAL_NOTICE),
    }
    acme = next(c for c in changes if c.client_code == "ACME")
    assert acme.reason == "oldest unpaid invoice INV-7 is 31 days overdue"
    assert (acme.actor, acme.lawyer_slack_id, acme.raised) == ("system", "U_LENA", True)
    assert sync(firm_db, later) == []
    assert events(firm_db) == [(0, 1, False, "U_BILL"), (1, 2, False, "system")]


def test_thresholds_are_firm_settings(firm_db: Database) -> None:
    with firm_db.unit_of_work("U_ADMIN") as s:
        s.add(FirmSetting(key="escalation_formal_notice", value=10))
    with firm_db.reading() as s:
        thresholds = receivables.thresholds_in(s)
    assert thresholds == EscalationThresholds(1, 10, 60, 90)
    invoice(firm_db, "INV-1", 100, due=TODAY - timedelta(days=12))
    with firm_db.reading() as s:
        (found,) = receivables.overdue_accounts(s, as_of=TODAY)
    assert found.stage is Stage.FORMAL_NOTICE
    with firm_db.unit_of_work("U_ADMIN") as s:
        s.add(FirmSetting(key="escalation_partner_review", value=5))
    with firm_db.reading() as s, pytest.raises(InvalidInput, match="increase"):
        receivables.thresholds_in(s)


def test_next_stage_holds_until_the_account_is_settled(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 10_000, due=TODAY - timedelta(days=5))
    invoice(firm_db, "INV-2", 10_000, due=TODAY - timedelta(days=2))
    change = advance(firm_db)
    assert (change.from_stage, change.to_stage, change.manual) == (1, 2, True)
    assert change.reason == "no reply to 3 calls" and change.actor == "U_PAUL"
    assert sync(firm_db, TODAY + timedelta(days=1)) == []  # the next sync keeps it
    pay(firm_db, 10_000)  # INV-1 paid; INV-2 still late: the floor holds
    assert account(firm_db).stage is Stage.FORMAL_NOTICE
    assert sync(firm_db, TODAY + timedelta(days=60)) != []  # ages climb past the floor
    held = account(firm_db)  # as of TODAY: INV-2 is 2 days late, held at the floor
    assert (held.derived_stage, held.stage) == (Stage.REMINDER, Stage.FORMAL_NOTICE)
    pay(firm_db, 10_000)  # settled: stage 0 and the floor cleared
    assert events(firm_db)[-1][:2] == (3, 0)
    invoice(firm_db, "INV-3", 500, due=TODAY - timedelta(days=3))
    assert account(firm_db).stage is Stage.REMINDER  # starts again from the reminder


def test_next_stage_refusals(firm_db: Database) -> None:
    with pytest.raises(Conflict, match="nothing undisputed overdue"):
        advance(firm_db)
    invoice(firm_db, "INV-1", 10_000, due=TODAY - timedelta(days=100))
    with pytest.raises(Conflict, match="last stage"):
        advance(firm_db)
    with pytest.raises(PermissionDenied):
        advance(firm_db, who="U_LENA")
    with pytest.raises(InvalidInput, match="reason"):
        advance(firm_db, reason="  ")


def test_a_dispute_pauses_a_manual_floor_and_resolving_restores_it(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 10_000, due=TODAY - timedelta(days=5))
    advance(firm_db)
    with firm_db.unit_of_work("U_BILL") as s:
        invoice_changes.mark_disputed(
            s,
            actor=actor(firm_db, "U_BILL"),
            invoice_number="INV-1",
            reason="scope",
            today=TODAY,
            thresholds=T,
        )
    assert account(firm_db).stage is Stage.CURRENT
    with firm_db.unit_of_work("U_BILL") as s:
        out = invoice_changes.resolve_dispute(
            s, actor=actor(firm_db, "U_BILL"), invoice_number="INV-1", today=TODAY, thresholds=T
        )
    assert [(c.from_stage, c.to_stage) for c in out.changes] == [(0, 2)]


def plan(db: Database, cents: int, every: str, start: date, count: int | None = None):
    with db.unit_of_work("U_BILL") as s:
        return create_plan(
            s,
            actor=actor(db, "U_BILL"),
            new=NewPlan("ACME", Money(cents, "USD"), every, start, count),  # type: ignore[arg-type]
            today=TODAY,
            thresholds=T,
        )


def test_a_monthly_plan_from_jan_31_keeps_month_ends(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 100_000, due=TODAY - timedelta(days=50))
    out = plan(firm_db, 30_000, "month", date(2027, 1, 31), 4)
    assert [(i.due_on, i.amount_cents) for i in out.installments] == [
        (date(2027, 1, 31), 30_000),
        (date(2027, 2, 28), 30_000),
        (date(2027, 3, 31), 30_000),
        (date(2027, 4, 30), 10_000),
    ]
    with firm_db.reading() as s:
        stored = s.scalars(select(Installment).order_by(Installment.number)).all()
    assert sum(i.amount_cents for i in stored) == 100_000
    # The plan reschedules INV-1: escalation stops while the client keeps up.
    assert [(c.from_stage, c.to_stage) for c in out.changes] == [(2, 0)]
    found = account(firm_db)
    assert found.on_plan and found.stage is Stage.CURRENT and found.overdue_cents == 100_000


def test_a_late_installment_escalates_and_payments_complete_the_plan(firm_db: Database) -> None:
    invoice(firm_db, "INV-1", 50_000, due=TODAY - timedelta(days=50))
    invoice(firm_db, "INV-2", 10_000, due=TODAY - timedelta(days=10))
    pay(firm_db, 10_000)  # before the plan: pays part of INV-1, not part of the plan
    plan(firm_db, 25_000, "week", TODAY + timedelta(days=1))
    later = TODAY + timedelta(days=10)  # installment 1 (due TODAY+1) is 9 days late
    (change,) = sync(firm_db, later)
    assert (change.to_stage, change.reason) == (
        Stage.REMINDER,
        "installment 1 of the payment plan (due Thu 19 Nov 2026) is 9 days late",
    )
    pay(firm_db, 25_000)
    with firm_db.reading() as s:
        progress = plan_progress.plan_progress(s, as_of=later)[client(firm_db, "ACME").id]
    assert progress.paid_cents == 25_000 and progress.next_due.number == 2
    pay(firm_db, 25_000)
    with firm_db.reading() as s:
        (stored,) = s.scalars(select(PaymentPlan)).all()
    assert stored.status is PlanStatus.COMPLETED


def test_plan_refusals_and_cancelling(firm_db: Database) -> None:
    with pytest.raises(InvalidInput, match="owes nothing"):
        plan(firm_db, 1_000, "month", TODAY)
    invoice(firm_db, "INV-1", 10_000, due=TODAY - timedelta(days=40))
    with pytest.raises(InvalidInput, match="takes 4 installments, not 6"):
        plan(firm_db, 3_000, "month", TODAY, 6)
    plan(firm_db, 3_000, "month", TODAY + timedelta(days=5), 4)
    with pytest.raises(Conflict, match="already has an active payment plan"):
        plan(firm_db, 3_000, "month", TODAY)
    with firm_db.unit_of_work("U_BILL") as s:
        out = cancel_plan(
            s,
            actor=actor(firm_db, "U_BILL"),
            client_code="ACME",
            reason="missed calls",
            today=TODAY,
            thresholds=T,
        )
    assert [(c.from_stage, c.to_stage) for c in out.changes] == [(0, 2)]


def test_the_mornings_aggregate_leaves_out_only_accounts_that_stand_at_current(
    firm_db: Database,
) -> None:
    """The 08:30 job reads only accounts that can stand above current (something past due,
    or a payment plan whose installment is late): every stage it compares is the same."""
    invoice(firm_db, "INV-1", 100_000, due=TODAY + timedelta(days=60))
    plan(firm_db, 30_000, "month", TODAY + timedelta(days=5), 4)
    invoice(firm_db, "GX-1", 5_000, code="GLOBEX", due=TODAY + timedelta(days=10))
    invoice(firm_db, "GX-2", 2_000, code="GLOBEX", due=TODAY + timedelta(days=3))
    acme, globex = client(firm_db, "ACME").id, client(firm_db, "GLOBEX").id
    # ten days on nothing is past due at ACME, but its first installment is five days late
    expected = {
        TODAY: {},
        TODAY + timedelta(days=10): {acme: (Stage.REMINDER, True), globex: (Stage.REMINDER, False)},
    }
    for as_of, stages in expected.items():
        with firm_db.reading() as s:
            every = receivables.aged_accounts(s, as_of=as_of, thresholds=T)
            standing = receivables.aged_accounts(s, as_of=as_of, thresholds=T, standing_only=True)
        assert standing.client_stages() == every.client_stages() == stages, as_of
        assert len(every) == 2 and len(standing) == (1 if as_of == TODAY else 2), as_of
        shown = {acme, globex} if as_of > TODAY else {acme}
        assert set(standing.of_clients([acme, globex])) == shown, as_of
