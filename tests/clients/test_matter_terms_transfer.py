"""The matters CSV's new columns (practice_area, fee_arrangement, budget, satisfaction): an
exact round trip, cells checked as `/matter edit` and `/matter close` check them, and an empty
cell or a column left out taken as not given."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from bot.transfer import ImportFailed, export_csv, import_csv
from storage.models import Matter, MatterStatus
from tests.clients.conftest import audit_rows
from tests.harness import Harness

HEADER = "code,client,title,lawyer,status,practice_area,fee_arrangement,budget,satisfaction"


def _export(firm: Harness) -> str:
    out = io.StringIO()
    export_csv(firm.db, "matters", out)
    return out.getvalue()


def _import(firm: Harness, text: str) -> int:
    return import_csv(firm.db, "matters", io.StringIO(text), actor="U_ADMIN")


def _matter(firm: Harness, code: str) -> Matter:
    with firm.db.reading() as session:
        return session.scalars(select(Matter).where(Matter.code == code)).one()


def test_awkward_values_come_back_exactly(firm: Harness) -> None:
    # A comma and a doubled quote each on its own: in one cell together, the importer's
    # dialect sniffing (bot.transfer) misreads the quotes, whatever the kind of file.
    rows = [
        'ACME-10,ACME,"Smith, Jones & Co <!here>",U_LENA,open,Propriété intellectuelle,'
        "pro-bono,0.01,",
        'ACME-11,ACME,"The ""Big"" case",U_MARK,open,M&A,mixed,123456789.90,',
        "ACME-12,ACME,Scored,,closed,,,,1",
        "ACME-13,ACME,Happy,,closed,Tax,contingency,,5",
    ]
    assert _import(firm, HEADER + "\n" + "\n".join(rows) + "\n") == 4
    exported = _export(firm).splitlines()
    assert exported[0] == HEADER
    codes = ("ACME-10", "ACME-11", "ACME-12", "ACME-13")
    assert [line for line in exported if line.startswith(codes)] == [
        rows[0],
        rows[1],
        rows[2].replace(",,closed", ",U_LENA,closed"),  # no lawyer: the client's
        rows[3].replace(",,closed", ",U_LENA,closed"),
    ]
    big = _matter(firm, "ACME-11")
    assert (big.budget_cents, big.fee_arrangement, big.practice_area) == (
        12_345_678_990,
        "mixed",
        "M&A",
    )
    assert (_matter(firm, "ACME-12").status, _matter(firm, "ACME-12").satisfaction) == (
        MatterStatus.CLOSED,
        1,
    )


def test_a_file_may_leave_the_new_columns_out_or_empty(firm: Harness) -> None:
    assert _import(firm, "client,title,budget,fee_arrangement\nACME,Tax advice,2500,Pro bono\n")
    assert _import(firm, "client,title\nACME,Will\n")
    assert _import(firm, f"{HEADER}\n,ACME,Estate,,,,,,\n")
    advice, will, estate = (_matter(firm, c) for c in ("ACME-3", "ACME-4", "ACME-5"))
    assert (advice.title, advice.budget_cents, advice.fee_arrangement) == (
        "Tax advice",
        250_000,
        "pro-bono",
    )
    for matter in (will, estate):
        assert (
            matter.practice_area,
            matter.fee_arrangement,
            matter.budget_cents,
            matter.satisfaction,
            matter.status,
        ) == (None, None, None, None, MatterStatus.OPEN)


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("open,,,12.500,", "budget"),  # three decimals: no guessing
        ('open,,,"1,000",', "budget"),
        ("open,,,$500,", "budget"),
        ("open,,,0,", "more than zero"),
        ("open,,,-0.01,", "budget"),
        ("open,,Barter,,", "hourly, fixed"),
        ("closed,,,,4.5", "whole number from 1"),
        ("closed,,,,0", "whole number from 1"),
        ("open,,,,3", "satisfaction is for a closed matter"),
        ("open," + "p" * 121 + ",,,", "at most 120 characters"),
    ],
)
def test_a_bad_cell_is_refused_by_line_and_nothing_is_written(
    firm: Harness, cells: str, reason: str
) -> None:
    before, exported = audit_rows(firm), _export(firm)
    with pytest.raises(ImportFailed) as failed:
        _import(firm, f"{HEADER}\nACME-7,ACME,Tax,,{cells}\n")
    (problem,) = failed.value.problems
    assert problem.startswith("line 2: ") and reason in problem
    assert (audit_rows(firm), _export(firm)) == (before, exported)
