"""The client analysis, hand-computed on a small firm built through Slack: segments by
industry, size and practice area, the top ten, key clients, referral sources; who may ask;
the chart by DM; and the monthly report's share of it. Rows that Slack cannot make in the
past (clients added a year ago, money in another currency) are written to the store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.reports.clients import SegmentRow, analyse_clients
from handlers import scheduled
from handlers.kernel import blocks
from schedules import jobs
from storage.models import Client, Invoice, Payment
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
    # ACME (ACME-3, closed) and GAMMA (GAMMA-1) have a matter with no area: all their figures
    assert _row(found.by_practice_area, "(not set)") == (2, 3, 190_000, 60_000, 40_000, 2.0, 2)
    # most billed first
    assert [r.label for r in found.by_size] == ["Large", "(not set)", "Small"]
    assert [r.label for r in found.by_practice_area] == ["(not set)", "Litigation", "Commercial"]
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
    assert "last contact Wed 18 Nov 2026 (today)" in text
    assert "By industry" in text and "By size" in text and "By practice area" in text
    assert "(not set): 2, Bar association: 1, Conference: 1" in text
    assert "The chart is in your DM with Clerk." in text
    (upload,) = [c for c in small_firm.standin.calls("files.completeUploadExternal") if c.ok]
    assert str(upload.params.get("channel_id", "")).startswith("D")  # the asker's DM
    blocks.validate(exchange.replies[0]["blocks"])


@pytest.mark.parametrize("user", ["U_LENA", "U_SAM", "U_BILL"])
def test_other_roles_are_refused(small_firm: Harness, user: str) -> None:
    exchange = small_firm.slack.command(user, "/clerk", "report clients")
    text = reply_text(exchange)
    assert [r["response_type"] for r in exchange.replies] == ["ephemeral"]
    assert "does not allow you to run the client analysis" in text
    assert "Client analysis:" not in text and "Manufacturing" not in text and "$" not in text
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
    assert "Monthly report: November 2026" in shown
    # the twelve months to the period's end, as on that day
    assert "Clients, last 12 months* (Mon 1 Dec 2025 – Mon 30 Nov 2026)" in shown
    assert "By industry" in shown and "By size" not in shown
    (table,) = [b["text"]["text"] for b in report.content.blocks if "*By industry*" in str(b)]
    rows = table.removeprefix("*By industry*\n```").removesuffix("```").splitlines()
    assert rows[1].split() == ["Manufacturing", "2", "2", "$1,800.00", "$700.00", "$600.00",
                               "3.0", "3"]  # fmt: skip
    (top,) = [b["text"]["text"] for b in report.content.blocks if "Most fees" in str(b)]
    assert top.endswith("\n1. *ACME* Acme Corporation: $600.00\n2. *BETA* Beta LLC: $100.00")
    blocks.validate(report.content.blocks)


def _clients_with_payments(h: Harness, rows: list[tuple[str, int, date, bool]]) -> None:
    """A client per code (added now), each with one fee or trust payment in dollars."""
    with h.db.unit_of_work("test-setup") as s:
        for code, dollars, received, trust in rows:
            client = Client(code=code, name=f"{code.title()} Ltd")
            s.add(client)
            s.flush()
            s.add(
                Payment(
                    client_id=client.id,
                    amount_cents=dollars * 100,
                    received_on=received,
                    is_trust=trust,
                )
            )


def test_the_top_ten_ranks_fees_collected_and_breaks_ties_by_code(small_firm: Harness) -> None:
    # ACME $600 and BETA $100 already; ZED ties ACME, seven more tie BETA
    ties = [(code, 100, date(2026, 6, 1), False) for code in ("HHH", "AAA", "GGG", "BBB")]
    ties += [(code, 100, date(2026, 6, 1), False) for code in ("FFF", "CCC", "EEE", "DDD")]
    _clients_with_payments(
        small_firm,
        [
            ("ZED", 600, date(2026, 11, 1), False),
            *ties,
            ("TRUST", 9_000, date(2026, 11, 1), True),  # a deposit is not a fee
            ("EARLY", 9_000, date(2025, 11, 18), False),  # the day before the window
        ],
    )
    found = _analysis(small_firm)
    assert [t.code for t in found.top] == [
        "ACME", "ZED", "AAA", "BBB", "BETA", "CCC", "DDD", "EEE", "FFF", "GGG",
    ]  # fmt: skip
    assert [t.collected_cents for t in found.top] == [60_000, 60_000] + [10_000] * 8
    text = reply_text(small_firm.slack.command("U_PAUL", "/clerk", "report clients"))
    assert "10. *GGG* Ggg Ltd: $100.00" in text
    assert "HHH" not in text.split("Most fees collected")[1].split("Key clients")[0]


def test_the_window_is_the_firms_last_365_days(firm: Harness) -> None:
    """Added in the last minute before the window's first local midnight: not new; in its
    first minute: new (05:00 UTC in New York's winter)."""
    with firm.db.unit_of_work("test-setup") as s:
        s.add(
            Client(
                code="BEFORE", name="Before", created_at=datetime(2025, 11, 19, 4, 59, tzinfo=UTC)
            )
        )
        s.add(
            Client(code="FIRST", name="First", created_at=datetime(2025, 11, 19, 5, 0, tzinfo=UTC))
        )
    found = _analysis(firm)
    assert found.start == date(2025, 11, 19)
    assert _row(found.by_industry, "(not set)")[0::6] == (3, 2)  # ACME, BEFORE, FIRST; 2 new


def test_long_lists_are_cut_with_how_many_more(firm: Harness) -> None:
    """Fourteen industries and seventeen referral sources: twelve rows and fifteen sources
    shown, the rest counted; a backtick in a name cannot end the table's code block."""
    with firm.db.unit_of_work("test-setup") as s:
        for n in range(14):
            s.add(Client(code=f"IND{n:02}", name=f"Industry client {n}",
                         industry=f"Industry {n:02}" if n else "Ind```ustry` & <b>",
                         referral_source=f"Source {n:02}"))  # fmt: skip
        for n in range(14, 17):
            s.add(Client(code=f"REF{n:02}", name="Referred", referral_source=f"Source {n:02}"))
    exchange = firm.slack.command("U_ADMIN", "/clerk", "report clients")
    reply = exchange.replies[0]
    blocks.validate(reply["blocks"])
    (table,) = [b["text"]["text"] for b in reply["blocks"] if "*By industry*" in str(b)]
    assert table.count("```") == 2 and table.endswith("```\n…and 3 more")  # 15 rows
    assert "Ind'''ustry' &amp; &lt;b&gt;" in table
    (sources,) = [b["text"]["text"] for b in reply["blocks"] if "referral source" in str(b)]
    assert sources.endswith("…and 3 more") and sources.count(": 1") == 15  # 18 with (not set)


def test_money_in_another_currency_is_left_out_and_named(small_firm: Harness) -> None:
    with small_firm.db.unit_of_work("test-setup") as s:
        euro = Client(code="EURO", name="Euro SA", currency="EUR", industry="Manufacturing")
        s.add(euro)
        s.flush()
        s.add(Invoice(number="EU-1", client_id=euro.id, amount_cents=900_000, currency="EUR",
                      issued_on=date(2026, 3, 1), due_on=date(2026, 4, 1)))  # fmt: skip
        s.add(Payment(client_id=euro.id, amount_cents=50_000, currency="EUR",
                      received_on=date(2026, 5, 1)))  # fmt: skip
    found = _analysis(small_firm)
    # one more client; the euros neither billed, collected nor overdue in dollars
    assert _row(found.by_industry, "Manufacturing") == (3, 2, 180_000, 70_000, 60_000, 3.0, 4)
    assert found.other_currencies == ["EUR"] and "EURO" not in [t.code for t in found.top]
    text = reply_text(small_firm.slack.command("U_PAUL", "/clerk", "report clients"))
    assert "Money in EUR is not included." in text
