"""clerk export/import deadlines: pinned columns, trigger links, all-or-nothing with lines."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from bot.transfer import ImportFailed, export_csv, get_kind, import_csv
from storage.db import Database
from storage.models import Deadline, DeadlineStatus, Matter, User
from tests.deadlines.conftest import counts, deadlines

COLUMNS = "id,matter,title,due_on,due_at,status,responsible,rule,trigger_id"


def seed_deadlines(db: Database) -> None:
    with db.unit_of_work("test-setup") as s:
        matter = s.scalars(select(Matter).where(Matter.code == "ACME-1")).one()
        lena = s.scalars(select(User).where(User.slack_id == "U_LENA")).one()
        s.add(
            Deadline(
                matter_id=matter.id,
                title="Hearing",
                due_on=date(2026, 12, 3),
                due_at=datetime(2026, 12, 3, 15, 0, tzinfo=UTC),
                responsible_id=lena.id,
            )
        )
        trigger = Deadline(
            matter_id=matter.id,
            title="Entry of judgment",
            due_on=date(2026, 12, 4),
            rule="frcp:judgment",
            is_trigger=True,
            responsible_id=lena.id,
        )
        s.add(trigger)
        s.flush()
        s.add(
            Deadline(
                matter_id=matter.id,
                title="Notice of appeal",
                due_on=date(2027, 1, 4),
                rule="frcp:notice-of-appeal",
                trigger_id=trigger.id,
                computed_on=date(2027, 1, 4),
                citation="FRAP 4(a)(1)(A)",
                responsible_id=lena.id,
            )
        )
        s.add(
            Deadline(
                matter_id=matter.id,
                title="Old filing",
                due_on=date(2026, 10, 1),
                status=DeadlineStatus.DONE,
                responsible_id=lena.id,
            )
        )


def exported(db: Database) -> list[dict[str, str]]:
    out = io.StringIO()
    export_csv(db, "deadlines", out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_export_writes_the_pinned_columns(firm_db: Database) -> None:
    seed_deadlines(firm_db)
    out = io.StringIO()
    assert export_csv(firm_db, "deadlines", out) == 4
    assert out.getvalue().splitlines()[0] == COLUMNS
    rows = exported(firm_db)
    hearing, trigger, appeal, old = rows
    assert hearing["due_at"] == "2026-12-03T10:00:00-05:00" and hearing["rule"] == ""
    assert hearing["responsible"] == "U_LENA" and hearing["trigger_id"] == ""
    assert trigger["rule"] == "frcp:judgment" and trigger["due_at"] == ""
    assert appeal["rule"] == "frcp:notice-of-appeal" and appeal["trigger_id"] == trigger["id"]
    assert old["status"] == "done"
    assert get_kind("deadlines").columns == tuple(COLUMNS.split(","))


def test_an_exported_file_imports_back_as_the_same_deadlines(firm_db: Database) -> None:
    seed_deadlines(firm_db)
    before = exported(firm_db)
    out = io.StringIO()
    export_csv(firm_db, "deadlines", out)
    with firm_db.engine.begin() as conn:  # a fresh store, as on another machine
        conn.execute(text("DELETE FROM deadlines"))
    assert import_csv(firm_db, "deadlines", io.StringIO(out.getvalue()), actor="U_ADMIN") == 4
    after = exported(firm_db)
    ids = {b["id"]: a["id"] for b, a in zip(before, after, strict=True)}
    for b, a in zip(before, after, strict=True):
        expected = dict(b, id=ids[b["id"]], trigger_id=ids.get(b["trigger_id"], ""))
        assert a == expected
    stored = deadlines(firm_db)
    trigger = next(d for d in stored if d.is_trigger)
    appeal = next(d for d in stored if d.rule == "frcp:notice-of-appeal")
    assert appeal.trigger_id == trigger.id and appeal.citation == "FRAP 4(a)(1)(A)"
    # The computed date is not in the file: a later trigger move keeps it rather than guess.
    assert appeal.computed_on is None


def test_importing_the_same_file_twice_is_refused_and_writes_nothing(firm_db: Database) -> None:
    seed_deadlines(firm_db)
    out = io.StringIO()
    export_csv(firm_db, "deadlines", out)
    before = counts(firm_db)
    with pytest.raises(ImportFailed) as failed:
        import_csv(firm_db, "deadlines", io.StringIO(out.getvalue()), actor="U_ADMIN")
    assert "line 2: this deadline is already in Clerk as #1" in failed.value.message
    assert counts(firm_db) == before


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (",ACME-9,Brief,2026-12-01,,open,,,", "there is no matter 'ACME-9'"),
        (",ACME-1,,2026-12-01,,open,,,", "title is required"),
        (",ACME-1,Brief,12/01/2026,,open,,,", "is not a date"),
        (",ACME-1,Brief,,,open,,,", "due_on is required"),
        (",ACME-1,Brief,2026-12-01,2026-12-01T10:00,open,,,", "needs a UTC offset"),
        (",ACME-1,Brief,2026-12-02,2026-12-01T10:00:00-05:00,open,,,", "is not the day of"),
        (",ACME-1,Brief,2026-12-01,,pending,,,", "must be open, done or cancelled"),
        (",ACME-1,Brief,2026-12-01,,open,U_GHOST,,", "not a Slack user id Clerk knows"),
        (",ACME-1,Brief,2026-12-01,,open,,frcp,", "must look like SET:RULE"),
        (",ACME-1,Brief,2026-12-01,,open,,frcp:answer,77", "names no trigger"),
        (",ACME-1,Brief,2026-12-01,,open,,,5", "needs the rule"),
        (",ACME-3,Brief,2026-12-01,,open,,,", "closed"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(
    firm_db: Database, row: str, problem: str
) -> None:
    good = ",ACME-1,Fine,2026-12-01,,open,,,"
    before = counts(firm_db)
    with pytest.raises(ImportFailed) as failed:
        import_csv(
            firm_db, "deadlines", io.StringIO(f"{COLUMNS}\n{good}\n{row}\n"), actor="U_ADMIN"
        )
    assert "line 3:" in failed.value.message and problem in failed.value.message
    assert "line 2" not in failed.value.message
    assert counts(firm_db) == before


def test_a_file_made_by_hand_links_dependents_to_a_trigger_row(firm_db: Database) -> None:
    body = (
        f"{COLUMNS}\n"
        "t1,ACME-1,Entry of judgment,2026-12-04,,open,,frcp:judgment,\n"
        ",ACME-1,Notice of appeal,2027-01-04,,open,U_MARK,frcp:notice-of-appeal,t1\n"
        ",ACME-1,Filed brief,2026-11-02,,cancelled,,,\n"
    )
    assert import_csv(firm_db, "deadlines", io.StringIO(body), actor="U_ADMIN") == 3
    trigger, appeal, filed = deadlines(firm_db)
    assert trigger.is_trigger and appeal.trigger_id == trigger.id
    assert appeal.citation == "FRAP 4(a)(1)(A)"
    assert filed.status is DeadlineStatus.CANCELLED and filed.cancel_reason
    with firm_db.reading() as s:
        lena = s.scalars(select(User).where(User.slack_id == "U_LENA")).one()
        mark = s.scalars(select(User).where(User.slack_id == "U_MARK")).one()
    assert trigger.responsible_id == lena.id  # the client's lawyer, as for a typed deadline
    assert appeal.responsible_id == mark.id
