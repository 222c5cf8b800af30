"""/client through signed HTTP: add, the card, find, edit; and every bad input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.billing import receivables
from storage.models import Client, ClientKind, ClientStatus, Deadline, Matter, MatterStatus
from tests.clients.conftest import audit_rows, reply_text
from tests.harness import Harness


def _client(harness: Harness, code: str = "ACME") -> Client:
    with harness.db.reading() as session:
        return session.scalars(select(Client).where(Client.code == code)).one()


def test_add_stores_every_field_of_the_grammar(firm: Harness) -> None:
    client = _client(firm)
    assert client.name == "Acme Corporation" and client.kind is ClientKind.ORGANIZATION
    assert client.lawyer_id == firm.user("U_LENA").id and client.is_key
    assert (client.email, client.phone) == ("legal@acme.com", "+1-212-555-0100")
    assert (client.credit_limit_cents, client.terms_days, client.cadence_days) == (
        5_000_000,
        45,
        21,
    )
    assert client.currency == "USD" and client.status is ClientStatus.ACTIVE
    added = firm.slack.command(
        "U_PAUL",  # a retainer and terms are a partner's call, at intake as in an edit
        "/client",
        'add SMITH-J "Jordan Smith" person email j@smith.example retainer USD 2500 terms 15',
    )
    assert "Added client *SMITH-J* Jordan Smith" in reply_text(added)
    smith = _client(firm, "SMITH-J")
    assert smith.kind is ClientKind.PERSON and smith.retainer_required_cents == 250_000
    assert smith.terms_days == 15 and smith.lawyer_id is None and not smith.is_key


def test_the_card_shows_details_matters_contacts_and_deadlines(firm: Harness) -> None:
    s = firm.slack
    for n in range(4):
        s.command("U_LENA", "/contact", f"ACME call note number {n}")
    with firm.db.unit_of_work("test-setup") as session:
        matter = session.scalars(select(Matter).where(Matter.code == "ACME-1")).one()
        for title, day in (("Past", 1), ("Reply", 3), ("Answer", 2), ("Later", 9), ("Final", 20)):
            due = date(2026, 11 if title == "Past" else 12, day)
            session.add(Deadline(matter_id=matter.id, title=title, due_on=due))
    s.command("U_LENA", "/client", "edit ACME details.date_of_birth 1970-01-01")
    card = s.command("U_LENA", "/client", "acme")
    assert card.replies[0]["response_type"] == "ephemeral"
    text = reply_text(card)
    assert "ACME · Acme Corporation" in text and "legal@acme.com" in text
    assert "Date of birth" in text and "1970-01-01" in text
    assert "*ACME-1* Lease dispute" in text and "*ACME-2* Renewal" in text
    # the last three contacts, newest first; the oldest is not on the card
    assert "note number 3" in text and "note number 1" in text and "note number 0" not in text
    # the soonest open deadlines from today on, soonest first; a past one is not "next"
    assert text.index("Answer") < text.index("Reply") and "Past" not in text
    assert "Later" in text and "Final" not in text  # three at most
    assert "key client" in text


def test_a_client_with_many_matters_shows_the_first_ten_and_how_many_more(
    firm: Harness,
) -> None:
    with firm.db.unit_of_work("test-setup") as session:
        acme = session.scalars(select(Client).where(Client.code == "ACME")).one()
        for number in range(3, 15):  # ACME-3 .. ACME-14, each with a long title
            session.add(
                Matter(
                    code=f"ACME-{number}",
                    client_id=acme.id,
                    number=number,
                    title=f"Matter {number} " + "Smith & Sons v. Jones " * 13,
                    status=MatterStatus.CLOSED if number == 3 else MatterStatus.OPEN,
                    opened_on=date(2026, 1, 5),
                )
            )
    card = firm.slack.command("U_LENA", "/client", "ACME")
    (section,) = [
        b["text"]["text"]
        for b in card.replies[0]["blocks"]
        if "text" in b and b["text"]["text"].startswith("*Open matters*")
    ]
    shown = [line.split("*")[1] for line in section.splitlines() if line.startswith("• ")]
    assert shown == ["ACME-1", "ACME-2", *(f"ACME-{n}" for n in range(4, 12))]  # not closed 3
    assert section.endswith("_…and 3 more open matters_")  # ACME-12, 13 and 14
    assert len(section) <= 3000 and "&amp; Sons" in section


def test_the_balance_line_only_for_those_allowed_to_see_money(firm: Harness) -> None:
    # Lena is ACME's lawyer; Mark is a lawyer but not ACME's; Sam is staff.
    who_sees = {"U_LENA": True, "U_PAUL": True, "U_BILL": True, "U_MARK": False, "U_SAM": False}
    for who, sees_money in who_sees.items():
        text = reply_text(firm.slack.command(who, "/client", "ACME"))
        assert ("Credit limit $50,000.00" in text) is sees_money, who
        assert (":moneybag:" in text) is sees_money, who
        assert "ACME · Acme Corporation" in text


def test_the_card_shows_the_receivables_balance_line(
    firm: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def fake_line(session: object, client: Client, as_of: object, **_: object) -> str:
        calls.append(client.code)
        return "Outstanding $1,234.00 · stage 1 reminder"

    monkeypatch.setattr("handlers.clients.commands.client_balance_line", fake_line)
    lena = reply_text(firm.slack.command("U_LENA", "/client", "ACME"))
    sam = reply_text(firm.slack.command("U_SAM", "/client", "ACME"))
    assert "Outstanding $1,234.00" in lena and "Outstanding" not in sam
    assert calls == ["ACME"]  # never even computed for someone who may not see it
    assert receivables.client_balance_line is not fake_line


def test_a_similar_name_asks_did_you_mean_before_adding(firm: Harness) -> None:
    before = audit_rows(firm)
    asked = firm.slack.command("U_LENA", "/client", 'add ACMEINC "Acme Corp, Inc."')
    assert "Did you mean an existing client? ACME (Acme Corporation)" in reply_text(asked)
    assert audit_rows(firm) == before
    button = asked.replies[0]["blocks"][1]["elements"][0]
    confirmed = firm.slack.action("U_LENA", button["action_id"], button["value"])
    assert "Added client *ACMEINC*" in reply_text(confirmed)
    assert "Similar clients already in Clerk: ACME" in reply_text(confirmed)
    assert _client(firm, "ACMEINC").name == "Acme Corp, Inc."


def test_find_by_code_name_email_phone_and_fuzzy(firm: Harness) -> None:
    s = firm.slack
    s.command("U_LENA", "/client", 'add GLOBEX "Globex Holdings" email ops@globex.com')
    s.command("U_LENA", "/client", 'add INITECH "Initech LLC" phone (415)555-0199')
    assert "*GLOBEX*" in reply_text(s.command("U_BILL", "/client", "find globex.com"))
    assert "*ACME*" in reply_text(s.command("U_SAM", "/client", "find Acme Corp"))
    assert "*ACME*" in reply_text(s.command("U_SAM", "/client", "find acmee"))
    by_phone = reply_text(s.command("U_SAM", "/client", "find 415 555 0199"))
    assert "*INITECH*" in by_phone and "*ACME*" not in by_phone
    nothing = s.command("U_SAM", "/client", "find zzzzqqq")
    assert "No client matches" in reply_text(nothing)


def test_edit_each_kind_of_field(firm: Harness) -> None:
    s = firm.slack
    edits = [
        ("U_SAM", 'edit ACME name "Acme Corporation Ltd"', "name is now Acme Corporation Ltd"),
        ("U_SAM", "edit ACME person", "person is now person"),
        ("U_SAM", "edit ACME kind org", "kind is now organization"),
        ("U_SAM", "edit ACME not-key", "not a key client"),
        ("U_SAM", "edit ACME email gc@acme.com", "email is now gc@acme.com"),
        ("U_SAM", "edit ACME phone -", "phone is now —"),
        ("U_SAM", "edit ACME address 1 Main St, Springfield", "1 Main St, Springfield"),
        ("U_SAM", "edit ACME industry Manufacturing", "industry is now Manufacturing"),
        ("U_SAM", "edit ACME size 200 staff", "size is now 200 staff"),
        ("U_SAM", "edit ACME cadence 14 days", "every 14 days"),
        ("U_SAM", "edit ACME details.referral_source Bar association", "Bar association"),
        ("U_PAUL", "edit ACME lawyer <@U_MARK|mark>", "lawyer is now <@U_MARK>"),
        ("U_PAUL", "edit ACME credit-limit 75,000", "$75,000.00"),
        ("U_ADMIN", "edit ACME retainer $5k", "$5,000.00"),
        ("U_PAUL", "edit ACME terms 60 days", "60 days"),
    ]
    for who, text, expected in edits:
        exchange = s.command(who, "/client", text)
        assert expected in reply_text(exchange), (text, reply_text(exchange))
    client = _client(firm)
    assert client.name == "Acme Corporation Ltd" and client.kind is ClientKind.ORGANIZATION
    assert not client.is_key and client.email == "gc@acme.com" and client.phone is None
    assert client.address == "1 Main St, Springfield" and client.cadence_days == 14
    assert client.details == {"referral_source": "Bar association"}
    assert client.lawyer_id == firm.user("U_MARK").id
    assert (client.credit_limit_cents, client.retainer_required_cents, client.terms_days) == (
        7_500_000,
        500_000,
        60,
    )
    s.command("U_SAM", "/client", "edit ACME details.referral_source -")
    assert _client(firm).details == {}


def test_status_former_needs_a_reason_and_active_clears_it(firm: Harness) -> None:
    s = firm.slack
    assert "Say why" in reply_text(s.command("U_PAUL", "/client", "edit ACME status former"))
    s.command("U_PAUL", "/client", "edit ACME status former moved to another firm")
    client = _client(firm)
    assert client.status is ClientStatus.FORMER and client.status_reason == "moved to another firm"
    card = reply_text(s.command("U_SAM", "/client", "ACME"))
    assert "former (moved to another firm)" in card
    refused = s.command("U_LENA", "/matter", 'add ACME "New work"')
    assert "former client" in reply_text(refused)
    s.command("U_PAUL", "/client", "edit ACME status active")
    assert _client(firm).status_reason is None


# --- bad input: a clear ephemeral reply, nothing written ---------------------------------

BAD_INPUTS = [
    ("U_LENA", "NOPE", "There is no client `NOPE`"),
    ("U_LENA", "ACMEE", "Did you mean `ACME`"),
    ("U_LENA", 'add ACME "Another Acme"', "already a client `ACME`"),
    ("U_LENA", 'add acme "Lower case duplicate"', "already a client `ACME`"),
    ("U_LENA", "add ACME2 Acme Two Corp", "put it in quotes"),
    ("U_LENA", 'add ACME2 "Acme Two', "quote is not closed"),
    ("U_LENA", 'add GHOST "Ghost Ltd" lawyer <@U_GHOST|ghost>', "not an active member"),
    ("U_LENA", 'add GHOST "Ghost Ltd" lawyer @nobody', "can't tell who `@nobody` is"),
    ("U_LENA", 'add ACME-7 "Bad code"', "ends like a matter code"),
    ("U_LENA", 'add A "Too short"', "can't be a client code"),
    ("U_LENA", 'add find "Find Ltd"', "a word Clerk's commands use"),
    ("U_LENA", 'add ABCDEFGHIJKLMNOPQ "Too long"', "can't be a client code"),
    ("U_LENA", 'add X1 "Bad" email not-an-email', "doesn't look like an email"),
    ("U_LENA", 'add X1 "Bad" phone call-me', "doesn't look like a phone number"),
    ("U_LENA", 'add X2 "Bad" credit-limit 12.500', "12.500"),
    ("U_LENA", 'add X3 "Bad" terms soon', "number of days"),
    ("U_LENA", 'add X4 "Bad" email a@b.co email c@d.co', "given twice"),
    ("U_LENA", 'add X5 "Bad" credit-limit EUR 5 retainer USD 5', "different currencies"),
    ("U_LENA", "add X6", "Give a code and the full name"),
    ("U_LENA", "edit NOPE email a@b.co", "There is no client `NOPE`"),
    ("U_LENA", "edit ACME colour blue", "not a client field"),
    ("U_LENA", "edit ACME code ACME2", "code can't be changed"),
    ("U_LENA", "edit ACME email", "Give a value for email"),
    ("U_PAUL", "edit ACME status gone", "active`, `prospect` or `former"),
    ("U_SAM", "edit ACME credit-limit $1", "Only a partner or an admin"),
    ("U_SAM", "edit ACME lawyer <@U_SAM|sam>", "Only a partner or an admin"),
    ("U_PAUL", "edit ACME lawyer <@U_GHOST|ghost>", "not an active member"),
    ("U_LENA", "edit ACME terms 10 days", "Only a partner or an admin"),
    ("U_LENA", "edit ACME status former gone", "Only a partner or an admin"),
    ("U_SAM", "edit NOPE retainer $1", "Only a partner or an admin"),  # never says if NOPE exists
    ("U_PAUL", "edit ACME credit-limit EUR 100", "kept in USD"),
    ("U_BILL", 'add NEW "New Co"', "does not allow"),
    ("U_BILL", "edit ACME email a@b.co", "does not allow"),
    ("U_LENA", "edit ACME industry " + "I" * 121, "the most is 120"),  # the column's size
    ("U_LENA", "edit ACME size " + "S" * 61, "the most is 60"),
    ("U_LENA", "find", "What should I look for"),
    ("U_LENA", "ACME extra words", "I don't know `/client ACME"),
    ("U_LENA", "acme-1", "`/matter ACME-1` shows the matter"),
]


def test_bad_input_gets_a_clear_ephemeral_reply_and_writes_nothing(firm: Harness) -> None:
    # One firm for every case (setting one up per case would cost more than the cases).
    for who, text, expected in BAD_INPUTS:
        before = audit_rows(firm)
        exchange = firm.slack.command(who, "/client", text)
        assert exchange.status == 200, text
        (reply,) = exchange.replies
        assert reply["response_type"] == "ephemeral", text
        assert expected in reply["text"], (text, reply["text"])
        assert audit_rows(firm) == before, text


def test_help_and_the_empty_command_open_usage_and_the_modal(firm: Harness) -> None:
    usage = firm.slack.command("U_LENA", "/client", "help")
    assert "/client add CODE" in reply_text(usage)
    opened = firm.slack.command("U_LENA", "/client", "")
    view = opened.calls_to("views.open")[0].params["view"]
    assert view["callback_id"] == "clients_add_modal"
