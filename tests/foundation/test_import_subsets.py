"""Import takes any subset of a kind's export columns, in any order, once the required ones
are there; an unknown column is refused by name; a refused file writes nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from bot.transfer import ImportFailed, export_csv, get_kind, import_csv
from storage.db import Database
from storage.models import AuditLog, Client, Contact, Invoice, Matter, Party, Payment, User
from tests.billing.conftest import NOW, TODAY, seed_firm

REQUIRED = {
    "clients": ("code", "name"),
    "matters": ("client", "title"),
    "contacts": ("client", "summary"),
    "invoices": ("number", "client", "amount"),
    "payments": ("client", "amount"),
    "deadlines": ("matter", "title"),
    "parties": ("matter", "name"),
}


@pytest.fixture
def firm(db: Database) -> Database:
    """The billing sample firm, its database on Clerk's clock (18 Nov 2026)."""
    seed_firm(db, with_people=True)
    return db.with_clock(lambda: NOW)


def _count(db: Database, model: type) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _import(db: Database, kind: str, text: str) -> int:
    return import_csv(db, kind, io.StringIO(text), actor="U_ADMIN")


def test_the_required_columns_are_the_documented_ones() -> None:
    for kind, required in REQUIRED.items():
        found = get_kind(kind)
        assert found.required == required, kind
        assert set(required) <= set(found.columns), kind


def test_clients_from_just_code_and_name_take_the_defaults(firm: Database) -> None:
    assert _import(firm, "clients", "name,code\nNorthwind Traders,NORTH\n") == 1
    with firm.reading() as s:
        north = s.scalars(select(Client).where(Client.code == "NORTH")).one()
        assert (north.name, north.terms_days, north.is_key, north.email) == (
            "Northwind Traders",
            30,
            False,
            None,
        )


def test_columns_in_any_order_land_in_their_fields(firm: Database) -> None:
    text = (
        "phone,terms_days,name,code,email\n+1 212 555 0100,45,Initech,INITECH,it@initech.example\n"
    )
    assert _import(firm, "clients", text) == 1
    with firm.reading() as s:
        initech = s.scalars(select(Client).where(Client.code == "INITECH")).one()
        assert (initech.phone, initech.terms_days, initech.email) == (
            "+1 212 555 0100",
            45,
            "it@initech.example",
        )


def test_matters_contacts_and_parties_from_their_required_columns(firm: Database) -> None:
    matters = _count(firm, Matter)
    assert _import(firm, "matters", "client,title\nACME,Patent filing\n") == 1
    assert _count(firm, Matter) == matters + 1
    assert _import(firm, "contacts", "summary,client\nasked for the lease,ACME\n") == 1
    with firm.reading() as s:
        contact = s.scalars(select(Contact).order_by(Contact.id.desc())).first()
        assert contact is not None and contact.summary == "asked for the lease"
    assert _import(firm, "parties", "name,matter\nHooli Inc.,ACME-1\n") == 1
    with firm.reading() as s:
        assert s.scalars(select(Party.name)).all() == ["Hooli Inc."]


def test_invoices_and_payments_from_their_required_columns(firm: Database) -> None:
    assert _import(firm, "invoices", "number,client,amount\nINV-77,ACME,120.50\n") == 1
    with firm.reading() as s:
        invoice = s.scalars(select(Invoice).where(Invoice.number == "INV-77")).one()
        acme = s.scalars(select(Client).where(Client.code == "ACME")).one()
        # as /invoice add: the client's currency, issued today (Clerk's), due after its terms
        assert invoice.amount_cents == 12_050 and invoice.currency == acme.currency
        assert invoice.issued_on == TODAY
        assert (invoice.due_on - invoice.issued_on).days == acme.terms_days
    assert _import(firm, "payments", "amount,client\n20.50,ACME\n") == 1
    with firm.reading() as s:
        payment = s.scalars(select(Payment).order_by(Payment.id.desc())).first()
        assert payment is not None and payment.amount_cents == 2_050
        assert payment.received_on == TODAY
    assert _import(firm, "contacts", "client,summary\nACME,called about INV-77\n") == 1
    with firm.reading() as s:
        contact = s.scalars(select(Contact).order_by(Contact.id.desc())).first()
        assert contact is not None and contact.occurred_at == NOW  # the moment of the import
        assert contact.logged_by_id == s.scalar(select(User.id).where(User.slack_id == "U_ADMIN"))


