"""Payment behaviour hand-computed on a small ledger (partial payments, a credit, a voided
payment, a void invoice, disputes, a write-off), the client notices of each stage (built-in
and the firm's), the start-up check of the firm's templates, and migration 0012."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select

from bot.billing import ledger, notices
from bot.billing.payment_behaviour import behaviour
from bot.settings import load_settings
from storage.db import Database
from storage.migrate import alembic_config, current_revision, head_revision
from storage.models import Client, Invoice, InvoiceStatus, Payment, PaymentAllocation, PaymentStatus
from tests.billing.conftest import NOW, TODAY, seed_firm
from tests.billing.helpers import said
from tests.harness import Harness, running_clerk

D = date.fromisoformat


def _invoice(s, client: Client, number: str, issued: str, due: str, **kw: object) -> Invoice:  # type: ignore[no-untyped-def]
    inv = Invoice(
        number=number,
        client_id=client.id,
        amount_cents=10_000,
        issued_on=D(issued),
        due_on=D(due),
        **kw,
    )
    s.add(inv)
    s.flush()
    return inv


def _pay(s, client: Client, on: str, cents: int, *to: tuple[Invoice, int]) -> Payment:  # type: ignore[no-untyped-def]
    pay = Payment(client_id=client.id, amount_cents=cents, received_on=D(on))
    s.add(pay)
    s.flush()
    for inv, part in to:
        ledger.allocate(s, payment=pay, invoice=inv, cents=part)
    return pay


def seed_ledger(db: Database) -> int:
    """ACME's ledger; the figures below are worked out by hand in the test."""
    with db.unit_of_work("test-setup") as s:
        acme = s.scalars(select(Client).where(Client.code == "ACME")).one()
        a1 = _invoice(s, acme, "A1", "2026-01-01", "2026-01-31")
        _pay(s, acme, "2026-01-21", 10_000, (a1, 10_000))  # 20 days, on time
        a2 = _invoice(s, acme, "A2", "2026-02-01", "2026-03-03")
        _pay(s, acme, "2026-02-11", 4_000, (a2, 4_000))  # partial
        _pay(s, acme, "2026-04-02", 6_000, (a2, 6_000))  # paid in full: 60 days, late
        credit = _pay(s, acme, "2026-02-15", 10_000)  # on account before A3 was issued
        a3 = _invoice(s, acme, "A3", "2026-03-01", "2026-03-31")
        ledger.allocate(s, payment=credit, invoice=a3, cents=10_000)  # paid on issue: 0 days
        a4 = _invoice(s, acme, "A4", "2026-04-01", "2026-05-01")
        voided = _pay(s, acme, "2026-04-11", 10_000, (a4, 10_000))
        voided.status = PaymentStatus.VOID  # the payment bounced: A4 is unpaid, overdue
        a4.paid_cents = 0
        _invoice(s, acme, "A5", "2026-05-01", "2026-05-31", status=InvoiceStatus.VOID)
        _invoice(
            s, acme, "A6", "2026-06-01", "2026-07-01", disputed=True, dispute_reason="scope"
        )  # in dispute, unpaid: not decided
        _invoice(
            s,
            acme,
            "A7",
            "2026-07-01",
            "2026-07-31",
            status=InvoiceStatus.WRITTEN_OFF,
            written_off_cents=10_000,
        )  # written off: late
        a9 = _invoice(s, acme, "A9", "2026-08-01", "2026-08-31", dispute_reason="resolved")
        _pay(s, acme, "2026-09-10", 10_000, (a9, 10_000))  # 40 days, late; a dispute
        _invoice(s, acme, "A8", "2026-11-10", "2026-12-10")  # not yet due: not decided
        for number, issued, paid in (
            ("B1", "2025-01-10", "2025-01-20"),
            ("B2", "2025-03-01", "2025-03-21"),
            ("B3", "2025-05-01", "2025-06-30"),
        ):
            due = (D(issued) + timedelta(days=30)).isoformat()
            inv = _invoice(s, acme, number, issued, due)
            _pay(s, acme, paid, 10_000, (inv, 10_000))
        old = _invoice(s, acme, "OLD", "2023-01-01", "2023-01-31")
        _pay(s, acme, "2023-12-31", 10_000, (old, 10_000))
        assert s.scalar(select(PaymentAllocation.id).limit(1))
        return acme.id


EXPECTED = (
    "pays in a median 30 days (4 invoices paid); 33% paid by the due date (2 of 6); "
    "2 disputes; slower than the year before (median 20 days)"
)


def test_figures_hand_computed(firm_db: Database) -> None:
    # year: paid A1 20, A2 60 (its last payment), A3 0 (credit on issue), A9 40 -> median
    # (20+40)/2 = 30; decided: the 4 paid + A4 (voided payment, overdue) + A7 (written off)
    # = 6, on time A1 and A3 -> 33%; disputes A6 and A9; A5 void left out; A8 not due.
    # year before: B1 10, B2 20, B3 60 -> median 20: 10 days slower.
    acme = seed_ledger(firm_db)
    with firm_db.reading() as s:
        found = behaviour(s, acme, TODAY)
    assert (found.year.invoices, found.year.paid, found.year.median_days) == (8, 4, 30)
    assert (found.year.decided, found.year.on_time, found.year.disputes) == (6, 2, 2)
    assert (found.before.invoices, found.before.median_days) == (3, 20)
    assert found.sentence() == EXPECTED


def test_balance_shows_the_behaviour(clerk_at: Harness) -> None:
    seed_ledger(clerk_at.db)
    assert EXPECTED in said(clerk_at, "U_BILL", "/balance", "ACME")
    assert EXPECTED in said(clerk_at, "U_LENA", "/client", "ACME")


