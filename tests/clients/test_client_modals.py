"""The add-client, open-matter and log-contact modals, and the *Log as client contact* shortcut."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from handlers.clients.client_form import client_modal
from handlers.clients.contact_views import contact_modal
from handlers.clients.views import matter_modal
from storage.models import Client, Contact, ContactKind, Matter
from tests.clients.conftest import NY, audit_rows, reply_text
from tests.harness import Harness


def _errors(exchange: Any) -> dict[str, str]:
    answer = exchange.json()
    assert answer["response_action"] == "errors", answer
    return dict(answer["errors"])


def _opened_view(exchange: Any) -> dict[str, Any]:
    (call,) = exchange.calls_to("views.open")
    return dict(call.params["view"])


def test_each_command_alone_opens_its_modal(firm: Harness) -> None:
    for command, callback in (
        ("/client", "clients_add_modal"),
        ("/matter", "matters_add_modal"),
        ("/contact", "contacts_log_modal"),
    ):
        assert _opened_view(firm.slack.command("U_LENA", command))["callback_id"] == callback


def test_the_client_modal_shows_every_problem_under_its_field(firm: Harness) -> None:
    before = audit_rows(firm)
    bad = firm.slack.view_submission(
        "U_LENA",
        client_modal(),
        {
            "code": "acme",
            "name": "",
            "kind": "org",
            "lawyer": "U_GHOST",
            "email": "nope",
            "phone": "call me",
            "credit_limit": "12.500",
            "terms": "soon",
            "cadence": "0",
        },
    )
    errors = _errors(bad)
    assert set(errors) == {
        "code",
        "name",
        "lawyer",
        "email",
        "phone",
        "credit_limit",
        "terms",
        "cadence",
    }
    assert "already a client ACME" in errors["code"]
    assert "not an active member" in errors["lawyer"]
    assert audit_rows(firm) == before
    trailing = firm.slack.view_submission("U_LENA", client_modal(), {"code": "NEW-2", "name": "X"})
    assert "matter code" in _errors(trailing)["code"]


def test_the_client_modal_adds_and_dms_the_result(firm: Harness) -> None:
    ok = firm.slack.view_submission(
        "U_PAUL",  # with credit terms: a partner's call
        client_modal(),
        {
            "code": "smith-j",
            "name": "Jordan Smith",
            "kind": "person",
            "lawyer": "U_MARK",
            "key": "yes",
            "email": "j@smith.example",
            "credit_limit": "$2,500",
            "terms": "15 days",
            "retainer": "1000",
            "cadence": "30",
        },
    )
    assert ok.status == 200 and not ok.body
    (dm,) = ok.calls_to("chat.postMessage")
    assert "Added client *SMITH-J* Jordan Smith" in dm.params["text"]
    with firm.db.reading() as session:
        smith = session.scalars(select(Client).where(Client.code == "SMITH-J")).one()
    assert smith.lawyer_id == firm.user("U_MARK").id and smith.is_key
    assert (smith.credit_limit_cents, smith.retainer_required_cents) == (250_000, 100_000)
    assert (smith.terms_days, smith.cadence_days) == (15, 30)


def test_billing_cannot_submit_the_client_modal(firm: Harness) -> None:
    before = audit_rows(firm)
    refused = firm.slack.view_submission("U_BILL", client_modal(), {"code": "NEW", "name": "New"})
    assert "does not allow" in next(iter(_errors(refused).values()))
    assert audit_rows(firm) == before


def test_the_matter_modal(firm: Harness) -> None:
    bad = firm.slack.view_submission(
        "U_LENA", matter_modal(), {"client": "ACMEE", "title": "", "lawyer": "U_GHOST"}
    )
    errors = _errors(bad)
    assert "Did you mean `ACME`" in errors["client"] and "title" in errors
    assert "not an active member" in errors["lawyer"]
    ok = firm.slack.view_submission("U_SAM", matter_modal(), {"client": "acme", "title": "Audit"})
    assert "Opened matter *ACME-3* Audit" in ok.calls_to("chat.postMessage")[0].params["text"]
    firm.slack.command("U_PAUL", "/client", "edit ACME status former moved away")
    former = firm.slack.view_submission("U_SAM", matter_modal(), {"client": "ACME", "title": "X"})
    assert "former client" in _errors(former)["client"]
    with firm.db.reading() as session:
        assert len(session.scalars(select(Matter)).all()) == 3


def test_the_contact_modal_checks_each_field(firm: Harness) -> None:
    firm.slack.command("U_LENA", "/client", 'add GLOBEX "Globex Holdings"')
    firm.slack.command("U_LENA", "/matter", 'add GLOBEX "Lease"')
    view = contact_modal(today=date(2026, 11, 18))
    cases = [
        ({"client": "", "summary": "hi"}, "client", "Which client"),
        ({"client": "NOPE", "summary": "hi"}, "client", "There is no client `NOPE`"),
        ({"client": "ACME-9", "summary": "hi"}, "client", "There is no matter `ACME-9`"),
        ({"client": "ACME", "summary": ""}, "summary", "Say what"),
        ({"client": "ACME", "summary": "hi", "occurred": "2026-11-19"}, "occurred", "to come"),
        ({"client": "ACME", "summary": "hi", "follow_up": "2026-11-17"}, "follow_up", "past"),
    ]
    for values, field, expected in cases:
        before = audit_rows(firm)
        errors = _errors(firm.slack.view_submission("U_LENA", view, {"kind": "call", **values}))
        assert expected in errors[field], (values, errors)
        assert audit_rows(firm) == before


def test_the_contact_modal_logs_with_its_day_and_follow_up(firm: Harness) -> None:
    ok = firm.slack.view_submission(
        "U_LENA",
        contact_modal(today=date(2026, 11, 18)),
        {
            "client": "acme-2",
            "kind": "meeting",
            "summary": "Met the GC about renewal",
            "occurred": "2026-11-16",
            "follow_up": "2026-12-01",
        },
    )
    assert ok.status == 200 and not ok.body
    assert "Logged a meeting with *ACME (ACME-2)*" in reply_text(ok)
    with firm.db.reading() as session:
        contact = session.scalars(select(Contact)).one()
    assert contact.kind is ContactKind.MEETING and contact.follow_up_on == date(2026, 12, 1)
    assert contact.occurred_at == datetime(2026, 11, 16, 12, 0, tzinfo=NY)


MESSAGE = {
    "type": "message",
    "user": "U_MARK",
    "text": "Spoke with <@U_LENA|lena> about ACME-2 &amp; the renewal: <https://acme.example|terms>",
    "ts": "1700000000.000200",
}


def test_the_shortcut_opens_the_contact_modal_prefilled(firm: Harness) -> None:
    exchange = firm.slack.shortcut("U_LENA", "log_client_contact", MESSAGE, "C_DEADLINES")
    view = _opened_view(exchange)
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    summary = inputs["summary"]["element"]["initial_value"]
    assert summary == "Spoke with @lena about ACME-2 & the renewal: terms (https://acme.example)"
    assert inputs["client"]["element"]["initial_value"] == "ACME-2"
    assert "https://" in str(view["blocks"][0])  # the link back to the message
    logged = firm.slack.view_submission(
        "U_LENA", view, {"client": "ACME-2", "kind": "message", "summary": summary}
    )
    assert logged.status == 200 and not logged.body
    with firm.db.reading() as session:
        contact = session.scalars(select(Contact)).one()
    assert contact.permalink and contact.permalink.startswith("http")
    assert contact.source_key == "C_DEADLINES:1700000000.000200"
    # the same message again: the shortcut says so instead of opening a form
    again = firm.slack.shortcut("U_SAM", "log_client_contact", MESSAGE, "C_DEADLINES")
    assert not again.calls_to("views.open")
    assert "already logged as a contact with ACME" in reply_text(again)
    # a form opened before the first was saved is refused in the form, not stored twice
    twice = firm.slack.view_submission(
        "U_SAM", view, {"client": "ACME", "kind": "call", "summary": "dup"}
    )
    assert "already logged" in next(iter(_errors(twice).values()))
    with firm.db.reading() as session:
        assert len(session.scalars(select(Contact)).all()) == 1


def test_billing_logs_collection_calls_with_the_shortcut_too(firm: Harness) -> None:
    opened = firm.slack.shortcut("U_BILL", "log_client_contact", MESSAGE, "C_DEADLINES")
    assert len(opened.calls_to("views.open")) == 1
