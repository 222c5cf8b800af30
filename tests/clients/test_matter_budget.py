"""`/matter edit`, the matter card's money, budget alerts at 80% and 100% (exactly once each),
`/matter close … satisfaction N` and the after-care follow-up."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clients.budgets import highest_crossed
from bot.transfer import export_csv, import_csv
from storage.models import Contact, Matter, OutboxMessage
from tests.clients.conftest import NOW, assert_refused, audit_rows, reply_text
from tests.harness import Harness


def _say(firm: Harness, user: str, command: str, text: str) -> str:
    return reply_text(firm.slack.command(user, command, text))


def _matter(firm: Harness, code: str) -> Matter:
    with firm.db.reading() as session:
        return session.scalars(select(Matter).where(Matter.code == code)).one()


def _budget_dms(firm: Harness) -> list[tuple[str, str]]:
    """The budget DMs queued (keys recorded as covered by a higher alert are not DMs)."""
    with firm.db.reading() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "budget").order_by(OutboxMessage.id)
        )
        return [(row.key, row.target) for row in rows if "covered_by" not in row.payload]


def test_the_threshold_reached_is_the_highest_crossed() -> None:
    assert highest_crossed(None, 10_000) is None
    assert highest_crossed(10_000, 7_999) is None
    assert highest_crossed(10_000, 8_000) == 80
    assert highest_crossed(10_000, 9_999) == 80
    assert highest_crossed(10_000, 10_000) == 100
    assert highest_crossed(10_000, 50_000) == 100
    assert highest_crossed(0, 50_000) is None


def test_edit_each_field_and_see_it_on_the_card(firm: Harness) -> None:
    assert "budget is now $10,000.00" in _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 10000")
    assert "practice area is now Litigation" in _say(
        firm, "U_SAM", "/matter", "edit ACME-1 practice-area Litigation"
    )
    assert "fee arrangement is now capped" in _say(
        firm, "U_SAM", "/matter", "edit ACME-1 fee-arrangement Capped"
    )
    said = _say(firm, "U_SAM", "/matter", 'edit ACME-1 title "Lease <!channel> dispute"')
    assert "&lt;!channel&gt;" in said and "<!channel>" not in said
    assert "<@U_MARK>" in _say(firm, "U_PAUL", "/matter", "edit ACME-1 lawyer <@U_MARK|mark>")
    m = _matter(firm, "ACME-1")
    assert (m.budget_cents, m.practice_area, m.fee_arrangement) == (
        1_000_000,
        "Litigation",
        "capped",
    )
    assert m.title == "Lease <!channel> dispute" and m.lawyer_id is not None
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-7 $2,500 issued Nov 2")
    card = _say(firm, "U_PAUL", "/matter", "ACME-1")
    assert "Budget" in card and "$10,000.00" in card
    assert "$2,500.00 (25% of the budget)" in card and "Fees collected" in card
    staff = _say(firm, "U_SAM", "/matter", "ACME-1")  # staff see no money
    assert "Practice area" in staff and "Budget" not in staff and "2,500" not in staff


BAD = [
    ("U_LENA", "edit ACME-9 budget 100", "There is no matter"),
    ("U_LENA", "edit ACME-1 colour blue", "not something `/matter edit` changes"),
    ("U_LENA", "edit ACME-1 budget -5", "negative amount"),
    ("U_LENA", "edit ACME-1 budget 0", "more than zero"),
    ("U_LENA", "edit ACME-1 budget €500", "kept in USD"),
    ("U_LENA", "edit ACME-1 budget lots", "amount"),
    ("U_LENA", "edit ACME-1 fee-arrangement vibes", "not a fee arrangement"),
    ("U_LENA", "edit ACME-1 title -", "Give the matter a title"),
    ("U_SAM", "edit ACME-1 budget 100", "only its responsible lawyer, a partner or an admin"),
    ("U_MARK", "edit ACME-1 lawyer <@U_MARK|mark>", "change ACME-1's lawyer: only its responsible"),
    ("U_BILL", "edit ACME-1 practice-area Tax", "does not allow"),
    ("U_LENA", "edit ACME-1 lawyer -", "always has a responsible lawyer"),
    ("U_LENA", "close ACME-1 satisfaction 0 done", "whole number from 1"),
    ("U_LENA", "close ACME-1 satisfaction 6", "whole number from 1"),
    ("U_LENA", "close ACME-1 satisfaction 4.5 settled", "whole number from 1"),
    ("U_LENA", "close ACME-1 satisfaction", "whole number from 1"),
]


@pytest.mark.parametrize(("user", "text", "expected"), BAD)
def test_bad_matter_edits_are_refused_and_write_nothing(
    firm: Harness, user: str, text: str, expected: str
) -> None:
    assert_refused(firm, user, "/matter", text, expected)


def test_a_closed_matter_takes_no_budget(firm: Harness) -> None:
    _say(firm, "U_LENA", "/matter", "close ACME-2 done")
    before = audit_rows(firm)
    assert "closed: a closed matter takes no budget" in _say(
        firm, "U_PAUL", "/matter", "edit ACME-2 budget 1000"
    )
    assert audit_rows(firm) == before


def test_budget_alerts_go_to_the_lawyer_once_at_80_and_once_at_100(firm: Harness) -> None:
    _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 10000")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-1 $7,000 issued Nov 2")
    assert _budget_dms(firm) == []  # 70%
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-2 $1,500 issued Nov 3")
    matter_id = _matter(firm, "ACME-1").id
    assert _budget_dms(firm) == [(f"budget:{matter_id}:80", "U_LENA")]
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-3 $100 issued Nov 4")  # 86%: said
    _say(firm, "U_BILL", "/invoice", "void INV-3 entered twice")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-4 $1,600 issued Nov 5")  # 101%
    assert _budget_dms(firm) == [
        (f"budget:{matter_id}:80", "U_LENA"),
        (f"budget:{matter_id}:100", "U_LENA"),
    ]
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-5 $100 issued Nov 6")
    assert len(_budget_dms(firm)) == 2
    with firm.db.reading() as session:
        over = session.scalars(
            select(OutboxMessage).where(OutboxMessage.key == f"budget:{matter_id}:100")
        ).one()
    assert "over its budget" in str(over.payload) and "$10,100.00 billed of $10,000.00" in str(
        over.payload
    )


def test_a_budget_set_below_what_was_billed_is_one_dm(firm: Harness) -> None:
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-1 $5,000 issued Nov 2")
    _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 4000")
    matter_id = _matter(firm, "ACME-1").id
    assert _budget_dms(firm) == [(f"budget:{matter_id}:100", "U_LENA")]


def test_an_invoices_import_is_checked_against_budgets(firm: Harness) -> None:
    from tests.clients.test_client_imports import send_file

    _say(firm, "U_MARK", "/matter", "edit ACME-2 budget 1000")  # his matter
    firm.slack.command("U_BILL", "/clerk", "import invoices")
    send_file(
        firm, "U_BILL", "invoices.csv", "number,client,matter,amount\nINV-9,ACME,ACME-2,900\n"
    )
    matter_id = _matter(firm, "ACME-2").id
    assert _budget_dms(firm) == [(f"budget:{matter_id}:80", "U_MARK")]  # ACME-2 is Mark's


def test_close_with_satisfaction_and_the_after_care_follow_up(firm: Harness) -> None:
    first = _say(firm, "U_LENA", "/matter", "close ACME-1 satisfaction 4 settled at mediation")
    assert "Client satisfaction recorded: 4 of 5" in first and "after-care" not in first
    m = _matter(firm, "ACME-1")
    assert (m.satisfaction, m.close_reason) == (4, "settled at mediation")
    last = _say(firm, "U_LENA", "/matter", "close ACME-2 5 boxes archived")  # a reason, not a score
    assert _matter(firm, "ACME-2").satisfaction is None
    assert _matter(firm, "ACME-2").close_reason == "5 boxes archived"
    due = NOW.date() + timedelta(days=30)
    assert "after-care follow-up" in last
    with firm.db.reading() as session:
        follow = session.scalars(select(Contact).where(Contact.follow_up_on.is_not(None))).all()
    assert [(c.follow_up_on, c.matter_id) for c in follow] == [(due, _matter(firm, "ACME-2").id)]
    assert "ACME-2 (Renewal) closed" in follow[0].summary


def test_the_after_care_setting_can_be_changed_or_turned_off(firm: Harness) -> None:
    _say(firm, "U_ADMIN", "/clerk", "settings post_matter_follow_up_days 0")
    _say(firm, "U_LENA", "/matter", "close ACME-1")
    _say(firm, "U_LENA", "/matter", "close ACME-2")
    with firm.db.reading() as session:
        assert session.scalars(select(Contact).where(Contact.follow_up_on.is_not(None))).all() == []


def test_matters_export_gains_the_new_columns_and_they_come_back(firm: Harness) -> None:
    _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 12500.50")
    _say(firm, "U_SAM", "/matter", "edit ACME-1 practice-area Real estate")
    _say(firm, "U_SAM", "/matter", "edit ACME-1 fee-arrangement fixed")
    _say(firm, "U_LENA", "/matter", "close ACME-2 satisfaction 3")
    out = io.StringIO()
    export_csv(firm.db, "matters", out)
    text = out.getvalue()
    assert text.splitlines()[0] == (
        "code,client,title,lawyer,status,practice_area,fee_arrangement,budget,satisfaction"
    )
    assert "ACME-1,ACME,Lease dispute,U_LENA,open,Real estate,fixed,12500.50," in text
    assert text.splitlines()[2].endswith(",closed,,,,3")
    with firm.db.unit_of_work("test") as session:
        for matter in session.scalars(select(Matter)):
            matter.code, matter.number = "X" + matter.code, matter.number + 100
    assert import_csv(firm.db, "matters", io.StringIO(text), actor="U_ADMIN") == 2
    again = io.StringIO()
    export_csv(firm.db, "matters", again)
    assert [line for line in again.getvalue().splitlines() if not line.startswith("X")] == (
        text.splitlines()
    )


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("open,,,-5,", "budget"),
        ("open,,barter,,", "fee_arrangement"),
        ("closed,,,,9", "satisfaction"),
        ("open,,,,4", "satisfaction is for a closed matter"),
    ],
)
def test_bad_matter_cells_are_refused(firm: Harness, cells: str, reason: str) -> None:
    header = "code,client,title,lawyer,status,practice_area,fee_arrangement,budget,satisfaction"
    before = audit_rows(firm)
    from bot.transfer import ImportFailed

    with pytest.raises(ImportFailed) as failed:
        import_csv(
            firm.db, "matters", io.StringIO(f"{header}\nACME-5,ACME,Tax,,{cells}\n"), actor="U_A"
        )
    assert failed.value.problems[0].startswith("line 2: ") and reason in failed.value.problems[0]
    assert audit_rows(firm) == before