@pytest.mark.parametrize(
    ("kind", "text", "said"),
    [
        ("clients", "code,nmae\nX,Y\n", "missing required column(s) name"),
        ("clients", "code,nmae\nX,Y\n", "unknown column(s) nmae"),
        ("clients", "code,name,emial\nX,Y,x@y.example\n", "unknown column(s) emial"),
        ("clients", "code,name,code\nX,Y,Z\n", "given twice: code"),
        ("matters", "title\nLease\n", "missing required column(s) client"),
        ("invoices", "number,client\nINV-1,ACME\n", "missing required column(s) amount"),
        ("payments", "client,invoice\nACME,INV-1\n", "missing required column(s) amount"),
        ("contacts", "client,note\nACME,hi\n", "unknown column(s) note"),
    ],
)
def test_a_header_with_the_wrong_columns_is_refused_by_name(
    firm: Database, kind: str, text: str, said: str
) -> None:
    before = _count(firm, AuditLog), _count(firm, Client), _count(firm, Invoice)
    with pytest.raises(ImportFailed) as refused:
        _import(firm, kind, text)
    (problem,) = refused.value.problems
    assert problem.startswith("header: ") and said in problem
    assert f"needs {', '.join(REQUIRED[kind])}" in problem  # and says what would do
    assert (_count(firm, AuditLog), _count(firm, Client), _count(firm, Invoice)) == before


def test_a_row_with_more_cells_than_the_header_is_refused_with_its_line(firm: Database) -> None:
    """An unquoted comma shifts the rest of the row: better refused than stored askew."""
    text = "code,name\nNORTH,Northwind\nSOUTH,Southwind, Inc.\nEAST,Eastwind,\n"
    with pytest.raises(ImportFailed) as refused:
        _import(firm, "clients", text)
    assert refused.value.problems == ["line 3: more cells than the header has columns"]
    with firm.reading() as s:
        assert s.scalar(select(Client.id).where(Client.code == "NORTH")) is None


def test_a_trailing_empty_cell_is_no_reason_to_refuse(firm: Database) -> None:
    assert _import(firm, "clients", "code,name\nEAST,Eastwind,\n") == 1


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_cell_with_a_delimiter_and_doubled_quotes_is_read_whole(
    firm: Database, delimiter: str
) -> None:
    # Comma-separated, or semicolons (a spreadsheet saved in a European locale), or tabs; the
    # name holds the delimiter and a quoted word, as a spreadsheet writes it.
    name = f'Smith{delimiter} "Jr." & Co'
    quoted = '"' + name.replace('"', '""') + '"'
    text = delimiter.join(["code", "name", "industry"]) + "\n"
    text += delimiter.join(["SMITH", quoted, "Retail"]) + "\n"
    text += delimiter.join(["JONES", "Jones Ltd", '"Law, ""big"" firms"']) + "\n"
    assert _import(firm, "clients", text) == 2
    with firm.reading() as s:
        found = dict(
            s.execute(
                select(Client.code, Client.name).where(Client.code.in_(["SMITH", "JONES"]))
            ).all()
        )
        industry = s.scalar(select(Client.industry).where(Client.code == "JONES"))
    assert found == {"SMITH": name, "JONES": "Jones Ltd"}
    assert industry == 'Law, "big" firms'


