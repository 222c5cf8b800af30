"""The deadline services on their own: defaults, refusals, and the functions others call."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.deadlines import service as svc
from bot.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from storage.db import Database
from storage.models import DeadlineStatus
from tests.deadlines.conftest import NY, actor, counts


def add(db: Database, who: str, code: str, **kw: object) -> svc.Stored:
    new = svc.NewDeadline(
        matter_code=code,
        title=str(kw.pop("title", "Reply brief")),
        due_on=kw.pop("due_on", date(2026, 12, 11)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    with db.unit_of_work(who) as s:
        stored = svc.add_deadline(s, actor=actor(db, who), new=new)
        s.expunge_all()
        return stored


def lawyer_of(db: Database, stored: svc.Stored) -> int | None:
    return stored.deadline.responsible_id


def test_responsible_defaults_to_matter_then_client_lawyer_then_asker(firm_db: Database) -> None:
    mark, lena, sam = (actor(firm_db, u) for u in ("U_MARK", "U_LENA", "U_SAM"))
    assert add(firm_db, "U_SAM", "ACME-2").deadline.responsible_id == mark.user_id
    assert add(firm_db, "U_SAM", "acme-1").deadline.responsible_id == lena.user_id
    assert add(firm_db, "U_SAM", "NOLAW-1").deadline.responsible_id == sam.user_id


def test_a_closed_matter_takes_no_new_deadline(firm_db: Database) -> None:
    before = counts(firm_db)
    with pytest.raises(Conflict, match="closed"):
        add(firm_db, "U_LENA", "ACME-3")
    assert counts(firm_db) == before


def test_an_unknown_matter_lists_the_clients_matters(firm_db: Database) -> None:
    with pytest.raises(NotFound, match="ACME-1"):
        add(firm_db, "U_LENA", "ACME-9")


def test_billing_may_not_add_deadlines(firm_db: Database) -> None:
    before = counts(firm_db)
    with pytest.raises(PermissionDenied):
        add(firm_db, "U_BILL", "ACME-1")
    assert counts(firm_db) == before


def test_a_timed_deadline_within_an_hour_of_another_is_flagged(firm_db: Database) -> None:
    ten = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    first = add(firm_db, "U_LENA", "ACME-1", title="Hearing", due_on=date(2026, 12, 3), due_at=ten)
    assert first.conflicts == []
    near = add(
        firm_db,
        "U_LENA",
        "ACME-1",
        title="Call",
        due_on=date(2026, 12, 3),
        due_at=ten + timedelta(minutes=45),
    )
    assert [c.id for c in near.conflicts] == [first.deadline.id]
    far = add(
        firm_db,
        "U_LENA",
        "ACME-1",
        title="Later",
        due_on=date(2026, 12, 3),
        due_at=ten + timedelta(hours=3),
    )
    assert far.conflicts == []
    other_lawyer = add(
        firm_db, "U_LENA", "ACME-2", title="Mark's", due_on=date(2026, 12, 3), due_at=ten
    )
    assert other_lawyer.conflicts == []
    all_day = add(firm_db, "U_LENA", "ACME-1", title="Filing", due_on=date(2026, 12, 3))
    assert all_day.conflicts == []


def test_complete_cancel_and_their_refusals(firm_db: Database) -> None:
    lena = actor(firm_db, "U_LENA")
    one = add(firm_db, "U_LENA", "ACME-1").deadline.id
    two = add(firm_db, "U_LENA", "ACME-1").deadline.id
    with firm_db.unit_of_work("U_LENA") as s:
        done = svc.complete_deadline(s, actor=lena, deadline_id=one)
        assert done.status is DeadlineStatus.DONE and done.completed_by_id == lena.user_id
        assert done.completed_at is not None
    with pytest.raises(Conflict, match="already marked done"), firm_db.unit_of_work("U_LENA") as s:
        svc.complete_deadline(s, actor=lena, deadline_id=one)
    with pytest.raises(InvalidInput, match="why"), firm_db.unit_of_work("U_LENA") as s:
        svc.cancel_deadline(s, actor=lena, deadline_id=two, reason="  ")
    with firm_db.unit_of_work("U_LENA") as s:
        cancelled = svc.cancel_deadline(s, actor=lena, deadline_id=two, reason="settled")
        assert cancelled.cancel_reason == "settled"
    with pytest.raises(Conflict, match="cancelled"), firm_db.unit_of_work("U_LENA") as s:
        svc.cancel_deadline(s, actor=lena, deadline_id=two, reason="again")
    with pytest.raises(NotFound), firm_db.unit_of_work("U_LENA") as s:
        svc.complete_deadline(s, actor=lena, deadline_id=999)


def test_reassign_sets_the_assignee_and_keeps_the_responsible_lawyer(firm_db: Database) -> None:
    lena, sam = actor(firm_db, "U_LENA"), actor(firm_db, "U_SAM")
    stored = add(firm_db, "U_LENA", "ACME-1")
    with firm_db.unit_of_work("U_LENA") as s:
        d = svc.reassign_deadline(
            s, actor=lena, deadline_id=stored.deadline.id, assignee_slack_id="U_SAM"
        )
        assert d.assignee_id == sam.user_id and d.responsible_id == lena.user_id
    with pytest.raises(NotFound), firm_db.unit_of_work("U_LENA") as s:
        svc.reassign_deadline(
            s, actor=lena, deadline_id=stored.deadline.id, assignee_slack_id="U_NOBODY"
        )


def test_snooze_never_moves_the_deadline(firm_db: Database) -> None:
    lena = actor(firm_db, "U_LENA")
    stored = add(firm_db, "U_LENA", "ACME-1")
    until = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    with firm_db.unit_of_work("U_LENA") as s:
        d = svc.snooze_reminders(s, actor=lena, deadline_id=stored.deadline.id, until=until)
        assert d.reminders_snoozed_until == until
        assert d.due_on == date(2026, 12, 11) and d.due_at is None


def test_open_deadlines_for_covers_responsible_and_assignee_in_order(firm_db: Database) -> None:
    mark, sam = actor(firm_db, "U_MARK"), actor(firm_db, "U_SAM")
    a = add(firm_db, "U_LENA", "ACME-2", due_on=date(2026, 12, 5)).deadline.id
    b = add(
        firm_db, "U_LENA", "ACME-1", due_on=date(2026, 12, 1), assignee_id=mark.user_id
    ).deadline.id
    add(firm_db, "U_LENA", "ACME-1", due_on=date(2026, 12, 2))  # Lena's, not Mark's
    add(firm_db, "U_LENA", "ACME-2", due_on=date(2027, 3, 1))  # outside the window
    timed = add(
        firm_db,
        "U_LENA",
        "ACME-2",
        due_on=date(2026, 12, 5),
        due_at=datetime(2026, 12, 5, 14, 0, tzinfo=NY),
    ).deadline.id
    with firm_db.reading() as s:
        found = svc.open_deadlines_for(
            s, user_id=mark.user_id, start=date(2026, 11, 18), end=date(2026, 12, 31)
        )
        assert [d.id for d in found] == [b, a, timed]
        assert (
            svc.open_deadlines_for(
                s, user_id=sam.user_id, start=date(2026, 11, 18), end=date(2026, 12, 31)
            )
            == []
        )


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_deadline_numbers_read_with_or_without_hash(number: int) -> None:
    assert svc.parse_id(str(number)) == number
    assert svc.parse_id(f"#{number}") == number


@given(
    st.text(min_size=1).filter(
        lambda t: re.fullmatch(r"[0-9]{1,12}", t.strip().lstrip("#")) is None
    )
)
def test_anything_else_is_not_a_deadline_number(text: str) -> None:
    with pytest.raises(InvalidInput):
        svc.parse_id(text)
