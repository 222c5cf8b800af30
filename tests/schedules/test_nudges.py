"""Follow-ups and key-client cadence in the morning briefing, the overdue-accounts post and
the gathered collections DM: who gets what, once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.billing.invoices import NewInvoice, record_invoice
from bot.money import Money
from handlers import scheduled
from handlers.briefing.views import Briefing
from handlers.clients.cadence_job import KeyClientItem
from handlers.clients.follow_up_job import FollowUpItem
from handlers.kernel import blocks
from schedules import jobs
from storage.models import Client, Contact, EscalationEvent, OutboxMessage
from tests.harness import Harness
from tests.schedules.conftest import FRIDAY, NY, outbox, text_of
from tests.schedules.test_reminders import ran_briefing_on

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
        when = occurred_at or datetime(2026, 11, 20, 10, 0, tzinfo=NY)
        contact = Contact(
            client_id=client_id,
            summary=summary,
            occurred_at=when,
            created_at=when,  # logged when it happened
            follow_up_on=follow_up_on,
            follow_up_done_at=datetime(2026, 11, 30, tzinfo=NY) if done else None,
            logged_by_id=firm.user(by).id,
        )
        s.add(contact)
        s.flush()
        return contact.id


def _items(planned: list[jobs.Planned], kind: type) -> dict[str, list[Any]]:
    """{whom: their briefing's items of ``kind``}"""
    found: dict[str, list[Any]] = {}
    for item in planned:
        assert isinstance(item.content, Briefing)
        theirs = [i for i in item.content.items if isinstance(i, kind)]
        if theirs:
            found[item.target] = theirs
    return found


def test_follow_ups_due_go_in_the_briefing_of_whoever_logged_them(firm: Harness) -> None:
    ran_briefing_on(firm, date(2026, 11, 30))  # Monday: Friday's speaks for Tue to Sun
    today = _contact(firm, "Call about the settlement", follow_up_on=FRIDAY)
    late = _contact(firm, "Send the engagement letter", follow_up_on=date(2026, 12, 1), by="U_SAM")
    saturday = _contact(firm, "Saturday's", follow_up_on=FRIDAY + timedelta(days=1))
    _contact(firm, "Next week's", follow_up_on=FRIDAY + timedelta(days=3))
    _contact(firm, "Already done", follow_up_on=date(2026, 12, 1), done=True)
    _contact(firm, "Said last week", follow_up_on=date(2026, 11, 27))
    _contact(firm, "No follow-up at all")
    planned = _build(firm, "briefing", FRIDAY)
    found = {
        who: [i.contact_id for i in items] for who, items in _items(planned, FollowUpItem).items()
    }
    assert found == {"U_LENA": [today, saturday], "U_SAM": [late]}
    by_target = {p.target: text_of(p.message.blocks) for p in planned}
    assert "Acme Corp is due *today* (Fri 4 Dec)" in by_target["U_LENA"]
    assert "is due *tomorrow* (Sat 5 Dec)" in by_target["U_LENA"]
    assert "Acme Corp was due *3 days ago* (Tue 1 Dec)" in by_target["U_SAM"]
    assert "Send the engagement letter" in by_target["U_SAM"]
    for item in planned:
        blocks.validate(item.message.blocks)
        buttons = [e for b in item.message.blocks if b["type"] == "actions" for e in b["elements"]]
        assert {b["action_id"] for b in buttons} == {"briefing_log_contact"}


def test_a_follow_up_logged_with_a_past_date_is_due_at_once(firm: Harness) -> None:
    ran_briefing_on(firm, FRIDAY - timedelta(days=1))
    logged = _contact(
        firm,
        "Chase the signed letter",
        follow_up_on=date(2026, 11, 25),
        occurred_at=datetime(2026, 12, 3, 16, 0, tzinfo=NY),  # after Thursday's briefing
    )
    _contact(firm, "Told before", follow_up_on=date(2026, 11, 25))
    (planned,) = _build(firm, "briefing", FRIDAY)
    assert [i.contact_id for i in _items([planned], FollowUpItem)["U_LENA"]] == [logged]
    assert "was due *9 days ago*" in text_of(planned.message.blocks)


def test_a_new_firms_first_briefing_lists_every_follow_up_due(firm: Harness) -> None:
    _contact(firm, "Old", follow_up_on=date(2026, 10, 1))
    _contact(firm, "Recent", follow_up_on=date(2026, 12, 2), by="U_SAM")
    found = _items(_build(firm, "briefing", FRIDAY), FollowUpItem)
    assert {who: [i.summary for i in items] for who, items in found.items()} == {
        "U_LENA": ["Old"],
        "U_SAM": ["Recent"],
    }


def test_a_follow_up_is_said_once_not_every_morning(firm: Harness) -> None:
    _contact(firm, "Call back", follow_up_on=FRIDAY)
    job = scheduled.job_named("briefing")
    jobs.run_job(firm.clerk, job, FRIDAY)
    ran_briefing_on(firm, FRIDAY)
    monday = FRIDAY + timedelta(days=3)
    assert jobs.run_job(firm.clerk, job, monday) == []
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


def test_key_clients_out_of_touch_are_in_mondays_briefing_only(firm: Harness) -> None:
    _key_client(firm, "NEVER")
    _key_client(firm, "STALE")
    _key_client(firm, "FRESH")
    _key_client(firm, "TIGHT", cadence=7)
    _key_client(firm, "PLAIN", key=False)
    _contact(firm, "lunch", client="STALE", occurred_at=datetime(2026, 10, 1, tzinfo=NY))
    _contact(firm, "call", client="FRESH", occurred_at=datetime(2026, 11, 30, tzinfo=NY))
    _contact(firm, "call", client="TIGHT", occurred_at=datetime(2026, 11, 25, tzinfo=NY))
    assert _build(firm, "briefing", FRIDAY) == []
    planned = _build(firm, "briefing", MONDAY)
    found = _items(planned, KeyClientItem)
    assert list(found) == ["U_MARK"] and [p.key for p in planned] == ["briefing:U_MARK:2026-12-07"]
    assert [i.client_code for i in found["U_MARK"]] == ["NEVER", "STALE", "TIGHT"]  # worst first
    shown = text_of(planned[0].message.blocks)
    assert "Key client *NEVER* NEVER Holdings was last contacted *never*" in shown
    assert "*67 days ago*" in shown
    assert "every 7 days" in shown


def _overdue_invoice(
    firm: Harness, number: str, cents: int, due_on: date, *, client: str = "ACME"
) -> None:
    if client != "ACME":
        with firm.db.unit_of_work("test") as s:
            if s.scalars(select(Client).where(Client.code == client)).first() is None:
                s.add(Client(code=client, name=f"{client} Inc", lawyer_id=firm.user("U_LENA").id))
    new = NewInvoice(
        client_code=client,
        number=number,
        amount=Money(cents, "USD"),
        issued_on=due_on - timedelta(days=30),
        due_on=due_on,
    )
    with firm.db.unit_of_work("U_BILL") as s:
        record_invoice(s, new=new, today=FRIDAY, created_by_id=firm.user("U_BILL").id)


def test_overdue_accounts_post_to_billing_only_and_stage_changes_gather_per_lawyer(
    firm: Harness,
) -> None:
    _overdue_invoice(firm, "1000", 10_000, date(2026, 12, 1))  # a stage is on record: not new
    jobs.run_job(firm.clerk, scheduled.job_named("overdue_accounts"), date(2026, 12, 2))
    _overdue_invoice(firm, "1001", 450_000, date(2026, 10, 20), client="GLOBEX")
    _overdue_invoice(firm, "1002", 90_000, date(2026, 9, 20), client="INITECH")
    job = scheduled.job_named("overdue_accounts")
    planned = jobs.run_job(firm.clerk, job, FRIDAY)
    posts = [p for p in planned if p.kind == "overdue_accounts"]
    dms = [p for p in planned if p.kind == "collections"]
    assert [(p.key, p.target) for p in posts] == [("overdue:2026-12-04:C_BILLING", "C_BILLING")]
    # INITECH reached partner review (stage 3): the partners hear of it too (issue 24)
    assert [(p.key, p.target) for p in dms] == [
        ("collections:U_LENA:2026-12-04", "U_LENA"),
        ("collections:U_PAUL:2026-12-04", "U_PAUL"),
    ]
    partner = text_of(dms[1].message.blocks)
    assert "INITECH" in partner and "GLOBEX" not in partner
    told = text_of(dms[0].message.blocks)
    assert "2 of your clients changed stage" in told
    assert told.index("INITECH") < told.index("GLOBEX")  # the higher stage first
    # each client's entry carries the notice for its new stage, for the lawyer to send (22)
    assert "FORMAL NOTICE OF OVERDUE ACCOUNT" in told  # GLOBEX, 45 days: stage 2
    assert "referred to the partners for review" in partner  # INITECH, stage 3
    blocks.validate(dms[0].message.blocks)
    post = posts[0].message.blocks
    blocks.validate(post)
    assert "GLOBEX" in text_of(post) and "$4,500.00" in text_of(post)
    buttons = [e for b in post if b["type"] == "actions" for e in b["elements"]]
    assert {b["action_id"] for b in buttons} == {
        "overdue_log_contact",
        "overdue_mark_disputed",
        "overdue_next_stage",
    }
    count = firm.count(OutboxMessage)
    assert jobs.run_job(firm.clerk, job, FRIDAY) and firm.count(OutboxMessage) == count
    # Monday: same stages, so a new post but no new DM
    monday = jobs.run_job(firm.clerk, job, MONDAY)
    assert [p.kind for p in monday] == ["overdue_accounts"]


def test_the_first_run_records_every_stage_without_telling_the_lawyers(firm: Harness) -> None:
    """A first import: hundreds of accounts 'moving' to where they stood is history, not news."""
    _overdue_invoice(firm, "1001", 450_000, date(2026, 10, 20))
    _overdue_invoice(firm, "1002", 90_000, date(2026, 9, 20), client="GLOBEX")
    job = scheduled.job_named("overdue_accounts")
    planned = jobs.run_job(firm.clerk, job, FRIDAY)
    assert [(p.kind, p.target) for p in planned] == [
        ("collections_start", "U_ADMIN"),
        ("overdue_accounts", "C_BILLING"),
    ]
    assert "recorded the collections stage of 2 accounts" in text_of(planned[0].message.blocks)
    with firm.db.reading() as s:
        assert len(s.scalars(select(EscalationEvent)).all()) == 2  # recorded, with why
    _overdue_invoice(firm, "1003", 50_000, date(2026, 11, 1), client="INITECH")
    monday = jobs.run_job(firm.clerk, job, MONDAY)  # now a change is news
    assert [(p.kind, p.target) for p in monday] == [
        ("collections", "U_LENA"),
        ("overdue_accounts", "C_BILLING"),
    ]
    assert "INITECH" in text_of(monday[0].message.blocks)
    starts = [r for r in outbox(firm) if r.kind == "collections_start"]
    assert [r.key for r in starts] == ["collections-start:U_ADMIN"]  # said once


def test_no_overdue_post_on_weekends_or_when_nobody_owes(firm: Harness) -> None:
    assert _build(firm, "overdue_accounts", FRIDAY) == []
    _overdue_invoice(firm, "1001", 10_000, date(2026, 11, 20))
    assert _build(firm, "overdue_accounts", date(2026, 12, 5)) == []
    assert _build(firm, "overdue_accounts", FRIDAY) != []
