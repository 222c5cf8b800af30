"""CSV export/import of clients, matters and contacts: round trip, and all-or-nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from bot.transfer import ImportFailed, export_csv, import_csv
from storage.db import Database
from storage.models import Client, Contact, Matter
from tests.harness import Harness


def _seed(harness: Harness) -> None:
    s = harness.slack
    s.command(
        "U_LENA",
        "/client",
        'add ACME "Acme, Inc." org lawyer <@U_LENA|lena> key credit-limit 12500.50',
    )
    s.command("U_LENA", "/client", 'add SMITH "Jordan Smith" person email j@smith.example')
    s.command("U_LENA", "/matter", 'add ACME "Lease dispute"')
    s.command("U_LENA", "/contact", 'ACME ACME-1 call said "yes", then; follow up 2099-03-01')
    s.command("U_SAM", "/contact", "SMITH email sent engagement letter")


def _export(db: Database, kind: str) -> str:
    out = io.StringIO()
    export_csv(db, kind, out)
    return out.getvalue()


def test_export_has_the_pinned_header(harness: Harness) -> None:
    _seed(harness)
    assert _export(harness.db, "clients").splitlines()[0] == (
        "code,name,kind,status,lawyer,key,email,phone,credit_limit,terms_days"
    )
    assert _export(harness.db, "matters").splitlines()[0] == "code,client,title,lawyer,status"
    assert _export(harness.db, "contacts").splitlines()[0] == (
        "client,matter,kind,summary,occurred_at,follow_up_on,logged_by"
    )
    assert 'ACME,"Acme, Inc.",organization,active,U_LENA,true,,,12500.50,30' in _export(
        harness.db, "clients"
    )


def test_round_trip_into_an_empty_firm_gives_the_same_files(
    harness: Harness, tmp_path: object
) -> None:
    _seed(harness)
    files = {kind: _export(harness.db, kind) for kind in ("clients", "matters", "contacts")}
    # an empty firm: a fresh SQLite database migrated from scratch
    from storage.migrate import upgrade

    other = Database(f"sqlite:///{tmp_path}/other.db")  # type: ignore[str-bytes-safe]
    upgrade(other)
    for kind in ("clients", "matters", "contacts"):
        import_csv(other, kind, io.StringIO(files[kind]), actor="U_ADMIN")
    for kind in ("clients", "matters", "contacts"):
        assert _export(other, kind) == files[kind], kind
    other.dispose()


def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(harness: Harness) -> None:
    _seed(harness)
    bad = (
        "code,name,kind,status,lawyer,key,email,phone,credit_limit,terms_days\n"
        "GOOD,Good Co,organization,active,,false,,,,30\n"
        "ACME,Duplicate,organization,active,,false,,,,30\n"
        "BAD,Bad Co,planet,active,,false,,,,30\n"
        "WORSE,Worse Co,person,active,lena,false,not-mail,,,30\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_csv(harness.db, "clients", io.StringIO(bad), actor="U_ADMIN")
    problems = failed.value.problems
    assert problems[0].startswith("line 3: client ACME already exists")
    assert problems[1].startswith("line 4: kind must be person or organization")
    assert problems[2].startswith("line 5:") and len(problems) == 3
    with harness.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Client)) == 2


def test_contacts_import_refuses_unknown_clients_and_naive_times(harness: Harness) -> None:
    _seed(harness)
    before = harness.count(Contact)
    rows = (
        "client,matter,kind,summary,occurred_at,follow_up_on,logged_by\n"
        "NOPE,,call,hi,2026-01-05T10:00:00+00:00,,U_LENA\n"
        "ACME,,call,hi,2026-01-05T10:00:00,,U_LENA\n"
        "ACME,SMITH-1,call,hi,2026-01-05T10:00:00+00:00,,U_LENA\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_csv(harness.db, "contacts", io.StringIO(rows), actor="U_ADMIN")
    assert [p.split(":")[0] for p in failed.value.problems] == ["line 2", "line 3", "line 4"]
    assert harness.count(Contact) == before
    assert harness.count(Matter) == 1
