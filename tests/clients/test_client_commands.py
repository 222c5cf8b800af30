"""/client, /matter and /contact through signed HTTP: happy paths and every bad input."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditLog, Client, Contact, Matter, Role
from tests.harness import Harness

ADD = (
    'add ACME "Acme Corporation" org lawyer <@U_LENA|lena> key email legal@acme.com '
    "credit-limit $50,000 terms 45 days cadence 21 days"
)


def _text(exchange: object) -> str:
    return " ".join(r.get("text", "") for r in exchange.replies)  # type: ignore[attr-defined]


def test_add_a_client_with_every_field_and_see_its_card(harness: Harness) -> None:
    added = harness.slack.command("U_LENA", "/client", ADD)
    assert "Added client *ACME* Acme Corporation" in _text(added)
    with harness.db.reading() as session:
        client = session.scalars(select(Client)).one()
    assert (client.credit_limit_cents, client.terms_days, client.cadence_days) == (
        5_000_000,
        45,
        21,
    )
    assert client.is_key and client.email == "legal@acme.com"
    assert client.lawyer_id == harness.user("U_LENA").id
    card = harness.slack.command("U_LENA", "/client", "acme")
    assert card.replies[0]["response_type"] == "ephemeral"
    blocks = str(card.replies[0]["blocks"])
    assert "ACME · Acme Corporation" in blocks and "legal@acme.com" in blocks
    assert "Nothing outstanding" in blocks  # Lena is the responsible lawyer: she sees money


def test_staff_see_the_card_without_a_balance_line(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", ADD)
    card = harness.slack.command("U_SAM", "/client", "ACME")
    assert "Nothing outstanding" not in str(card.replies[0]["blocks"])
    assert ":moneybag:" not in str(card.replies[0]["blocks"])


def test_matters_are_numbered_per_client_and_contacts_logged(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", ADD)
    first = harness.slack.command("U_LENA", "/matter", 'add ACME "Lease dispute"')
    second = harness.slack.command("U_LENA", "/matter", 'add acme "Renewal" lawyer <@U_MARK|mark>')
    assert "ACME-1" in _text(first) and "ACME-2" in _text(second)
    logged = harness.slack.command(
        "U_LENA", "/contact", "ACME ACME-2 email sent the draft; follow up 2099-01-05"
    )
    assert "Follow-up reminder on Mon 5 Jan 2099" in str(logged.replies[0]["blocks"])
    with harness.db.reading() as session:
        contact = session.scalars(select(Contact)).one()
        matter = session.scalars(select(Matter).where(Matter.code == "ACME-2")).one()
    assert contact.matter_id == matter.id and contact.kind.value == "email"
    assert matter.lawyer_id == harness.user("U_MARK").id
    listing = harness.slack.command("U_LENA", "/contact", "list ACME")
    assert "sent the draft" in str(listing.replies[0]["blocks"])
    closed = harness.slack.command("U_LENA", "/matter", "close ACME-1 settled")
    assert "Closed matter *ACME-1*" in _text(closed)


def test_a_dm_sentence_logs_a_contact_once_even_when_slack_retries(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", ADD)
    first = harness.slack.dm("U_LENA", "log call with ACME: agreed to mediation", event_id="EvX1")
    harness.slack.dm(
        "U_LENA", "log call with ACME: agreed to mediation", event_id="EvX1", retry_num=1
    )
    assert "Logged a call with *ACME*" in first.calls_to("chat.postMessage")[0].params["text"]
    assert harness.count(Contact) == 1


def test_the_shortcut_opens_the_contact_modal_prefilled(harness: Harness) -> None:
    message = {
        "type": "message",
        "text": "Client called about the invoice",
        "ts": "1700000000.000200",
    }
    exchange = harness.slack.shortcut("U_LENA", "log_client_contact", message, "C_GENERAL")
    opened = exchange.calls_to("views.open")
    assert len(opened) == 1
    view = opened[0].params["view"]
    assert "Client called about the invoice" in str(view)
    assert view["private_metadata"].startswith("https://")


def test_the_contact_modal_logs_and_shows_field_errors(harness: Harness) -> None:
    from handlers.views.clients import contact_modal

    harness.slack.command("U_LENA", "/client", ADD)
    empty = harness.slack.view_submission(
        "U_LENA", contact_modal(), {"client": "ACME", "summary": ""}
    )
    assert empty.json()["response_action"] == "errors"
    assert "summary" in empty.json()["errors"]
    unknown = harness.slack.view_submission(
        "U_LENA", contact_modal(), {"client": "NOPE", "kind": "call", "summary": "hi"}
    )
    assert unknown.json()["response_action"] == "errors"
    ok = harness.slack.view_submission(
        "U_LENA", contact_modal(), {"client": "ACME", "kind": "meeting", "summary": "Met the GC"}
    )
    assert ok.status == 200 and not ok.body
    assert harness.count(Contact) == 1


def _nothing_written(harness: Harness, before: int) -> None:
    assert harness.count(AuditLog) == before


def test_bad_inputs_get_clear_replies_and_write_nothing(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", ADD)
    harness.slack.command("U_LENA", "/matter", 'add ACME "Lease dispute"')
    harness.clerk.directory.actor("U_SAM")
    cases = [
        ("U_LENA", "/client", "NOPE", "There is no client `NOPE`"),
        ("U_LENA", "/client", "ACMEE", "Did you mean `ACME`"),
        ("U_LENA", "/client", 'add ACME "Another"', "already a client `ACME`"),
        ("U_LENA", "/client", "add ACME2 Acme Two Corp", "put it in quotes"),
        (
            "U_LENA",
            "/client",
            'add GHOST "Ghost Ltd" lawyer <@U_GHOST|ghost>',
            "not an active member",
        ),
        ("U_LENA", "/client", 'add ACME-7 "Bad code"', "ends like a matter code"),
        ("U_LENA", "/client", 'add X1 "Bad" email not-an-email', "doesn't look like an email"),
        ("U_LENA", "/client", 'add X2 "Bad" credit-limit 12.500', "12.500"),
        ("U_LENA", "/matter", "ACME-9", "There is no matter `ACME-9`"),
        ("U_LENA", "/contact", "NOPE call hello", "There is no client `NOPE`"),
        ("U_LENA", "/contact", "ACME call hi; follow up someday", "couldn't read"),
        ("U_SAM", "/client", "edit ACME credit-limit $1", "Only a partner or an admin"),
        ("U_BILL", "/client", 'add NEW "New Co"', "does not allow"),
    ]
    for who, command, text, expected in cases:
        before = harness.count(AuditLog)
        exchange = harness.slack.command(who, command, text)
        reply = exchange.replies[0]
        assert reply["response_type"] == "ephemeral", text
        assert expected in reply["text"], (text, reply["text"])
        _nothing_written(harness, before)


def test_a_long_summary_is_stored_whole_and_shown_truncated(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", ADD)
    summary = "word " * 700  # 3,500 characters: more than a section shows
    exchange = harness.slack.command("U_LENA", "/contact", f"ACME call {summary}")
    with harness.db.reading() as session:
        stored = session.scalars(select(Contact.summary)).one()
    assert stored == summary.strip()
    assert "…" in exchange.replies[0]["text"]


def test_a_past_follow_up_asks_before_storing(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", ADD)
    exchange = harness.slack.command("U_LENA", "/contact", "ACME call hi; follow up 2020-01-06")
    assert "in the past" in exchange.replies[0]["text"]
    assert harness.count(Contact) == 0
    button = exchange.replies[0]["blocks"][1]["elements"][0]
    confirmed = harness.slack.action("U_LENA", button["action_id"], button["value"])
    assert "Logged a call" in confirmed.replies[0]["text"]
    assert harness.count(Contact) == 1


def test_partners_edit_senior_fields_and_status_former_needs_a_reason(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", ADD)
    ok = harness.slack.command("U_PAUL", "/client", "edit ACME terms 60 days")
    assert "Updated *ACME*" in ok.replies[0]["text"]
    no_reason = harness.slack.command("U_PAUL", "/client", "edit ACME status former")
    assert "Say why" in no_reason.replies[0]["text"]
    former = harness.slack.command("U_PAUL", "/client", "edit ACME status former matter concluded")
    assert "Updated" in former.replies[0]["text"]
    with harness.db.reading() as session:
        client = session.scalars(select(Client)).one()
    assert client.terms_days == 60 and client.status.value == "former"
    assert harness.user("U_PAUL").role is Role.PARTNER


def test_find_by_name_email_and_fuzzy(harness: Harness) -> None:
    harness.slack.command("U_LENA", "/client", ADD)
    harness.slack.command("U_LENA", "/client", 'add GLOBEX "Globex Holdings" email ops@globex.com')
    assert "GLOBEX" in str(harness.slack.command("U_SAM", "/client", "find globex.com").replies[0])
    assert "ACME" in str(harness.slack.command("U_SAM", "/client", "find Acme Corp").replies[0])
    assert "ACME" in str(harness.slack.command("U_SAM", "/client", "find acmee").replies[0])