def _owing(h: Harness, code: str, days_overdue: int) -> None:
    due = TODAY - timedelta(days=days_overdue)
    with h.db.unit_of_work("test-setup") as s:
        client = s.scalars(select(Client).where(Client.code == code)).one()
        client.name = "<!channel> & Sons"
        _invoice(s, client, f"{code}-9", (due - timedelta(days=30)).isoformat(), due.isoformat())


@pytest.mark.parametrize(
    ("days", "stage", "words"),
    [
        (5, 1, "friendly reminder"),
        (35, 2, "FORMAL NOTICE OF OVERDUE ACCOUNT"),
        (65, 3, "referred to the partners for review"),
        (95, 4, "FINAL NOTICE BEFORE COLLECTIONS"),
    ],
)
def test_built_in_notice_for_each_stage(
    clerk_at: Harness, days: int, stage: int, words: str
) -> None:
    h = clerk_at
    said(h, "U_ADMIN", "/clerk", "settings firm_name Smith & Jones LLP")
    _owing(h, "ACME", days)
    text = said(h, "U_LENA", "/balance", "notice ACME")
    assert f"stage {stage}" in text and words in text
    assert "Dear &lt;!channel&gt; &amp; Sons," in text and "<!channel>" not in text
    assert "Smith &amp; Jones LLP" in text and "Lena Lawyer" in text
    assert "ACME-9" in text and f"{days} days overdue" in text and "$100.00" in text
    assert "built-in template" in text and "Clerk never writes to clients" in text


def test_notice_refusals(clerk_at: Harness) -> None:
    h = clerk_at
    assert "owes nothing" in said(h, "U_BILL", "/balance", "notice GLOBEX")
    assert "does not show" in said(h, "U_SAM", "/balance", "notice ACME")
    assert "confidential" in said(h, "U_MARK", "/balance", "notice ACME")
    assert "There is no client `NOSUCH`" in said(h, "U_BILL", "/balance", "notice NOSUCH")
    assert "Say which client" in said(h, "U_BILL", "/balance", "notice")


def test_firm_templates_override_each_stage(database_url: str, tmp_path: Path) -> None:
    tmp_path = tmp_path / "templates"
    tmp_path.mkdir()
    for stage in (1, 2, 3, 4):
        (tmp_path / f"notice-{stage}.txt").write_text(
            f"Firm text {stage} for {{{{ client.code }}}} & co: {{{{ overdue }}}} <b>"
            "{% for i in invoices %} {{ i.number }}{% endfor %}\n",
            encoding="utf-8",
        )
    with running_clerk(database_url, at=NOW, templates_dir=tmp_path) as h:
        h.add_people()
        seed_firm(h.db, with_people=False)
        for stage, days in ((1, 5), (2, 35), (3, 65), (4, 95)):
            _owing(h, "ACME", days) if stage == 1 else _move_due(h, days)
            text = said(h, "U_BILL", "/balance", "notice ACME")
            assert f"Firm text {stage} for ACME &amp; co: $100.00 &lt;b&gt; ACME-9" in text
            assert "the firm's template" in text
    notices._load.cache_clear()


def _move_due(h: Harness, days: int) -> None:
    with h.db.unit_of_work("test-setup") as s:
        inv = s.scalars(select(Invoice).where(Invoice.number == "ACME-9")).one()
        inv.due_on = TODAY - timedelta(days=days)


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        ("Dear {{ client.name }},\n\nYou owe {{ ammount }}.\n", 3, "unknown placeholder `ammount`"),
        ("Hello\n{{ client.nmae }}\n", 2, "`client` has no `nmae`"),
        ("{% for i in invoices %}\n{{ i.numbr }}{% endfor %}", 2, "`i` has no `numbr`"),
        ("Hi\n\n{% if %}\n", 3, "line 3"),
    ],
)
def test_a_bad_template_stops_start_up_naming_file_and_line(
    tmp_path: Path, source: str, line: int, says: str
) -> None:
    from bot.app import build_clerk

    tmp_path = tmp_path / "templates"
    tmp_path.mkdir()
    (tmp_path / "notice-2.txt").write_text(source, encoding="utf-8")
    settings = load_settings(
        slack_bot_token="xoxb-x", slack_signing_secret="s", templates_dir=tmp_path
    )
    with pytest.raises(notices.NoticeTemplateError) as raised:
        build_clerk(settings)
    assert f"notice-2.txt, line {line}" in raised.value.message and says in raised.value.message


def test_an_unknown_template_file_is_refused(tmp_path: Path) -> None:
    tmp_path = tmp_path / "templates"
    tmp_path.mkdir()
    (tmp_path / "notice-5.txt").write_text("x", encoding="utf-8")
    with pytest.raises(notices.NoticeTemplateError, match="notice-5.txt: not a notice template"):
        notices.load_notices(tmp_path)


def test_0012_upgrades_and_downgrades(db: Database) -> None:
    def to(revision: str, *, down: bool) -> None:
        config = alembic_config(db)
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, revision)

    assert "credit_checks" in inspect(db.engine).get_table_names()
    try:
        to("0010", down=True)
        assert "credit_checks" not in inspect(db.engine).get_table_names()
        indexes = {i["name"] for i in inspect(db.engine).get_indexes("invoices")}
        assert "ix_invoices_client_issued" not in indexes
    finally:
        to("head", down=False)
    assert current_revision(db) == head_revision(db)
    assert "ix_invoices_client_issued" in {
        i["name"] for i in inspect(db.engine).get_indexes("invoices")
    }
