"""The add-client and open-matter forms ask *Proceed* on a possible conflict before saving:
nothing is stored until then, *Proceed* stores the form once, and a forged, replayed or
borrowed *Proceed* stores nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from handlers.clients.client_form import client_modal
from handlers.clients.form_conflicts import PROCEED_VIEW
from handlers.clients.views import matter_modal
from storage.models import Client, ConflictSearch, Matter
from tests.clients.conftest import audit_rows
from tests.harness import Harness


def _pushed(exchange: Any) -> dict[str, Any]:
    answer = exchange.json()
    assert answer["response_action"] == "push", answer
    view: dict[str, Any] = answer["view"]
    assert view["callback_id"] == PROCEED_VIEW
    return view


def _codes(firm: Harness) -> list[str]:
    with firm.db.reading() as session:
        return list(session.scalars(select(Client.code).order_by(Client.code)))


def test_a_client_form_that_hits_asks_then_proceed_saves_it_once(firm: Harness) -> None:
    before = audit_rows(firm)
    searches = firm.count(ConflictSearch)
    asked = firm.slack.view_submission(
        "U_LENA", client_modal(), {"code": "ACMEH", "name": "Acme Corp Holdings", "kind": "org"}
    )
    view = _pushed(asked)
    assert "Acme Corporation" in str(view["blocks"]) and view["submit"]["text"] == "Proceed"
    assert _codes(firm) == ["ACME"] and audit_rows(firm) == before  # nothing saved yet
    done = firm.slack.view_submission("U_LENA", view, {})
    assert done.json() == {"response_action": "clear"}
    assert _codes(firm) == ["ACME", "ACMEH"]
    (dm,) = done.calls_to("chat.postMessage")
    assert "ACMEH" in dm.params["text"]
    assert firm.count(ConflictSearch) == searches + 1  # the search that guarded it, recorded
    again = firm.slack.view_submission("U_LENA", view, {})  # a second press
    assert "already saved" in str(again.json()) and _codes(firm) == ["ACME", "ACMEH"]


def test_a_form_without_a_hit_saves_at_once(firm: Harness) -> None:
    saved = firm.slack.view_submission(
        "U_LENA", client_modal(), {"code": "ZED", "name": "Zyxwvut Plumbing", "kind": "org"}
    )
    answer = saved.json()
    assert not answer or "response_action" not in answer
    assert _codes(firm) == ["ACME", "ZED"]


def test_forged_or_borrowed_proceed_stores_nothing(firm: Harness) -> None:
    view = _pushed(
        firm.slack.view_submission(
            "U_LENA", client_modal(), {"code": "ACMEH", "name": "Acme Corp Holdings"}
        )
    )
    before = audit_rows(firm)
    kind, _, token = view["private_metadata"].partition(":")
    for metadata in (f"{kind}:forged-token", f"rocket:{token}", "", f"matter-form:{token}"):
        forged = firm.slack.view_submission("U_LENA", {**view, "private_metadata": metadata}, {})
        assert forged.json()["response_action"] == "update"
    borrowed = firm.slack.view_submission("U_MARK", view, {})  # someone else's form
    assert "Only <@U_LENA>" in str(borrowed.json())
    assert _codes(firm) == ["ACME"] and audit_rows(firm) == before


def test_the_matter_form_asks_when_the_clients_name_hits_elsewhere(firm: Harness) -> None:
    firm.slack.command("U_LENA", "/client", 'add GLOBEX "Globex Inc" org')
    firm.slack.command("U_LENA", "/matter", 'add GLOBEX "Supply"')
    firm.slack.command("U_LENA", "/matter", 'party add GLOBEX-1 "Acme Corp" as adverse')
    with firm.db.reading() as session:
        matters = session.scalars(select(Matter.code)).all()
    asked = firm.slack.view_submission(
        "U_SAM", matter_modal(), {"client": "acme", "title": "Audit"}
    )
    view = _pushed(asked)
    assert "adverse" in str(view["blocks"])
    with firm.db.reading() as session:
        assert session.scalars(select(Matter.code)).all() == matters
    done = firm.slack.view_submission("U_SAM", view, {})
    assert done.json() == {"response_action": "clear"}
    assert "Opened matter *ACME-3* Audit" in done.calls_to("chat.postMessage")[0].params["text"]
