"""The first page of a person's open deadlines, read role by role, is the page a plain sort
of everything they hold would give: every deadline they are responsible for or assigned,
in the list's order, cut at the limit, and counted in full."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from bot.deadlines.lists import Scope, list_open
from bot.deadlines.service import sort_key
from storage.db import Database
from storage.models import Deadline, DeadlineStatus, Matter, User

FIRST_DAY = date(2026, 12, 1)

# (responsible, assignee, day offset, due hour or None for all day, still open)
deadline_specs = st.lists(
    st.tuples(
        st.sampled_from(["U_LENA", "U_MARK", None]),
        st.sampled_from(["U_LENA", "U_MARK", None]),
        st.integers(min_value=-3, max_value=6),  # few days: ties on a day are the point
        st.one_of(st.none(), st.integers(min_value=8, max_value=18)),
        st.booleans(),
    ),
    max_size=30,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    specs=deadline_specs,
    limit=st.integers(min_value=1, max_value=8),
    days=st.none() | st.integers(0, 4),
)
def test_the_page_is_the_first_of_everything_the_person_holds(
    firm_db: Database, specs: list[tuple], limit: int, days: int | None
) -> None:
    with firm_db.unit_of_work("test") as s:
        s.execute(delete(Deadline))
        people = {u.slack_id: u.id for u in s.scalars(select(User))}
        matter = s.scalars(select(Matter.id).where(Matter.code == "ACME-1")).one()
        for responsible, assignee, offset, hour, still_open in specs:
            day = FIRST_DAY + timedelta(days=offset)
            s.add(
                Deadline(
                    matter_id=matter,
                    title=f"d{offset}",
                    due_on=day,
                    due_at=None
                    if hour is None
                    else datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
                    responsible_id=people.get(responsible or ""),
                    assignee_id=people.get(assignee or ""),
                    status=DeadlineStatus.OPEN if still_open else DeadlineStatus.DONE,
                )
            )
    lena = people["U_LENA"]
    end = None if days is None else FIRST_DAY + timedelta(days=days)
    with firm_db.reading() as s:
        page = list_open(s, scope=Scope(user_id=lena), end=end, limit=limit)
        held = [
            d
            for d in s.scalars(select(Deadline))
            if d.status == DeadlineStatus.OPEN
            and lena in (d.responsible_id, d.assignee_id)
            and (end is None or d.due_on <= end)
        ]
    expected = sorted(held, key=sort_key)
    assert [d.id for d in page.deadlines] == [d.id for d in expected[:limit]]
    assert page.total == len(expected)
    for listed in page.deadlines:
        assert page.matter_codes[listed.matter_id] == "ACME-1"
        for person in (listed.responsible_id, listed.assignee_id):
            if person is not None:
                assert people[page.slack_ids[person]] == person
