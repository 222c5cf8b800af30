"""The conflict search's name index follows the store without reading it all again: a new
client, a renamed one, a new party or a contact person set in another process is found on
the next search; only a row that went away makes it read every name again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete, update

from bot.clients import conflicts
from bot.permissions import Actor
from storage.db import Database
from storage.models import Client, Party, Role
from tests.harness import Harness

LENA = Actor(slack_id="U_LENA", user_id=None, role=Role.LAWYER, tz="America/New_York", name="lena")


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times the whole index was read (one entry per full build)."""
    made: list[int] = []
    whole = conflicts._build

    def counted(*args: object) -> conflicts._Index:
        made.append(1)
        return whole(*args)  # type: ignore[arg-type]

    conflicts._indexes.clear()
    monkeypatch.setattr(conflicts, "_build", counted)
    yield made
    conflicts._indexes.clear()


def _found(db: Database, name: str) -> list[tuple[str, str, str]]:
    with db.reading() as session:
        result = conflicts.search(session, actor=LENA, name=name)
    return [(hit.kind, hit.name, hit.role) for hit in result.hits]


def test_new_changed_and_other_process_rows_are_read_in_without_a_rebuild(
    firm: Harness, builds: list[int]
) -> None:
    assert _found(firm.db, "Initech") == []
    assert builds == [1]
    firm.slack.command("U_LENA", "/client", 'add INITECH "Initech LLC"')
    assert ("client", "Initech LLC", "client") in _found(firm.db, "Initech")
    firm.slack.command("U_LENA", "/client", 'edit INITECH name "Intertrode Systems"')
    assert _found(firm.db, "Initech") == []  # the old name is gone with the rename
    assert ("client", "Intertrode Systems", "client") in _found(firm.db, "Intertrode")
    other = Database(firm.db.url)  # another process writing to the same store
    try:
        with other.unit_of_work("U_PAUL") as session:
            session.execute(
                update(Client)
                .where(Client.code == "ACME")
                .values(contact_person="Wilhelmina Fairweather", legal_rep="Barnaby Quist")
            )
    finally:
        other.dispose()
    people = _found(firm.db, "Wilhelmina Fairweather") + _found(firm.db, "Barnaby Quist")
    assert ("contact", "Wilhelmina Fairweather", "contact-person") in people
    assert ("contact", "Barnaby Quist", "legal-rep") in people
    firm.slack.command("U_LENA", "/matter", 'party add ACME-1 "Hooli Holdings" as adverse')
    assert ("party", "Hooli Holdings", "adverse") in _found(firm.db, "Hooli")
    assert builds == [1]  # every change above was read in, not the whole firm again


def test_a_row_that_went_away_rebuilds_the_index(firm: Harness, builds: list[int]) -> None:
    firm.slack.command("U_LENA", "/matter", 'party add ACME-1 "Hooli Holdings" as adverse')
    assert _found(firm.db, "Hooli")
    with firm.db.unit_of_work("U_ADMIN") as session:
        session.execute(delete(Party))
    assert _found(firm.db, "Hooli") == []
    assert builds == [1, 1]
