"""CSV export/import of clients, matters and contacts: pinned columns, round trip, refusals."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.transfer import ImportFailed, export_csv, import_csv
from storage.db import Database
from storage.migrate import upgrade
from storage.models import AuditLog, Client, Contact, Matter
from tests.clients.conftest import audit_rows
from tests.harness import Harness

KINDS = ("clients", "matters", "contacts")


def _seed(harness: Harness) -> None:
    s = harness.slack
    s.command(
        "U_PAUL",  # credit terms are a partner's call
        "/client",
        'add ACME "Acme, Inc." org lawyer <@U_LENA|lena> key credit-limit 12500.50 terms 45',
    )
    s.command("U_LENA", "/client", "add SMITH \"Jordan 'JJ' Smith\" person email j@smith.example")
    # Slack escapes & < > in command text; the name is stored as typed
    s.command("U_LENA", "/client", 'add MULLER "Müller &amp; Söhne GmbH" phone +49 30 1234567')
    s.command("U_PAUL", "/client", "edit MULLER status former moved to a Berlin firm")
    s.command("U_LENA", "/matter", 'add ACME "Lease dispute"')
    s.command("U_LENA", "/matter", 'add ACME "Renewal, 2027" lawyer <@U_MARK|mark>')
    s.command("U_LENA", "/matter", "close ACME-1 settled")
    s.command("U_LENA", "/contact", 'ACME ACME-1 call said "yes", then; follow up 2099-03-01')
    s.command("U_SAM", "/contact", "SMITH email sent engagement letter")
    s.dm("U_MARK", "log meeting with ACME-2 yesterday: walked through the renewal terms")


def _export(db: Database, kind: str) -> str:
    out = io.StringIO()
    export_csv(db, kind, out)
    return out.getvalue()


@pytest.fixture
def empty_firm(tmp_path: Path) -> Iterator[Database]:
    """Another firm's database, migrated from scratch and empty."""
    other = Database(f"sqlite:///{tmp_path}/other.db")
    upgrade(other)
    yield other
    other.dispose()


def test_export_has_the_pinned_header_and_decimal_amounts(harness: Harness) -> None:
    _seed(harness)
    assert _export(harness.db, "clients").splitlines()[0] == (
        "code,name,kind,status,lawyer,key,email,phone,credit_limit,terms_days,"
        "industry,size,address,retainer,cadence_days,"
        "gender,birth_date,family,income,employer,position,interests,legal_rep,contact_person,"
        "registered_capital,revenue,employees,customers,partners,referral_source,"
        "potential_needs,relationship_partner,billing_contact,related_clients,details"
    )
    assert _export(harness.db, "matters").splitlines()[0] == (
        "code,client,title,lawyer,status,practice_area,fee_arrangement,budget,satisfaction"
    )
    assert _export(harness.db, "contacts").splitlines()[0] == (
        "client,matter,kind,summary,occurred_at,follow_up_on,logged_by"
    )
    clients = "\n".join(line.rstrip(",") for line in _export(harness.db, "clients").splitlines())
    assert 'ACME,"Acme, Inc.",organization,active,U_LENA,true,,,12500.50,45' in clients
    # a leading + would start a spreadsheet formula: quoted, and unquoted again on import
    assert "MULLER,Müller & Söhne GmbH,organization,former,,false,,'+49 30 1234567,,30" in clients
    assert "SMITH,Jordan 'JJ' Smith,person,active,,false,j@smith.example,,,30" in clients
    assert "ACME-1,ACME,Lease dispute,U_LENA,closed,,,," in _export(harness.db, "matters")


def test_round_trip_into_an_empty_firm_gives_the_same_data(
    harness: Harness, empty_firm: Database
) -> None:
    _seed(harness)
    files = {kind: _export(harness.db, kind) for kind in KINDS}
    counts = {
        kind: import_csv(empty_firm, kind, io.StringIO(files[kind]), actor="U_ADMIN")
        for kind in KINDS
    }
    assert counts == {"clients": 3, "matters": 2, "contacts": 3}
    for kind in KINDS:
        assert _export(empty_firm, kind) == files[kind], kind
    with harness.db.reading() as a, empty_firm.reading() as b:
        for model, columns in (
            (
                Client,
                ("code", "name", "kind", "status", "is_key", "credit_limit_cents", "terms_days"),
            ),
            (Contact, ("summary", "kind", "occurred_at", "follow_up_on")),
        ):
            mine = [
                tuple(getattr(r, c) for c in columns)
                for r in a.scalars(select(model).order_by(model.id))
            ]
            theirs = [
                tuple(getattr(r, c) for c in columns)
                for r in b.scalars(select(model).order_by(model.id))
            ]
            assert sorted(mine, key=str) == sorted(theirs, key=str), model.__name__
        # every imported row went through the audited write path, as the importer
        actors = set(b.scalars(select(AuditLog.actor).where(AuditLog.entity == "clients")))
        assert actors == {"U_ADMIN"}


