"""The add-client form's profile: the fields of the client's kind, typed and checked as
``/client edit`` checks them, every problem under its own field, and choosing the kind
redraws the form with that kind's fields. Driven as Slack sends it: a view submission, and a
block action from the open modal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bot.clients import profile
from handlers.clients.client_form import client_modal
from storage.models import Client, ClientKind, ClientRelation
from tests.clients.conftest import audit_rows
from tests.harness import Harness


def _inputs(view: dict[str, Any]) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def _errors(exchange: Any) -> dict[str, str]:
    answer = exchange.json()
    assert answer["response_action"] == "errors", answer
    return dict(answer["errors"])


def _client(firm: Harness, code: str) -> Client:
    with firm.db.reading() as session:
        return session.scalars(select(Client).where(Client.code == code)).one()


def test_the_form_shows_the_profile_of_the_kind_chosen() -> None:
    person = _inputs(client_modal(ClientKind.PERSON))
    org = _inputs(client_modal(ClientKind.ORGANIZATION))
    for field in profile.FIELDS:
        block_id = f"profile.{field.name}"
        assert (block_id in person) is (ClientKind.PERSON in field.kinds), field.name
        assert (block_id in org) is (ClientKind.ORGANIZATION in field.kinds), field.name
    shared = [b for b in person if not b.startswith("profile.")]
    assert shared == [b for b in org if not b.startswith("profile.")]
    assert {"address", "industry", "size"} <= set(shared)


def test_a_person_with_a_profile_is_added_through_the_form(firm: Harness) -> None:
    ok = firm.slack.view_submission(
        "U_PAUL",  # a billing contact is a partner's or an admin's call
        client_modal(ClientKind.PERSON),
        {
            "code": "SMITH",
            "name": "Jordan Smith",
            "kind": "person",
            "industry": "Retail",
            "size": "1",
            "address": "1 Main St\nSpringfield",
            "profile.birth-date": "2 March 1970",
            "profile.income": "$185,000.50",
            "profile.employer": "Globex <!channel>",
            "profile.related-clients": "acme",
            "profile.billing-contact": "U_BILL",
            "profile.referral-source": "Bar association",
        },
    )
    assert ok.status == 200 and not ok.body, ok.body
    smith = _client(firm, "SMITH")
    assert (smith.birth_date, smith.income_cents, smith.employer) == (
        date(1970, 3, 2),
        18_500_050,
        "Globex <!channel>",
    )
    assert (smith.industry, smith.size, smith.address) == ("Retail", "1", "1 Main St\nSpringfield")
    assert smith.billing_contact_id == firm.user("U_BILL").id
    assert smith.referral_source == "Bar association"
    with firm.db.reading() as session:
        links = session.scalars(
            select(ClientRelation.related_id).where(ClientRelation.client_id == smith.id)
        ).all()
    assert links == [_client(firm, "ACME").id]
    card = str(firm.slack.command("U_PAUL", "/client", "SMITH").replies)
    assert "Globex &lt;!channel&gt;" in card and "<!channel>" not in card


BAD_PROFILE = [
    ("profile.birth-date", "2 March 2999", "future"),
    ("profile.birth-date", "03/02/1970", "in full"),
    ("profile.income", "-5", "negative"),
    ("profile.related-clients", "NOPE", "There is no client `NOPE`"),
    ("profile.billing-contact", "U_SAM", "can't be the billing contact"),
    ("industry", "I" * 121, "the most is 120"),
]


@pytest.mark.parametrize(("block_id", "typed", "says"), BAD_PROFILE)
def test_a_bad_profile_field_is_shown_under_it_and_nothing_is_written(
    firm: Harness, block_id: str, typed: str, says: str
) -> None:
    before = audit_rows(firm)
    bad = firm.slack.view_submission(
        "U_PAUL",
        client_modal(ClientKind.PERSON),
        {"code": "SMITH", "name": "Jordan Smith", "kind": "person", block_id: typed},
    )
    errors = _errors(bad)
    assert list(errors) == [block_id]
    assert says in errors[block_id], errors
    assert audit_rows(firm) == before


def test_a_lawyer_may_not_name_a_billing_contact(firm: Harness) -> None:
    before = audit_rows(firm)
    refused = firm.slack.view_submission(
        "U_LENA",
        client_modal(ClientKind.PERSON),
        {
            "code": "SMITH",
            "name": "Jordan Smith",
            "kind": "person",
            "profile.billing-contact": "U_BILL",
        },
    )
    assert "billing-contact" in " ".join(_errors(refused).values())
    assert audit_rows(firm) == before


def test_a_field_of_the_other_kind_in_a_forged_form_is_not_read(firm: Harness) -> None:
    forged = client_modal(ClientKind.ORGANIZATION)  # has legal-rep; says kind person
    ok = firm.slack.view_submission(
        "U_LENA",
        forged,
        {"code": "SMITH", "name": "Jordan Smith", "kind": "person", "profile.legal-rep": "X"},
    )
    assert ok.status == 200 and not ok.body, ok.body
    smith = _client(firm, "SMITH")
    assert (smith.kind, smith.legal_rep) == (ClientKind.PERSON, None)


def _choose_kind(firm: Harness, view: dict[str, Any], kind: str) -> Any:
    opened = dict(view, id="V_FORM", hash="h1")
    return firm.slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": "U_LENA", "username": "u_lena", "team_id": firm.slack.team_id},
            "container": {"type": "view", "view_id": "V_FORM"},
            "trigger_id": "1.trigger",
            "view": opened,
            "actions": [
                {
                    "type": "static_select",
                    "action_id": "value",
                    "block_id": "kind",
                    "selected_option": {
                        "text": {"type": "plain_text", "text": kind},
                        "value": kind,
                    },
                    "action_ts": "1.0",
                }
            ],
        }
    )


def test_choosing_the_kind_redraws_the_form_with_its_profile(firm: Harness) -> None:
    opened = firm.slack.command("U_LENA", "/client")
    (call,) = opened.calls_to("views.open")
    view = call.params["view"]
    assert "profile.legal-rep" in _inputs(view)
    chose = _choose_kind(firm, view, "person")
    (update,) = chose.calls_to("views.update")
    assert update.params["view_id"] == "V_FORM" and update.params["hash"] == "h1"
    redrawn = update.params["view"]
    assert "profile.birth-date" in _inputs(redrawn) and "profile.legal-rep" not in _inputs(redrawn)
    assert _inputs(redrawn)[:3] == _inputs(view)[:3]  # the shared inputs keep their ids


def test_a_forged_kind_or_another_form_redraws_nothing(firm: Harness) -> None:
    view = client_modal()
    assert not _choose_kind(firm, view, "robot").calls_to("views.update")
    other = dict(view, callback_id="contacts_log_modal")
    assert not _choose_kind(firm, other, "person").calls_to("views.update")


def test_the_relationship_partner_is_set_by_a_partner_and_must_be_one(firm: Harness) -> None:
    form = client_modal(ClientKind.ORGANIZATION)
    base = {"code": "NORTH", "name": "Northwind Traders", "kind": "org"}
    before = audit_rows(firm)
    not_a_partner = firm.slack.view_submission(
        "U_PAUL", form, {**base, "relationship_partner": "U_LENA"}
    )
    assert "is not a partner" in _errors(not_a_partner)["relationship_partner"]
    by_a_lawyer = firm.slack.view_submission(
        "U_LENA", form, {**base, "relationship_partner": "U_PAUL"}
    )
    assert "relationship-partner" in " ".join(_errors(by_a_lawyer).values())
    assert audit_rows(firm) == before
    ok = firm.slack.view_submission("U_PAUL", form, {**base, "relationship_partner": "U_PAUL"})
    assert ok.status == 200 and not ok.body, ok.body
    assert _client(firm, "NORTH").partner_id == firm.user("U_PAUL").id
