"""A dispute has an owner and a review date: the owner is told that morning (once), and
after the date passes unresolved the overdue post says "dispute review overdue". Through
the real command path and the 08:30 job; every bad input is refused and writes nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from handlers import scheduled
from schedules import jobs
from schedules.delivery import deliver_due
from storage.models import Invoice, User
from tests.billing.conftest import TODAY
from tests.billing.helpers import invoices, outbox, refused, said
from tests.harness import Harness

EVIL = "<!channel> see <http://x|y>"
REVIEW_KIND = "dispute_review"


def _overdue_invoice(h: Harness) -> int:
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1")  # due Oct 1
    (inv,) = invoices(h)
    return inv.id


def _user_id(h: Harness, slack_id: str) -> int:
    with h.db.reading() as s:
        return s.scalars(select(User.id).where(User.slack_id == slack_id)).one()


def _morning(h: Harness, day: date) -> None:
    jobs.run_job(h.clerk, scheduled.job_named("overdue_accounts"), day)


def _reviews(h: Harness) -> list[tuple[str, str]]:
    return [(m.key, m.target) for m in outbox(h) if m.kind == REVIEW_KIND]


def test_the_owner_defaults_to_the_responsible_lawyer_and_review_to_14_days(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    _overdue_invoice(h)
    text = said(h, "U_BILL", "/invoice", "dispute INV-1 hours contested")
    assert "Owner: <@U_LENA> · review on Wed 2 Dec 2026" in text
    (inv,) = invoices(h)
    assert inv.dispute_owner_id == _user_id(h, "U_LENA")
    assert inv.dispute_review_on == TODAY + timedelta(days=14)
    shown = said(h, "U_BILL", "/invoice", "INV-1")
    assert "Dispute review" in shown and "<@U_LENA> · Wed 2 Dec 2026" in shown


def test_a_client_without_a_lawyer_gives_the_dispute_to_whoever_disputes_it(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add NOLAW NL-1 $100 issued Sep 1")
    text = said(h, "U_PAUL", "/invoice", "dispute NL-1 contested")
    assert "Owner: <@U_PAUL>" in text


def test_owner_and_review_date_are_read_from_the_end(clerk_at: Harness) -> None:
    h = clerk_at
    invoice_id = _overdue_invoice(h)
    text = said(
        h,
        "U_BILL",
        "/invoice",
        "dispute INV-1 wants a review of hours owner <@U_BILL> review Dec 1",
    )
    assert "is disputed: wants a review of hours" in text
    with h.db.reading() as s:
        inv = s.get(Invoice, invoice_id)
        assert inv is not None
        assert (inv.dispute_owner_id, inv.dispute_review_on) == (
            _user_id(h, "U_BILL"),
            date(2026, 12, 1),
        )


def test_the_owner_is_told_on_the_review_date_once_and_the_post_flags_it_after(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    invoice_id = _overdue_invoice(h)
    said(h, "U_BILL", "/invoice", f"dispute INV-1 {EVIL} review Nov 20")
    _morning(h, date(2026, 11, 19))
    assert _reviews(h) == []
    _morning(h, date(2026, 11, 20))
    assert _reviews(h) == [(f"dispute-review:{invoice_id}:2026-11-20", "U_LENA")]
    (post_20,) = [m for m in outbox(h) if m.key == "overdue:2026-11-20:C_BILLING"]
    assert "dispute review overdue" not in json.dumps(post_20.payload)
    _morning(h, date(2026, 11, 23))  # Monday: told once only, and now overdue on the post
    assert len(_reviews(h)) == 1
    (post_23,) = [m for m in outbox(h) if m.key == "overdue:2026-11-23:C_BILLING"]
    assert "dispute review overdue" in json.dumps(post_23.payload)
    deliver_due(h.clerk, owner="test")
    (dm,) = [m for m in outbox(h) if m.kind == REVIEW_KIND]
    drawn = json.dumps(scheduled.chat_arguments(dm.payload))
    assert "Dispute review is due today: invoice INV-1 (ACME" in drawn
    assert "<!channel" not in drawn and "<http://x" not in drawn
    assert "&lt;!channel&gt;" in drawn and "/invoice resolve INV-1" in drawn


def test_a_review_on_a_weekend_is_told_the_next_working_morning(clerk_at: Harness) -> None:
    h = clerk_at
    invoice_id = _overdue_invoice(h)
    said(h, "U_BILL", "/invoice", "dispute INV-1 contested review Nov 21")  # a Saturday
    _morning(h, date(2026, 11, 23))
    assert _reviews(h) == [(f"dispute-review:{invoice_id}:2026-11-21", "U_LENA")]
    (dm,) = [m for m in outbox(h) if m.kind == REVIEW_KIND]
    assert "was due Sat 21 Nov 2026 and is overdue" in json.dumps(dm.payload)


def test_a_resolved_dispute_is_neither_told_nor_flagged(clerk_at: Harness) -> None:
    h = clerk_at
    _overdue_invoice(h)
    said(h, "U_BILL", "/invoice", "dispute INV-1 contested review Nov 20")
    said(h, "U_BILL", "/invoice", "resolve INV-1")
    _morning(h, date(2026, 11, 23))
    assert _reviews(h) == []
    (post,) = [m for m in outbox(h) if m.key == "overdue:2026-11-23:C_BILLING"]
    assert "dispute review overdue" not in json.dumps(post.payload)


def test_an_owner_who_may_no_longer_see_the_balance_is_not_told(clerk_at: Harness) -> None:
    h = clerk_at
    _overdue_invoice(h)
    said(h, "U_BILL", "/invoice", "dispute INV-1 contested review Nov 20")
    said(h, "U_ADMIN", "/client", "edit ACME lawyer <@U_MARK>")  # Lena no longer ACME's
    _morning(h, date(2026, 11, 20))
    assert _reviews(h) == []


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        ("U_BILL", "dispute NOSUCH-9 contested", "There is no invoice `NOSUCH-9`"),
        ("U_BILL", "dispute INV-1", "Give the client's reason for the dispute"),
        ("U_BILL", "dispute INV-1 contested review 2026-11-01", "is in the past"),
        ("U_BILL", "dispute INV-1 contested review yesterday", "is in the past"),
        ("U_BILL", "dispute INV-1 contested review blorp", "can't read `review blorp`"),
        ("U_BILL", "dispute INV-1 contested owner @nobody", "I can't tell who `@nobody` is"),
        ("U_BILL", "dispute INV-1 contested owner <@U_SAM>", "cannot own this dispute"),
        ("U_BILL", "dispute INV-1 contested owner <@U_MARK>", "cannot own this dispute"),
        ("U_SAM", "dispute INV-1 contested", "does not allow"),
        ("U_LENA", "dispute INV-1 contested", "does not allow"),
    ],
    ids=[
        "unknown",
        "no-reason",
        "past",
        "yesterday",
        "unreadable",
        "not-a-member",
        "staff-owner",
        "other-lawyer-owner",
        "staff",
        "lawyer",
    ],
)
def test_bad_disputes_are_refused_and_write_nothing(
    clerk_at: Harness, user: str, text: str, expected: str
) -> None:
    h = clerk_at
    _overdue_invoice(h)
    refused(h, user, "/invoice", text, expected)
    (inv,) = invoices(h)
    assert not inv.disputed


def test_an_owner_outside_the_workspace_is_refused(clerk_at: Harness) -> None:
    h = clerk_at
    _overdue_invoice(h)
    refused(h, "U_BILL", "/invoice", "dispute INV-1 x owner <@U_GHOST>", "not an active member")


def test_a_written_off_invoice_cannot_be_disputed(clerk_at: Harness) -> None:
    h = clerk_at
    _overdue_invoice(h)
    said(h, "U_BILL", "/invoice", "write-off INV-1 insolvent")
    refused(h, "U_BILL", "/invoice", "dispute INV-1 contested", "is written off")


def test_markup_in_the_dispute_reason_is_escaped_in_the_receipt(clerk_at: Harness) -> None:
    h = clerk_at
    _overdue_invoice(h)
    text = said(h, "U_BILL", "/invoice", f"dispute INV-1 {EVIL}")
    assert "<!channel>" not in text and "<http://x" not in text and "&lt;!channel&gt;" in text
