"""Who hears of a collections stage change: the responsible lawyer always; at partner review
(stage 3) the client's relationship partner, or every partner when it has none; at stage 4
the admins too. In the 08:30 collections DM (one a person a morning) and at once when a
command moves the stage."""

from __future__ import annotations

import json
from datetime import date

from handlers import scheduled
from schedules import jobs
from tests.billing.helpers import client_row, outbox, refused, said
from tests.harness import Harness

PARTNER_REVIEW_DAY = date(2026, 12, 30)  # INV-1, due Oct 31, is 60 days overdue (stage 3)
COLLECTIONS_DAY = date(2027, 1, 29)  # 90 days overdue (stage 4)


def _collections(h: Harness, day: date) -> dict[str, str]:
    """The morning's collections DMs: {person: what it says}."""
    return {
        m.target: json.dumps(m.payload)
        for m in outbox(h)
        if m.kind == "collections" and m.key.endswith(day.isoformat())
    }


def _late_invoice(h: Harness) -> None:
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Oct 1 terms 30 days")


def test_partner_review_tells_every_partner_and_stage_4_the_admins_too(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    _late_invoice(h)
    jobs.run_job(h.clerk, scheduled.job_named("overdue_accounts"), PARTNER_REVIEW_DAY)
    told = _collections(h, PARTNER_REVIEW_DAY)
    assert set(told) == {"U_LENA", "U_PAUL"}
    assert "1 of your clients changed stage" in told["U_LENA"]
    assert "1 client changed stage" in told["U_PAUL"] and "partner review" in told["U_PAUL"]
    jobs.run_job(h.clerk, scheduled.job_named("overdue_accounts"), COLLECTIONS_DAY)
    told = _collections(h, COLLECTIONS_DAY)
    assert set(told) == {"U_LENA", "U_PAUL", "U_ADMIN"}
    assert all("legal action" in text for text in told.values())


def test_the_relationship_partner_alone_is_told_at_partner_review(clerk_at: Harness) -> None:
    h = clerk_at
    text = said(h, "U_PAUL", "/client", "edit ACME partner <@U_ADMIN>")
    assert "Updated *ACME*: partner is now" in text and "U_ADMIN" in text
    assert client_row(h, "ACME").partner_id is not None
    _late_invoice(h)
    jobs.run_job(h.clerk, scheduled.job_named("overdue_accounts"), PARTNER_REVIEW_DAY)
    assert set(_collections(h, PARTNER_REVIEW_DAY)) == {"U_LENA", "U_ADMIN"}


def test_a_lowered_stage_is_told_only_to_the_lawyer(clerk_at: Harness) -> None:
    h = clerk_at
    _late_invoice(h)
    jobs.run_job(h.clerk, scheduled.job_named("overdue_accounts"), PARTNER_REVIEW_DAY)
    said(h, "U_BILL", "/payment", "add ACME $1,000")
    stage_dms = [m.target for m in outbox(h) if m.kind == "stage_change"]
    assert stage_dms.count("U_PAUL") == 0 and "U_LENA" in stage_dms


def test_a_command_reaching_stage_4_tells_lawyer_partners_and_admins_at_once(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-9 $100 issued Jul 1")  # due Jul 31: 110 days
    told = sorted((m.target, m.key) for m in outbox(h) if m.kind == "stage_change")
    assert [target for target, _ in told] == ["U_ADMIN", "U_LENA", "U_PAUL"]
    keys = dict(told)
    assert keys["U_ADMIN"] == keys["U_LENA"] + ":U_ADMIN"
    assert keys["U_PAUL"] == keys["U_LENA"] + ":U_PAUL"


def test_the_one_who_moved_it_is_not_told_their_own_change(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_PAUL", "/invoice", "add ACME INV-9 $100 issued Jul 1")
    targets = {m.target for m in outbox(h) if m.kind == "stage_change"}
    assert targets == {"U_LENA", "U_ADMIN"}


def test_the_relationship_partner_must_be_a_partner_and_is_set_by_seniors(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    refused(h, "U_PAUL", "/client", "edit ACME partner <@U_LENA>", "is not a partner", http=True)
    refused(
        h,
        "U_SAM",
        "/client",
        "edit ACME partner <@U_PAUL>",
        "Only a partner or an admin",
        http=True,
    )
    assert client_row(h, "ACME").partner_id is None


def test_the_billing_contact_gets_the_collections_dm_for_the_client_once(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    said(h, "U_PAUL", "/client", "edit ACME billing-contact <@U_BILL|bill>")
    assert client_row(h, "ACME").billing_contact_id is not None
    _late_invoice(h)
    overdue = scheduled.job_named("overdue_accounts")
    jobs.run_job(h.clerk, overdue, PARTNER_REVIEW_DAY)
    told = _collections(h, PARTNER_REVIEW_DAY)
    assert set(told) == {"U_LENA", "U_PAUL", "U_BILL"}
    assert "ACME" in told["U_BILL"] and "partner review" in told["U_BILL"]
    jobs.run_job(h.clerk, overdue, PARTNER_REVIEW_DAY)  # the morning again: nothing new
    keys = [m.key for m in outbox(h) if m.target == "U_BILL" and m.kind == "collections"]
    assert keys == [f"collections:U_BILL:{PARTNER_REVIEW_DAY.isoformat()}"]


def test_a_billing_contact_who_is_also_the_lawyer_gets_one_dm(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_PAUL", "/client", "edit ACME lawyer <@U_PAUL|paul>")
    said(h, "U_PAUL", "/client", "edit ACME billing-contact <@U_PAUL|paul>")
    _late_invoice(h)
    jobs.run_job(h.clerk, scheduled.job_named("overdue_accounts"), PARTNER_REVIEW_DAY)
    told = [m for m in outbox(h) if m.target == "U_PAUL" and m.kind == "collections"]
    assert len(told) == 1 and json.dumps(told[0].payload).count("ACME") >= 1