def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(harness: Harness) -> None:
    _seed(harness)
    before = audit_rows(harness)
    bad = (
        "code,name,kind,status,lawyer,key,email,phone,credit_limit,terms_days\n"
        "GOOD,Good Co,organization,active,,false,,,,30\n"
        "ACME,Duplicate,organization,active,,false,,,,30\n"
        "BAD,Bad Co,planet,active,,false,,,,30\n"
        "WORSE,Worse Co,person,active,lena,false,not-mail,,,30\n"
        "GOOD,Good Co again,organization,active,,false,,,,30\n"
        "OK-3,Matter-like code,organization,active,,false,,,,30\n"
        "TERMS,Bad terms,organization,active,,false,,,,soon\n"
        "MONEY,Bad money,organization,active,,false,,,12.5.0,30\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_csv(harness.db, "clients", io.StringIO(bad), actor="U_ADMIN")
    problems = failed.value.problems
    assert [p.split(":")[0] for p in problems] == [f"line {n}" for n in range(3, 10)]
    assert problems[0] == "line 3: client ACME already exists"
    assert problems[1].startswith("line 4: kind must be person or organization")
    assert "Slack user id" in problems[2] or "email" in problems[2]
    assert problems[3] == "line 6: client GOOD already exists"  # a duplicate within the file
    assert "matter code" in problems[4] and "terms_days" in problems[5]
    with harness.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Client)) == 3
    assert audit_rows(harness) == before


def test_matters_and_contacts_imports_refuse_what_does_not_fit(harness: Harness) -> None:
    _seed(harness)
    before = audit_rows(harness)
    matters = (
        "code,client,title,lawyer,status\n"
        "NOPE-1,NOPE,Unknown client,,open\n"
        "SMITH-2,ACME,Wrong prefix,,open\n"
        "ACME-1,ACME,Taken number,,open\n"
        "ACME-9,ACME,,,open\n"
        "ACME-8,ACME,Bad status,,pending\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_csv(harness.db, "matters", io.StringIO(matters), actor="U_ADMIN")
    assert [p.split(":")[0] for p in failed.value.problems] == [f"line {n}" for n in range(2, 7)]
    contacts = (
        "client,matter,kind,summary,occurred_at,follow_up_on,logged_by\n"
        "NOPE,,call,hi,2026-01-05T10:00:00+00:00,,U_LENA\n"
        "ACME,,call,hi,2026-01-05T10:00:00,,U_LENA\n"
        "SMITH,ACME-1,call,hi,2026-01-05T10:00:00+00:00,,U_LENA\n"
        "ACME,,fax,hi,2026-01-05T10:00:00+00:00,,U_LENA\n"
        "ACME,,call,,2026-01-05T10:00:00+00:00,,U_LENA\n"
        "ACME,,call,hi,2099-01-05T10:00:00+00:00,,U_LENA\n"
        "ACME,,call,hi,2026-01-05T10:00:00+00:00,Jan 5,U_LENA\n"
        "ACME,,call,hi,2026-01-05T10:00:00+00:00,,lena\n"  # not a Slack id
    )
    with pytest.raises(ImportFailed) as failed:
        import_csv(harness.db, "contacts", io.StringIO(contacts), actor="U_ADMIN")
    assert [p.split(":")[0] for p in failed.value.problems] == [f"line {n}" for n in range(2, 10)]
    assert "in the future" in failed.value.problems[5]
    assert audit_rows(harness) == before
    with harness.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Matter)) == 2


def test_matter_numbers_continue_after_imported_ones(harness: Harness) -> None:
    _seed(harness)
    rows = "code,client,title,lawyer,status\nACME-7,acme,Old file,U_PAUL,open\n"
    assert import_csv(harness.db, "matters", io.StringIO(rows), actor="U_ADMIN") == 1
    added = harness.slack.command("U_LENA", "/matter", 'add ACME "Next"')
    assert "*ACME-8*" in added.replies[0]["text"]
