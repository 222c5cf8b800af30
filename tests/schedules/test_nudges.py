"""Follow-ups, key-client cadence and the overdue-accounts post: who gets what, once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.billing.invoices import NewInvoice, record_invoice
from bot.money import Money
from handlers import scheduled
from handlers.kernel import blocks
from schedules import jobs
from storage.models import Client, Contact, OutboxMessage
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, outbox, text_of

MONDAY = date(2026, 12, 7)


def _build(firm: Harness, job: str, day: date) -> list[jobs.Planned]:
    with firm.db.unit_of_work("test") as session:
        planned = scheduled.job_named(job).build(firm.clerk, session, day)
        session.rollback()
    return planned


def _contact(
    firm: Harness,
    summary: str,
    *,
    follow_up_on: date | None = None,
    occurred_at: datetime | None = None,
    by: str = "U_LENA",
    done: bool = False,
    client: str = "ACME",
) -> int:
    with firm.db.unit_of_work("test") as s:
        client_id = s.scalars(select(Client.id).where(Client.code == client)).one()
        contact = Contact(
            client_id=client_id,
            summary=summary,
            occurred_at=occurred_at or datetime(2026, 11, 20, 10, 0, tzinfo=NY),
            follow_up_on=follow_up_on,
            follow_up_done_at=datetime(2026, 11, 30, tzinfo=NY) if done else None,
            logged_by_id=firm.user(by).id,
        )
        s.add(contact)
        s.flush()
        return contact.id


def test_follow_ups_due_today_or_past_go_to_whoever_logged_them(firm: Harness) -> None:
    today = _contact(firm, "Call about the settlement", follow_up_on=FRIDAY)
    late = _contact(firm, "Send the engagement letter", follow_up_on=date(2026, 12, 1), by="U_SAM")
    _contact(firm, "Next week's", follow_up_on=FRIDAY + timedelta(days=1))
    _contact(firm, "Already done", follow_up_on=date(2026, 12, 1), done=True)
    _contact(firm, "No follow-up at all")
    planned = _build(firm, "follow_ups", FRIDAY)
    assert sorted((p.key, p.target) for p in planned) == sorted(
        [(f"followup:{today}:2026-12-04", "U_LENA"), (f"followup:{late}:2026-12-01", "U_SAM")]
    )
    by_target = {p.target: text_of(p.message.blocks) for p in planned}
    assert "was due *today*" in by_target["U_LENA"]
    assert "was due *3 days ago*" in by_target["U_SAM"]
    assert "Send the engagement letter" in by_target["U_SAM"]
    for item in planned:
        blocks.validate(item.message.blocks)


def test_a_follow_up_is_sent_once_not_every_morning(firm: Harness) -> None:
    _contact(firm, "Call back", follow_up_on=FRIDAY)
    job = scheduled.job_named("follow_ups")
    jobs.run_job(firm.clerk, job, FRIDAY)
    jobs.run_job(firm.clerk, job, FRIDAY + timedelta(days=1))
    assert len(outbox(firm)) == 1


def _key_client(firm: Harness, code: str, *, cadence: int | None = None, key: bool = True) -> None:
    with firm.db.unit_of_work("test") as s:
        s.add(
            Client(
                code=code,
                name=f"{code} Holdings",
                lawyer_id=firm.user("U_MARK").id,
                is_key=key,
                cadence_days=cadence,
            )
        )


def test_key_clients_out_of_touch_are_nudged_on_mondays_only(firm: Harness) -> None:
    _key_client(firm, "NEVER")
    _key_client(firm, "STALE")
    _key_client(firm, "FRESH")
    _key_client(firm, "TIGHT", cadence=7)
    _key_client(firm, "PLAIN", key=False)
    _contact(firm, "lunch", client="STALE", occurred_at=datetime(2026, 10, 1, tzinfo=NY))
    _contact(firm, "call", client="FRESH", occurred_at=datetime(2026, 11, 30, tzinfo=NY))
    _contact(firm, "call", client="TIGHT", occurred_at=datetime(2026, 11, 25, tzinfo=NY))
    assert _build(firm, "key_clients", FRIDAY) == []
    planned = _build(firm, "key_clients", MONDAY)
    by_code = {text_of(p.message.blocks).split("*")[1]: p for p in planned}
    assert sorted(by_code) == ["NEVER", "STALE", "TIGHT"]
    assert {p.target for p in planned} == {"U_MARK"}
    assert all(p.key.endswith(":2026-W50") for p in planned)
    assert "last contacted *never*" in text_of(by_code["NEVER"].message.blocks)
    assert "*67 days ago*" in text_of(by_code["STALE"].message.blocks)
    assert "every 7 days" in text_of(by_code["TIGHT"].message.blocks)


def _overdue_invoice(firm: Harness, number: str, cents: int, due_on: date) -> None:
    new = NewInvoice(
        client_code="ACME",
        number=number,
        amount=Money(cents, "USD"),
        issued_on=due_on - timedelta(days=30),
        due_on=due_on,
    )
    with firm.db.unit_of_work("U_BILL") as s:
        record_invoice(s, new=new, today=FRIDAY, created_by_id=firm.user("U_BILL").id)


def test_overdue_accounts_post_to_billing_only_and_stage_changes_dm_the_lawyer(
    firm: Harness,
) -> None:
    _overdue_invoice(firm, "1001", 450_000, date(2026, 10, 20))  # 45 days overdue
    job = scheduled.job_named("overdue_accounts")
    planned = jobs.run_job(firm.clerk, job, FRIDAY)
    posts = [p for p in planned if p.kind == "overdue_accounts"]
    dms = [p for p in planned if p.kind == "stage_change"]
    assert [(p.key, p.target) for p in posts] == [("overdue:2026-12-04:C_BILLING", "C_BILLING")]
    assert [p.target for p in dms] == ["U_LENA"]
    post = posts[0].message.blocks
    blocks.validate(post)
    assert "ACME" in text_of(post) and "$4,500.00" in text_of(post)
    buttons = [e for b in post if b["type"] == "actions" for e in b["elements"]]
    assert {b["action_id"] for b in buttons} == {
        "overdue_log_contact",
        "overdue_mark_disputed",
        "overdue_next_stage",
    }
    assert all(b["value"] == '{"client_id":1}' for b in buttons)
    count = firm.count(OutboxMessage)
    assert jobs.run_job(firm.clerk, job, FRIDAY) and firm.count(OutboxMessage) == count
    # Monday: same stage, so a new post but no new DM
    monday = jobs.run_job(firm.clerk, job, MONDAY)
    assert [p.kind for p in monday] == ["overdue_accounts"]


def test_no_overdue_post_on_weekends_or_when_nobody_owes(firm: Harness) -> None:
    assert _build(firm, "overdue_accounts", FRIDAY) == []
    _overdue_invoice(firm, "1001", 10_000, date(2026, 11, 20))
    assert _build(firm, "overdue_accounts", date(2026, 12, 5)) == []
    assert _build(firm, "overdue_accounts", FRIDAY) != []
