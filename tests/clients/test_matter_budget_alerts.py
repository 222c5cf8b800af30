"""Matter budgets through the real paths: the card's money lines (who sees them, what counts as
billed and collected) and the responsible lawyer's DMs at 80% and 100%, exactly once each,
the outbox key deciding it whichever path checks (a command, the form, an import, the 08:30
job)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bot.clients import budgets
from bot.clients.budgets import BudgetAlert, BudgetFigures, crossed, highest_crossed
from bot.transfer import import_csv
from handlers import scheduled
from handlers.billing.forms import MoneyField
from handlers.clients.matter_views import alert_message, gathered_alert_message
from handlers.kernel import blocks
from schedules import jobs
from schedules.delivery import deliver_due
from storage.models import Matter, OutboxMessage, OutboxStatus
from tests.clients.conftest import reply_text
from tests.harness import Harness

WEDNESDAY = date(2026, 11, 18)  # the firm's today: a working day, the 08:30 job runs


def _say(firm: Harness, user: str, command: str, text: str) -> str:
    return reply_text(firm.slack.command(user, command, text))


def _matter_id(firm: Harness, code: str) -> int:
    with firm.db.reading() as session:
        return int(session.scalars(select(Matter.id).where(Matter.code == code)).one())


def _budget_rows(firm: Harness) -> list[tuple[str, str, OutboxStatus, bool]]:
    """Every budget key in the outbox: (key, to whom, status, a DM rather than a covered key)."""
    with firm.db.reading() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "budget").order_by(OutboxMessage.id)
        )
        return [(r.key, r.target, r.status, "covered_by" not in r.payload) for r in rows]


def _dms(firm: Harness) -> list[tuple[str, str]]:
    return [(key, target) for key, target, _status, dm in _budget_rows(firm) if dm]


def _morning_check(firm: Harness) -> None:
    jobs.run_job(firm.clerk, scheduled.job_named("overdue_accounts"), WEDNESDAY)


def test_the_thresholds_are_exact_in_cents() -> None:
    assert crossed(1_000_000, 799_999) == ()
    assert crossed(1_000_000, 800_000) == (80,)
    assert crossed(1_000_000, 999_999) == (80,)
    assert crossed(1_000_000, 1_000_000) == (80, 100)
    assert crossed(None, 5) == () and crossed(0, 5) == () and crossed(-1, 5) == ()
    assert highest_crossed(3, 3) == 100  # three cents of budget, all billed
    figures = BudgetFigures(1_000_000, 1_250_000, 0, "USD")
    alert = BudgetAlert(7, "ACME-1", "ACME", "Lease", 100, "U_LENA", figures)
    assert (alert.key, alert.covered_keys, figures.percent) == (
        "budget:7:100",
        ("budget:7:80",),
        125,
    )
    assert BudgetAlert(7, "ACME-1", "ACME", "Lease", 80, "U_LENA", figures).covered_keys == ()
    assert BudgetFigures(None, 5, 0, "USD").percent is None


def test_invoice_add_alerts_at_exactly_80_then_at_100_once_each(firm: Harness) -> None:
    matter_id = _matter_id(firm, "ACME-1")
    _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 10000")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-1 $7,999.99 issued Nov 2")
    assert _budget_rows(firm) == []
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-2 $0.01 issued Nov 2")
    assert _dms(firm) == [(f"budget:{matter_id}:80", "U_LENA")]
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-3 $1,999.99 issued Nov 3")  # 99.99%
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-4 $0.01 issued Nov 3")  # 100%
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-5 $5,000 issued Nov 4")  # 150%
    _morning_check(firm)
    assert _dms(firm) == [
        (f"budget:{matter_id}:80", "U_LENA"),
        (f"budget:{matter_id}:100", "U_LENA"),
    ]
    assert len(_budget_rows(firm)) == 2  # the 80% was its own DM: nothing to cover


def test_a_jump_past_both_is_one_dm_and_no_80_ever_follows(firm: Harness) -> None:
    matter_id = _matter_id(firm, "ACME-1")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-1 $5,000 issued Nov 2")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-2 $1,000 issued Nov 2")
    said = _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 5000")  # 120% at once
    assert "already passed 80% of its budget" in said
    assert _budget_rows(firm) == [
        (f"budget:{matter_id}:100", "U_LENA", OutboxStatus.PENDING, True),
        (f"budget:{matter_id}:80", "U_LENA", OutboxStatus.SENT, False),  # recorded, not sent
    ]
    assert deliver_due(firm.clerk, owner="test") >= 1
    sent = [
        c
        for c in firm.standin.calls()
        if c.method == "chat.postMessage" and "budget" in str(c.params.get("text"))
    ]
    assert len(sent) == 1 and "is over its budget: $6,000.00 billed of $5,000.00" in str(
        sent[0].params
    )
    # a void brings billing back to 100%, then under it, to 90%: never an 80% DM
    _say(firm, "U_BILL", "/invoice", "void INV-2 entered twice")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-3 $-500 issued Nov 3")  # refused
    _say(firm, "U_BILL", "/invoice", "void INV-1 wrong amount")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-4 $4,500 issued Nov 3")  # 90%
    _morning_check(firm)
    assert _dms(firm) == [(f"budget:{matter_id}:100", "U_LENA")]
    assert len(_budget_rows(firm)) == 2


def test_a_void_never_alerts_and_the_0830_job_catches_a_command_line_import(
    firm: Harness,
) -> None:
    matter_id = _matter_id(firm, "ACME-1")
    _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 10000")
    header = "number,client,matter,amount,issued_on"
    rows = "CLI-1,ACME,ACME-1,8500.00,2026-11-02\nCLI-2,ACME,ACME-1,500.00,2026-11-02\n"
    assert import_csv(firm.db, "invoices", io.StringIO(f"{header}\n{rows}"), actor="U_BILL") == 2
    assert _budget_rows(firm) == []  # no Slack command ran: nothing checked yet
    _say(firm, "U_BILL", "/invoice", "void CLI-2 duplicate")  # 85%: a void does not check
    assert _budget_rows(firm) == []
    _morning_check(firm)
    _morning_check(firm)
    assert _dms(firm) == [(f"budget:{matter_id}:80", "U_LENA")]
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-9 $500 issued Nov 3")  # 90%
    assert len(_budget_rows(firm)) == 1


def test_the_invoice_form_checks_the_budget(firm: Harness) -> None:
    _say(firm, "U_MARK", "/matter", "edit ACME-2 budget 2000")
    opened = firm.slack.command("U_BILL", "/invoice", "", channel_id="C_BILLING")
    (call,) = opened.calls_to("views.open")
    values: dict[str, Any] = {
        MoneyField.CLIENT: "ACME",
        MoneyField.MATTER: "ACME-2",
        MoneyField.NUMBER: "INV-F1",
        MoneyField.AMOUNT: "$1,700",
        MoneyField.ISSUED: "2026-11-02",
        MoneyField.DUE: None,
        MoneyField.TERMS: "30",
    }
    firm.slack.view_submission("U_BILL", call.params["view"], values)
    assert _dms(firm) == [(f"budget:{_matter_id(firm, 'ACME-2')}:80", "U_MARK")]


def test_a_matters_lawyer_is_told_or_the_clients_when_it_names_none(firm: Harness) -> None:
    _say(firm, "U_MARK", "/matter", "edit ACME-2 budget 1000")
    _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 1000")
    with firm.db.unit_of_work("test-setup") as session:
        session.scalars(select(Matter).where(Matter.code == "ACME-1")).one().lawyer_id = None
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-2 INV-1 $900 issued Nov 2")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-2 $900 issued Nov 2")
    assert sorted(_dms(firm)) == sorted(
        [
            (f"budget:{_matter_id(firm, 'ACME-2')}:80", "U_MARK"),
            (f"budget:{_matter_id(firm, 'ACME-1')}:80", "U_LENA"),
        ]
    )


def test_a_new_lawyer_is_not_told_again_and_staff_are_never_told_amounts(firm: Harness) -> None:
    acme1 = _matter_id(firm, "ACME-1")
    _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 1000")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-1 $850 issued Nov 2")
    said = _say(firm, "U_LENA", "/matter", "edit ACME-1 lawyer <@U_MARK|mark>")
    assert "already passed" not in said
    assert _dms(firm) == [(f"budget:{acme1}:80", "U_LENA")]
    _say(firm, "U_MARK", "/matter", "edit ACME-2 budget 1000")
    _say(firm, "U_MARK", "/matter", "edit ACME-2 lawyer <@U_SAM|sam>")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-2 INV-2 $1,200 issued Nov 2")
    _morning_check(firm)
    assert [target for _key, target in _dms(firm)] == ["U_LENA"]  # Sam's role sees no money


def test_the_card_counts_billed_and_collected_as_the_module_says(firm: Harness) -> None:
    _say(firm, "U_LENA", "/matter", "edit ACME-1 budget 10000")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-1 $2,000 issued Nov 2")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-2 $1,000 issued Nov 2")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-3 $4,000 issued Nov 2")
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-2 INV-4 $700 issued Nov 2")  # another matter
    _say(firm, "U_BILL", "/payment", "add ACME $500 invoice INV-1")
    _say(firm, "U_BILL", "/payment", "add ACME $250 invoice INV-2")
    _say(firm, "U_PAUL", "/invoice", "write-off INV-2 insolvent")  # billed all the same
    _say(firm, "U_BILL", "/invoice", "void INV-3 wrong matter")  # never billed
    card = _say(firm, "U_LENA", "/matter", "ACME-1")
    assert "$3,000.00 (30% of the budget)" in card and "$750.00" in card
    assert "Fees collected" in card and "$10,000.00" in card


# Who sees a matter's money on its card: ACME is Lena's client, ACME-2 is Mark's matter.
SEES = [
    ("U_ADMIN", "ACME-1", True),
    ("U_PAUL", "ACME-1", True),
    ("U_BILL", "ACME-1", True),
    ("U_LENA", "ACME-1", True),
    ("U_LENA", "ACME-2", True),  # her client's matter
    ("U_MARK", "ACME-2", True),  # his matter, told of its budget by DM
    ("U_MARK", "ACME-1", False),
    ("U_SAM", "ACME-1", False),
]


@pytest.mark.parametrize(("user", "code", "sees"), SEES)
def test_who_sees_a_matters_money(firm: Harness, user: str, code: str, sees: bool) -> None:
    _say(firm, "U_PAUL", "/matter", f"edit {code} budget 4321")
    card = _say(firm, user, "/matter", code)
    assert code in card
    assert ("$4,321.00" in card) is sees and ("Billed to date" in card) is sees
    assert ("Fees collected" in card) is sees


def test_several_matters_crossing_at_once_are_one_dm_per_lawyer(firm: Harness) -> None:
    _say(firm, "U_LENA", "/matter", 'add ACME "Trademark"')
    _say(firm, "U_LENA", "/matter", 'add ACME "Employment"')
    for code in ("ACME-1", "ACME-2", "ACME-3", "ACME-4"):
        _say(firm, "U_PAUL", "/matter", f"edit {code} budget 1000")
    ids = {code: _matter_id(firm, code) for code in ("ACME-1", "ACME-2", "ACME-3", "ACME-4")}
    header = "number,client,matter,amount,issued_on"
    rows = (
        "CLI-1,ACME,ACME-1,850.00,2026-11-02\n"  # 85%
        "CLI-2,ACME,ACME-2,950.00,2026-11-02\n"  # 95%, Mark's matter
        "CLI-3,ACME,ACME-3,1200.00,2026-11-02\n"  # 120%
        "CLI-4,ACME,ACME-4,900.00,2026-11-02\n"  # 90%
    )
    assert import_csv(firm.db, "invoices", io.StringIO(f"{header}\n{rows}"), actor="U_BILL") == 4
    _morning_check(firm)
    _morning_check(firm)  # nothing more: every key is taken
    assert sorted(_dms(firm)) == sorted(
        [(f"budget:{ids['ACME-3']}:100", "U_LENA"), (f"budget:{ids['ACME-2']}:80", "U_MARK")]
    )
    settled = sorted(key for key, _t, status, dm in _budget_rows(firm) if not dm)
    assert settled == sorted(
        [f"budget:{ids['ACME-1']}:80", f"budget:{ids['ACME-3']}:80", f"budget:{ids['ACME-4']}:80"]
    )
    deliver_due(firm.clerk, owner="test")
    to_lena = [
        str(c.params)
        for c in firm.standin.calls()
        if c.method == "chat.postMessage"
        and "budget" in str(c.params.get("text"))
        and c.params.get("channel") == "U_LENA"
    ]
    assert len(to_lena) == 1
    (dm,) = to_lena
    assert "3 of your matters have passed 80% of their budget, 1 of them has reached it" in dm
    assert dm.index("ACME-3") < dm.index("ACME-4") < dm.index("ACME-1")  # fullest first
    assert "$1,200.00 billed of $1,000.00 (120%)" in dm
    # told in the gathered DM: ACME-1 is told again only when it reaches 100%
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-9 $100 issued Nov 3")  # 95%
    assert len(_dms(firm)) == 2
    _say(firm, "U_BILL", "/invoice", "add ACME ACME-1 INV-10 $50 issued Nov 3")  # 100%
    assert (f"budget:{ids['ACME-1']}:100", "U_LENA") in _dms(firm)
    assert len(_dms(firm)) == 3


def test_a_gathered_alert_names_forty_matters_and_counts_the_rest() -> None:
    figures = BudgetFigures(100_000, 85_000, 0, "USD")
    alerts = [
        BudgetAlert(n, f"ACME-{n}", "ACME", "<!channel> Lease", 80, "U_LENA", figures)
        for n in range(1, 46)
    ]
    message = gathered_alert_message(alerts)
    blocks.validate(message.blocks)
    shown = str(message.blocks)
    assert "45 of your matters have passed 80% of their budget." in message.text
    assert "…and 5 more" in shown
    assert shown.count("$850.00 billed of $1,000.00 (85%)") == 40
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert gathered_alert_message(alerts[:1]).text == alert_message(alerts[0]).text


def test_gather_tells_each_lawyer_once_under_the_fullest_matters_key() -> None:
    def alert(matter_id: int, threshold: int, billed: int, lawyer: str) -> BudgetAlert:
        figures = BudgetFigures(100_000, billed, 0, "USD")
        return BudgetAlert(matter_id, f"M-{matter_id}", "M", "T", threshold, lawyer, figures)

    lena = [alert(1, 80, 85_000, "U_LENA"), alert(2, 100, 120_000, "U_LENA")]
    lena.append(alert(3, 80, 95_000, "U_LENA"))
    mark = alert(4, 80, 81_000, "U_MARK")
    gathered = budgets.gather([*lena, mark])
    assert [(g.lawyer_slack_id, g.lead.key) for g in gathered] == [
        ("U_LENA", "budget:2:100"),
        ("U_MARK", "budget:4:80"),
    ]
    assert sorted(gathered[0].settled) == ["budget:1:80", "budget:2:80", "budget:3:80"]
    assert gathered[0].alerts == tuple(lena) and gathered[1].settled == ()
    assert budgets.gather([]) == []
