"""The client profile through `/client edit` and the card: every named field typed, checked
and shown; the wrong kind, a bad value or a role that may not writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from storage.models import AuditLog, Client, ClientRelation
from tests.clients.conftest import assert_refused, audit_rows, reply_text
from tests.harness import Harness

SMITH = 'add SMITH "Jordan Smith" person lawyer <@U_LENA|lena>'


def _edit(firm: Harness, text: str, user: str = "U_LENA") -> str:
    return reply_text(firm.slack.command(user, "/client", f"edit {text}"))


def _card(firm: Harness, code: str, user: str = "U_LENA") -> str:
    return reply_text(firm.slack.command(user, "/client", code))


def _client(firm: Harness, code: str) -> Client:
    with firm.db.reading() as session:
        return session.scalars(select(Client).where(Client.code == code)).one()


@pytest.fixture
def people(firm: Harness) -> Harness:
    firm.slack.command("U_LENA", "/client", SMITH)
    return firm


PERSON_FIELDS = [
    ("gender", "female", "gender", "female"),
    ("birth-date", "1970-03-02", "birth_date", date(1970, 3, 2)),
    ("birth-date", "2 March 1970", "birth_date", date(1970, 3, 2)),
    ("birth-date", "March 2, 1970", "birth_date", date(1970, 3, 2)),
    ("family", "married, two children", "family", "married, two children"),
    ("income", "$185,000", "income_cents", 18_500_000),
    ("employer", "Globex Holdings", "employer", "Globex Holdings"),
    ("position", "CFO", "position", "CFO"),
    ("interests", "sailing, opera", "interests", "sailing, opera"),
    ("referral-source", "Bar association", "referral_source", "Bar association"),
    ("potential-needs", "estate planning", "potential_needs", "estate planning"),
]
ORG_FIELDS = [
    ("legal-rep", "Wile E. Coyote", "legal_rep", "Wile E. Coyote"),
    ("contact-person", "Road Runner", "contact_person", "Road Runner"),
    ("registered-capital", "1,000,000", "registered_capital_cents", 100_000_000),
    ("revenue", "25000000.50", "revenue_cents", 2_500_000_050),
    ("employees", "1,200", "employees", 1200),
    ("customers", "retailers in the Midwest", "customers", "retailers in the Midwest"),
    ("partners", "Initech (supplier)", "business_partners", "Initech (supplier)"),
    ("referral-source", "Conference", "referral_source", "Conference"),
]


@pytest.mark.parametrize(("field", "value", "column", "stored"), PERSON_FIELDS)
def test_a_persons_fields_are_typed_stored_and_cleared(
    people: Harness, field: str, value: str, column: str, stored: object
) -> None:
    said = _edit(people, f"SMITH {field} {value}")
    assert "SMITH" in said and "Something went wrong" not in said
    assert getattr(_client(people, "SMITH"), column) == stored
    _edit(people, f"SMITH {field} -")
    assert getattr(_client(people, "SMITH"), column) is None


@pytest.mark.parametrize(("field", "value", "column", "stored"), ORG_FIELDS)
def test_an_organisations_fields_are_typed_stored_and_cleared(
    firm: Harness, field: str, value: str, column: str, stored: object
) -> None:
    _edit(firm, f"ACME {field} {value}")
    assert getattr(_client(firm, "ACME"), column) == stored
    _edit(firm, f"ACME {field} clear")
    assert getattr(_client(firm, "ACME"), column) is None


BAD = [
    ("U_LENA", "SMITH birth-date 2099-01-01", "can't be in the future"),
    ("U_LENA", "SMITH birth-date 1850-01-01", "more than 130 years ago"),
    ("U_LENA", "SMITH birth-date 03/02/1970", "write it in full"),
    ("U_LENA", "SMITH birth-date 31 February 1970", "write it in full"),
    ("U_LENA", "SMITH income -5", "a negative amount"),
    ("U_LENA", "SMITH income €100", "kept in USD"),
    (
        "U_LENA",
        "SMITH legal-rep Someone",
        "SMITH is a person: `legal-rep` is kept for organisations",
    ),
    ("U_LENA", "ACME gender female", "ACME is an organisation: `gender` is kept for people"),
    ("U_LENA", "ACME registered-capital -1", "a negative amount"),
    ("U_LENA", "ACME employees many", "whole number"),
    ("U_LENA", "ACME employees -3", "whole number"),
    ("U_LENA", "ACME related-clients NOPE SMITH", "There is no client `NOPE`"),
    ("U_LENA", "ACME related-clients ACME", "can't be related to itself"),
    ("U_PAUL", "ACME billing-contact <@U_SAM|sam>", "can't be the billing contact"),
    ("U_LENA", "ACME billing-contact <@U_BILL|bill>", "Only a partner or an admin"),
    ("U_BILL", "ACME referral-source Friends", "does not allow"),
    ("U_LENA", "ACME satisfaction 4", "/matter close ACME-1 satisfaction 4"),
    ("U_LENA", "SMITH gender " + "x" * 41, "the most is 40"),
]


@pytest.mark.parametrize(("user", "text", "expected"), BAD)
def test_bad_profile_values_are_refused_and_write_nothing(
    people: Harness, user: str, text: str, expected: str
) -> None:
    assert_refused(people, user, "/client", f"edit {text}", expected)


def test_the_card_shows_the_profile_and_keeps_personal_facts_to_money_readers(
    people: Harness,
) -> None:
    _edit(people, "SMITH birth-date 1970-03-02")
    _edit(people, "SMITH income 185000")
    _edit(people, "SMITH employer <!channel> & <http://evil.example|Globex>")
    _edit(people, "SMITH related-clients acme", user="U_LENA")
    _edit(people, "SMITH billing-contact <@U_BILL|bill>", user="U_PAUL")
    _edit(people, "SMITH relationship-partner <@U_PAUL|paul>", user="U_PAUL")
    lena = _card(people, "SMITH")  # her client: she may see its account
    assert "Born" in lena and "Mon 2 Mar 1970" in lena and "$185,000.00" in lena
    assert "&lt;!channel&gt; &amp; &lt;http://evil.example|Globex&gt;" in lena
    assert "<!channel>" not in lena
    assert "Related clients" in lena and "ACME" in lena
    assert "<@U_BILL>" in lena and "<@U_PAUL>" in lena
    sam = _card(people, "SMITH", user="U_SAM")  # staff: the card, not the personal facts
    assert "Employer" in sam and "Born" not in sam and "185,000" not in sam
    acme = _card(people, "ACME")
    assert "Named as related by" in acme and "SMITH" in acme
    with people.db.reading() as session:
        assert len(list(session.scalars(select(ClientRelation)))) == 1
    _edit(people, "SMITH related-clients -")
    with people.db.reading() as session:
        assert list(session.scalars(select(ClientRelation))) == []


def test_each_change_is_in_the_audit_trail_with_before_and_after(people: Harness) -> None:
    before = audit_rows(people)
    said = _edit(people, "SMITH employer Initech")
    assert "—" in said and "Initech" in said  # before and after
    assert audit_rows(people) == before + 1


def test_related_clients_removed_are_in_the_audit_trail(people: Harness) -> None:
    _edit(people, "ACME related-clients SMITH")
    _edit(people, "ACME related-clients SMITH")  # the same links: nothing to record
    said = _edit(people, "ACME related-clients -")
    assert "SMITH" in said
    with people.db.reading() as session:
        rows = session.scalars(
            select(AuditLog).where(AuditLog.entity == "client_relations").order_by(AuditLog.id)
        ).all()
    assert [(r.action, r.actor, r.before, r.after) for r in rows if r.action == "update"] == [
        ("update", "U_LENA", {"related_clients": ["SMITH"]}, {"related_clients": []})
    ]
    assert [r.action for r in rows] == ["create", "update"]  # the link, then its removal


def test_the_profile_goes_out_and_comes_back_through_csv(people: Harness) -> None:
    import io

    from bot.transfer import export_csv, import_csv
    from storage.models import Client as ClientRow

    _edit(people, "SMITH birth-date 1970-03-02")
    _edit(people, "SMITH income 185000.50")
    _edit(people, "SMITH employer =HYPERLINK(evil)")
    _edit(people, "ACME employees 1200")
    _edit(people, "ACME registered-capital 1000000")
    _edit(people, "SMITH related-clients ACME")
    _edit(people, "SMITH billing-contact <@U_BILL|bill>", user="U_PAUL")
    out = io.StringIO()
    export_csv(people.db, "clients", out)
    exported = out.getvalue()
    header = exported.splitlines()[0]
    assert header.startswith(
        "code,name,kind,status,lawyer,key,email,phone,credit_limit,terms_days,"
    )
    assert "'=HYPERLINK(evil)" in exported  # a formula is neutralised in the file
    with people.db.unit_of_work("test") as session:
        session.query(ClientRelation).delete()
        for client in session.scalars(select(ClientRow)):
            client.code = "OLD" + client.code[:20]
    # ACME comes before SMITH in the file (codes in order), so SMITH's link resolves
    assert import_csv(people.db, "clients", io.StringIO(exported), actor="U_ADMIN") == 2
    smith = _client(people, "SMITH")
    assert (smith.birth_date, smith.income_cents, smith.employer) == (
        date(1970, 3, 2),
        18_500_050,
        "=HYPERLINK(evil)",
    )
    assert _client(people, "ACME").employees == 1200
    again = io.StringIO()
    export_csv(people.db, "clients", again)
    assert [line for line in again.getvalue().splitlines() if not line.startswith("OLD")] == [
        line for line in exported.splitlines()
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "NEW1,New One,person,,,,,,,,,2099-01-01",
            "birth_date: A birth date can't be in the future",
        ),
        ("NEW1,New One,org,,,,,,,,,1970-01-01", "birth_date: NEW1 is an organisation"),
    ],
)
def test_bad_profile_cells_are_refused_with_their_line(
    firm: Harness, line: str, reason: str
) -> None:
    import io

    from bot.transfer import ImportFailed, import_csv

    header = (
        "code,name,kind,status,lawyer,key,email,phone,credit_limit,terms_days,gender,birth_date"
    )
    before = audit_rows(firm)
    with pytest.raises(ImportFailed) as failed:
        import_csv(firm.db, "clients", io.StringIO(f"{header}\n{line}\n"), actor="U_ADMIN")
    assert failed.value.problems[0].startswith("line 2: ") and reason in failed.value.problems[0]
    assert audit_rows(firm) == before


def test_a_related_client_must_exist_or_come_earlier_in_the_file(firm: Harness) -> None:
    import io

    from bot.transfer import ImportFailed, import_csv

    text = "code,name,related_clients\nBETA,Beta LLC,GAMMA\nGAMMA,Gamma LLC,\n"
    with pytest.raises(ImportFailed) as failed:
        import_csv(firm.db, "clients", io.StringIO(text), actor="U_ADMIN")
    assert failed.value.problems == [
        "line 2: related_clients: There is no client `GAMMA`: related clients are given by "
        "their codes, e.g. `/client edit ACME related-clients GLOBEX INITECH`."
    ]
    ordered = "code,name,related_clients\nGAMMA,Gamma LLC,\nBETA,Beta LLC,GAMMA ACME\n"
    assert import_csv(firm.db, "clients", io.StringIO(ordered), actor="U_ADMIN") == 2
