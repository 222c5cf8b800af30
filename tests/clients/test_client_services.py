"""The client, matter, contact and import services on a real database (no Slack)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clients.contacts import ContactInput, LoggedContact, guess_code, record_contact
from bot.clients.edit import ClientChange, edit_client
from bot.clients.matters import add_matter, close_matter
from bot.clients.service import ClientInput, add_client, find_clients, similar_clients
from bot.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bot.firm.users import to_actor
from bot.permissions import Actor
from bot.transfer import uploads as client_imports
from storage.db import Database
from storage.models import Client, Contact, Role, User
from tests.clients.conftest import NOW

TODAY = date(2026, 11, 18)


@pytest.fixture
def people(db: Database) -> dict[str, Actor]:
    with db.unit_of_work("test-setup") as session:
        users = [
            User(slack_id=sid, name=sid.lower(), role=role)
            for sid, role in (
                ("U_PAUL", Role.PARTNER),
                ("U_LENA", Role.LAWYER),
                ("U_SAM", Role.STAFF),
                ("U_BILL", Role.BILLING),
            )
        ]
        session.add_all(users)
        session.flush()
        return {u.slack_id: to_actor(u) for u in users}


@pytest.fixture
def acme(db: Database, people: dict[str, Actor]) -> str:
    with db.unit_of_work("U_LENA") as session:
        add_client(
            session,
            actor=people["U_LENA"],
            data=ClientInput(
                code="acme",
                name="Acme Corporation",
                phone="+1 (212) 555-0100",
                email="legal@acme.com",
                lawyer_id=people["U_LENA"].user_id,
            ),
        )
        add_matter(
            session,
            actor=people["U_LENA"],
            client_code="ACME",
            title="Lease dispute",
            lawyer_id=None,
            today=TODAY,
        )
    return "ACME"


def test_similar_names_ignore_legal_forms_and_punctuation(
    db: Database, people: dict[str, Actor], acme: str
) -> None:
    with db.reading() as session:
        assert similar_clients(session, "ACME Corp., Inc.") == [("ACME", "Acme Corporation")]
        assert similar_clients(session, "The Acme Company LLC") == [("ACME", "Acme Corporation")]
        assert similar_clients(session, "Acme Corporation", exclude="ACME") == []
        assert similar_clients(session, "Globex Holdings") == []
        assert similar_clients(session, "Apex Corporation") == []


def test_find_matches_phone_digits_email_and_typos(
    db: Database, people: dict[str, Actor], acme: str
) -> None:
    with db.reading() as session:
        for text in ("555 0100", "2125550100", "LEGAL@", "acme corp", "acmee", "acme"):
            assert [c.code for c in find_clients(session, text)] == ["ACME"], text
        assert find_clients(session, "zzqqxx") == []


def test_a_code_taken_between_check_and_insert_is_a_conflict(
    db: Database, people: dict[str, Actor], acme: str
) -> None:
    with db.unit_of_work("U_LENA") as session, pytest.raises(Conflict, match="already a client"):
        add_client(session, actor=people["U_LENA"], data=ClientInput(code="Acme", name="Dup"))


def test_billing_may_not_add_clients(db: Database, people: dict[str, Actor]) -> None:
    with db.unit_of_work("U_BILL") as session, pytest.raises(PermissionDenied):
        add_client(session, actor=people["U_BILL"], data=ClientInput(code="NEW", name="New"))


def test_edits_senior_fields_money_and_details(
    db: Database, people: dict[str, Actor], acme: str
) -> None:
    def edit(who: str, change: ClientChange) -> str:
        with db.unit_of_work(who) as session:
            return edit_client(session, actor=people[who], code="acme", change=change).after

    with pytest.raises(PermissionDenied):
        edit("U_LENA", ClientChange("credit-limit", "$100"))
    with pytest.raises(PermissionDenied):
        edit("U_SAM", ClientChange("status", "former", "gone"))
    assert edit("U_PAUL", ClientChange("credit-limit", "10,000")) == "$10,000.00"
    with pytest.raises(Conflict, match="kept in USD"):
        edit("U_PAUL", ClientChange("retainer", "EUR 10"))
    with pytest.raises(InvalidInput, match="Say why"):
        edit("U_PAUL", ClientChange("status", "former"))
    assert edit("U_SAM", ClientChange("details.referral", "Bar")) == "Bar"
    assert edit("U_SAM", ClientChange("details.dob", "1970-01-01")) == "1970-01-01"
    assert edit("U_SAM", ClientChange("details.referral", None)) == "—"
    with db.reading() as session:
        client = session.scalars(select(Client)).one()
    assert client.details == {"dob": "1970-01-01"} and client.credit_limit_cents == 1_000_000


def test_matters_numbers_and_closing(db: Database, people: dict[str, Actor], acme: str) -> None:
    lena = people["U_LENA"]
    with db.unit_of_work("U_LENA") as session:
        second = add_matter(
            session, actor=lena, client_code="acme", title=" Renewal ", lawyer_id=None, today=TODAY
        )
        assert (second.code, second.title, second.lawyer_id) == ("ACME-2", "Renewal", lena.user_id)
        close_matter(session, actor=lena, code="ACME-1", reason="settled", today=TODAY)
    with db.unit_of_work("U_LENA") as session, pytest.raises(Conflict, match="already closed"):
        close_matter(session, actor=lena, code="acme-1", reason=None, today=TODAY)
    with db.unit_of_work("U_LENA") as session, pytest.raises(InvalidInput, match="title"):
        add_matter(session, actor=lena, client_code="ACME", title="  ", lawyer_id=None, today=TODAY)


def test_contacts_check_their_matter_time_and_message(
    db: Database, people: dict[str, Actor], acme: str
) -> None:
    lena = people["U_LENA"]
    with db.unit_of_work("U_LENA") as session:
        add_client(session, actor=lena, data=ClientInput(code="GLOBEX", name="Globex"))
    bad = [
        (ContactInput("ACME", "hi", matter_code="ACME-5"), NotFound),
        (ContactInput("GLOBEX", "hi", matter_code="ACME-1"), InvalidInput),
        (ContactInput("ACME", "   "), InvalidInput),
        (ContactInput("ACME", "x" * 20_001), InvalidInput),
        (ContactInput("ACME", "hi", occurred_at=NOW + timedelta(hours=1)), InvalidInput),
    ]
    for data, error in bad:
        with db.unit_of_work("U_LENA") as session, pytest.raises(error):
            record_contact(session, actor=lena, data=data, now=NOW, today=TODAY)
    once = ContactInput("ACME", "from Slack", source_key="C1:1.0")
    with db.unit_of_work("U_LENA") as session:
        record_contact(session, actor=lena, data=once, now=NOW, today=TODAY)
    with db.unit_of_work("U_LENA") as session, pytest.raises(Conflict, match="already logged"):
        record_contact(session, actor=lena, data=once, now=NOW, today=TODAY)
    with db.reading() as session:
        assert len(session.scalars(select(Contact)).all()) == 1


def test_a_contact_completes_only_follow_ups_due_and_older(
    db: Database, people: dict[str, Actor], acme: str
) -> None:
    sam = people["U_SAM"]

    def log(summary: str, *, follow: date | None, at: datetime) -> list[date]:
        data = ContactInput("ACME", summary, occurred_at=at, follow_up_on=follow)
        with db.unit_of_work("U_SAM") as session:
            return record_contact(
                session, actor=sam, data=data, now=NOW, today=TODAY
            ).completed_follow_ups

    assert log("not due yet", follow=date(2026, 11, 30), at=NOW - timedelta(days=6)) == []
    assert log("due", follow=date(2026, 11, 17), at=NOW - timedelta(days=5)) == []
    # a contact backdated before the follow-up was set does not complete it
    assert log("backdated", follow=None, at=NOW - timedelta(days=9)) == []
    assert log("today's call", follow=None, at=NOW) == [date(2026, 11, 17)]
    with db.reading() as session:
        done = {c.summary: c.follow_up_done_at for c in session.scalars(select(Contact))}
    assert done["due"] == NOW and done["not due yet"] is None


def test_a_contact_closes_only_its_loggers_follow_ups_unless_the_lawyer_logs_it(
    db: Database, people: dict[str, Actor], acme: str
) -> None:
    """Sam's call does not answer Paul's reminder to call ACME; Lena, ACME's responsible
    lawyer, answers for the client, so her contact closes every follow-up, and says whose."""
    due = date(2026, 11, 17)

    def log(who: str, summary: str, *, follow: date | None, at: datetime) -> LoggedContact:
        data = ContactInput("ACME", summary, occurred_at=at, follow_up_on=follow)
        with db.unit_of_work(who) as session:
            return record_contact(session, actor=people[who], data=data, now=NOW, today=TODAY)

    log("U_PAUL", "quarterly review", follow=due, at=NOW - timedelta(days=5))
    log("U_SAM", "sent the engagement letter", follow=due, at=NOW - timedelta(days=5))
    sams = log("U_SAM", "chased the letter", follow=None, at=NOW - timedelta(days=1))
    assert sams.completed_follow_ups == [due] and sams.closed_for == []
    with db.reading() as session:
        open_ = {
            c.summary
            for c in session.scalars(select(Contact))
            if c.follow_up_on and not c.follow_up_done_at
        }
    assert open_ == {"quarterly review"}
    lenas = log("U_LENA", "agreed the renewal", follow=None, at=NOW)
    assert lenas.completed_follow_ups == [due] and lenas.closed_for == ["U_PAUL"]


def test_guessing_the_code_a_message_mentions(
    db: Database, people: dict[str, Actor], acme: str
) -> None:
    with db.reading() as session:
        assert guess_code(session, "Called acme about ACME-1 today") == "ACME-1"
        assert guess_code(session, "Called Acme back") == "ACME"
        assert guess_code(session, "nothing to see") == ""


def test_which_kind_a_file_is() -> None:
    choose = client_imports.choose_kind
    assert choose(message_text="import contacts", filename="x.csv", pending="clients").kind == (
        "contacts"
    )
    assert choose(message_text="", filename="x.csv", pending="clients").kind == "clients"
    assert choose(message_text="", filename="2026 Matters.csv", pending=None).kind == "matters"
    assert choose(message_text="", filename="Invoice.csv", pending="invoices").kind == "invoices"
    mismatch = choose(message_text="", filename="matters.csv", pending="clients")
    assert mismatch.kind is None and "matters.csv" in (mismatch.question or "")
    assert choose(message_text="", filename="report.csv", pending=None).kind is None
    # two kinds named: not a guess
    assert choose(message_text="clients and matters", filename="x.csv", pending=None).kind is None


def test_who_may_import(people: dict[str, Actor]) -> None:
    client_imports.require_may_import(people["U_PAUL"], "clients")
    client_imports.require_may_import(people["U_BILL"], "payments")
    for who, kind in (("U_LENA", "clients"), ("U_BILL", "contacts"), ("U_SAM", "invoices")):
        with pytest.raises(PermissionDenied):
            client_imports.require_may_import(people[who], kind)
    with pytest.raises(InvalidInput):
        client_imports.read_kind("widgets")
    assert client_imports.read_kind("Client") == "clients"