def test_industry_size_address_retainer_and_cadence_come_back_exactly(firm: Database) -> None:
    header = "code,name,industry,size,address,retainer,cadence_days"
    row = 'NORTH,Northwind,Technology,50-200,"1 Main St, Springfield",2500.50,14'
    assert _import(firm, "clients", f"{header}\n{row}\n") == 1
    out = io.StringIO()
    export_csv(firm, "clients", out)
    lines = out.getvalue().splitlines()
    columns = lines[0].split(",")
    (north,) = [line for line in csv.reader(lines[1:]) if line[0] == "NORTH"]
    cells = dict(zip(columns, north, strict=True))
    assert [cells[c] for c in header.split(",")] == next(csv.reader([row]))
    with firm.reading() as s:
        found = s.scalars(select(Client).where(Client.code == "NORTH")).one()
        assert (found.retainer_required_cents, found.cadence_days) == (250_050, 14)


def test_details_come_back_exactly(firm: Database) -> None:
    details = '{"referral_source": "=HYPERLINK(x)", "note": "Café, \\"big\\" one"}'
    text = "code,name,details\nNORTH,Northwind," + '"' + details.replace('"', '""') + '"\n'
    assert _import(firm, "clients", text) == 1
    with firm.reading() as s:
        north = s.scalars(select(Client).where(Client.code == "NORTH")).one()
        assert north.details == {"referral_source": "=HYPERLINK(x)", "note": 'Café, "big" one'}
    out = io.StringIO()
    export_csv(firm, "clients", out)
    lines = out.getvalue().splitlines()
    (north_row,) = [line for line in csv.reader(lines[1:]) if line[0] == "NORTH"]
    cells = dict(zip(lines[0].split(","), north_row, strict=True))
    assert json.loads(cells["details"]) == north.details


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("[1, 2]", "details must be a JSON object"),
        ("{oops", "details must be a JSON object"),
        ('{"a b": "x"}', "a details key is one word"),
        ('{"note": 5}', "the value of 'note' must be text"),
        ('{"note": "' + "x" * 501 + '"}', "the most is 500"),
    ],
)
def test_bad_details_are_refused(firm: Database, cell: str, says: str) -> None:
    before = _count(firm, Client)
    text = "code,name,details\nNORTH,Northwind," + '"' + cell.replace('"', '""') + '"\n'
    with pytest.raises(ImportFailed) as refused:
        _import(firm, "clients", text)
    assert "line 2" in str(refused.value) and says in str(refused.value)
    assert _count(firm, Client) == before


@pytest.mark.parametrize(
    ("cells", "says"),
    [
        ("I" * 121 + ",,,,", "industry is 121 characters; the most is 120"),
        ("," + "S" * 61 + ",,,", "size is 61 characters; the most is 60"),
        (",,,-5.00,", "retainer can't be negative"),
        (",,,lots,", 'retainer: "lots" is not a plain decimal amount'),
        (",,,,0", "cadence_days must be a number of days from 1 to 3650"),
        (",,,,weekly", "cadence_days must be a number of days from 1 to 3650"),
    ],
)
def test_a_bad_industry_size_retainer_or_cadence_is_refused(
    firm: Database, cells: str, says: str
) -> None:
    header = "code,name,industry,size,address,retainer,cadence_days"
    before = _count(firm, Client)
    with pytest.raises(ImportFailed) as refused:
        _import(firm, "clients", f"{header}\nNORTH,Northwind,{cells}\n")
    assert "line 2" in str(refused.value) and says in str(refused.value)
    assert _count(firm, Client) == before


def test_a_relationship_partner_who_is_not_a_partner_is_refused(firm: Database) -> None:
    before = _count(firm, Client)
    with pytest.raises(ImportFailed) as refused:
        _import(firm, "clients", "code,name,relationship_partner\nNORTH,Northwind,U_LENA\n")
    assert "line 2: relationship_partner:" in str(refused.value)
    assert "is not a partner" in str(refused.value)
    assert _count(firm, Client) == before
