"""The client analysis, hand-computed on a small firm built through Slack: segments by
industry, size and practice area, the top ten, key clients, referral sources; who may ask;
the chart by DM; and the monthly report's share of it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reports.clients import SegmentRow, analyse_clients
from handlers import scheduled
from schedules import jobs
from tests.clients.conftest import NY, reply_text
from tests.harness import Harness

TODAY = date(2026, 11, 18)


def _ok(firm: Harness, user: str, command: str, text: str) -> None:
    said = reply_text(firm.slack.command(user, command, text))
    for refusal in ("Something went wrong", "not ", "Only ", "can't", "?"):
        assert refusal not in said.split("\n")[0], f"{command} {text}: {said[:300]}"


@pytest.fixture
def small_firm(firm: Harness) -> Harness:
    """ACME (key, Manufacturing, Large), BETA (Manufacturing, Small), GAMMA (a person, no
    industry), OLD (former, Manufacturing); their matters, invoices, payments and scores."""
    f = firm
    _ok(f, "U_PAUL", "/client", "edit ACME industry Manufacturing")
    _ok(f, "U_PAUL", "/client", "edit ACME size Large")
    _ok(f, "U_PAUL", "/client", "edit ACME referral-source Conference")
    _ok(f, "U_LENA", "/client", 'add BETA "Beta LLC" org lawyer <@U_LENA|lena>')
    _ok(f, "U_PAUL", "/client", "edit BETA industry Manufacturing")
    _ok(f, "U_PAUL", "/client", "edit BETA size Small")
    _ok(f, "U_PAUL", "/client", "edit BETA referral-source Bar association")
    _ok(f, "U_LENA", "/client", 'add GAMMA "Gail Gamma" person lawyer <@U_LENA|lena>')
    _ok(f, "U_LENA", "/client", 'add OLD "Old Works" org lawyer <@U_LENA|lena>')
    _ok(f, "U_PAUL", "/client", "edit OLD industry Manufacturing")
    _ok(f, "U_PAUL", "/client", "edit OLD status former moved away")
    _ok(f, "U_SAM", "/matter", "edit ACME-1 practice-area Litigation")
    _ok(f, "U_SAM", "/matter", "edit ACME-2 practice-area Commercial")
    _ok(f, "U_LENA", "/matter", 'add BETA "Contract claim"')
    _ok(f, "U_SAM", "/matter", "edit BETA-1 practice-area Litigation")
    _ok(f, "U_LENA", "/matter", 'add GAMMA "Will"')
    _ok(f, "U_LENA", "/matter", 'add ACME "Old lease"')
    _ok(f, "U_BILL", "/invoice", "add ACME ACME-1 INV-1 $1,000 issued Oct 1")  # due Nov 15
    _ok(f, "U_BILL", "/invoice", "add ACME ACME-2 INV-2 $500 issued Nov 10")  # not due yet
    _ok(f, "U_BILL", "/invoice", "add BETA BETA-1 INV-3 $300 issued Sep 1 terms 30 days")
    _ok(f, "U_BILL", "/invoice", "add BETA BETA-1 INV-4 $200 issued Nov 1")
    _ok(f, "U_BILL", "/invoice", "void INV-4 entered twice")
    _ok(f, "U_BILL", "/invoice", "add GAMMA GAMMA-1 INV-5 $400 issued Aug 1 terms 30 days")
    _ok(f, "U_BILL", "/invoice", "write-off INV-5 estate has no funds")
    _ok(f, "U_BILL", "/payment", "add ACME $600 invoice INV-1 on Nov 12")
    _ok(f, "U_BILL", "/payment", "add ACME $5,000 trust on Nov 12")  # the client's money
    _ok(f, "U_BILL", "/payment", "add BETA $100 invoice INV-3 on Nov 2")
    _ok(f, "U_LENA", "/matter", "close ACME-3 satisfaction 2 lease ended")
    _ok(f, "U_LENA", "/matter", "close BETA-1 satisfaction 4 won")
    _ok(f, "U_LENA", "/contact", "ACME call went through the lease")
    return f


def _analysis(h: Harness):  # type: ignore[no-untyped-def]
    with h.db.reading() as session:
        return analyse_clients(session, today=TODAY, zone=NY, currency="USD")


def _row(rows: list[SegmentRow], label: str) -> tuple[object, ...]:
    (row,) = [r for r in rows if r.label == label]
    return (
        row.clients,
        row.active_matters,
        row.billed_cents,
        row.collected_cents,
        row.overdue_cents,
        row.satisfaction,
        row.new_clients,
    )


def test_the_figures_by_segment_are_the_hand_computed_ones(small_firm: Harness) -> None:
    found = _analysis(small_firm)
    assert (found.start, found.end) == (date(2025, 11, 19), TODAY)
    # clients (not former) · open matters · billed (INV-4 void) · collected (no trust) ·
    # overdue today (INV-1 1000-600, INV-3 300-100; INV-5 written off) · mean score · new
    assert _row(found.by_industry, "Manufacturing") == (2, 2, 180_000, 70_000, 60_000, 3.0, 3)
    assert _row(found.by_industry, "(not set)") == (1, 1, 40_000, 0, 0, None, 1)
    assert [r.label for r in found.by_industry] == ["Manufacturing", "(not set)"]
    assert _row(found.by_size, "Large") == (1, 2, 150_000, 60_000, 40_000, 2.0, 1)
    assert _row(found.by_size, "Small") == (1, 0, 30_000, 10_000, 20_000, 4.0, 1)
    assert _row(found.by_size, "(not set)") == (1, 1, 40_000, 0, 0, None, 2)  # GAMMA, OLD
    assert _row(found.by_practice_area, "Litigation") == (2, 2, 180_000, 70_000, 60_000, 3.0, 2)
    assert _row(found.by_practice_area, "Commercial") == (1, 2, 150_000, 60_000, 40_000, 2.0, 1)
    assert [(t.code, t.collected_cents) for t in found.top] == [("ACME", 60_000), ("BETA", 10_000)]
    assert [(k.code, k.last_contact) for k in found.key_clients] == [("ACME", TODAY)]
    assert found.referrals == [("(not set)", 2), ("Bar association", 1), ("Conference", 1)]


def test_a_payment_before_the_window_is_not_collected_in_it(small_firm: Harness) -> None:
    with small_firm.db.reading() as session:
        later = analyse_clients(session, today=date(2027, 11, 20), zone=NY, currency="USD")
    assert later.top == [] and all(r.billed_cents == 0 for r in later.by_industry)
    assert all(r.new_clients == 0 for r in later.by_industry)


def test_partners_and_admins_get_it_privately_with_the_chart_by_dm(small_firm: Harness) -> None:
    exchange = small_firm.slack.command("U_PAUL", "/clerk", "report clients")
    text = reply_text(exchange)
    assert exchange.replies[0]["response_type"] == "ephemeral"
    assert "Client analysis: Wed 19 Nov 2025 – Wed 18 Nov 2026" in text
    assert "Manufacturing" in text and "*ACME* Acme Corporation: $600.00" in text
    assert "last contact Wed 18 Nov 2026 (0 days ago)" in text
    assert "The chart is in your DM with Clerk." in text
    uploads = [c for c in small_firm.standin.calls("files.completeUploadExternal") if c.ok]
    assert len(uploads) == 1


@pytest.mark.parametrize("user", ["U_LENA", "U_SAM", "U_BILL"])
def test_other_roles_are_refused(small_firm: Harness, user: str) -> None:
    exchange = small_firm.slack.command(user, "/clerk", "report clients")
    text = reply_text(exchange)
    assert "Client analysis" not in text and "Manufacturing" not in text
    assert "partners and admins" in text or "does not allow" in text
    assert small_firm.standin.calls("files.completeUploadExternal") == []


def test_slack_markup_in_a_segment_is_shown_as_text(small_firm: Harness) -> None:
    _ok(small_firm, "U_PAUL", "/client", "edit GAMMA referral-source <!channel> & friends")
    _ok(small_firm, "U_PAUL", "/client", "edit BETA industry <http://x|y>")
    text = reply_text(small_firm.slack.command("U_ADMIN", "/clerk", "report clients"))
    assert "<!channel>" not in text and "<http://x|y>" not in text
    assert "&lt;!channel&gt; &amp; friends: 1" in text and "&lt;http://x|y&gt;" in text


def test_the_monthly_report_carries_the_industry_table_and_the_top_ten(
    small_firm: Harness,
) -> None:
    planned = jobs.preview(
        small_firm.clerk, scheduled.job_named("monthly_report"), date(2026, 12, 1)
    )
    (report,) = planned
    shown = str(report.content)
    assert "Clients, last 12 months" in shown and "By industry" in shown
    assert "Most fees collected" in shown and "ACME" in shown
