"""*File to matter* and ``/matter docs``, through signed HTTP, and what a bad filing gets."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from handlers.kernel import sealed
from storage.models import AuditLog, MatterDocument
from tests.clients.conftest import reply_text
from tests.harness import Harness

MESSAGE = {
    "type": "message",
    "user": "U_MARK",
    "text": "Signed lease for ACME-1 attached",
    "ts": "1700000000.000300",
    "files": [
        {"id": "F0001", "name": "lease <signed>.pdf"},
        {"id": "F0002", "name": "=cmd|' /C calc'!A0.xlsx"},
    ],
}


def _opened(exchange: Any) -> dict[str, Any]:
    (call,) = exchange.calls_to("views.open")
    return dict(call.params["view"])


def _writes(firm: Harness) -> tuple[int, int]:
    return firm.count(MatterDocument), firm.count(AuditLog)


def _errors(exchange: Any) -> dict[str, str]:
    body = json.loads(exchange.body)
    assert body["response_action"] == "errors"
    return dict(body["errors"])


def test_file_a_message_and_list_the_matters_documents(firm: Harness) -> None:
    view = _opened(firm.slack.shortcut("U_LENA", "file_to_matter", MESSAGE, "C_DEADLINES"))
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["matter"]["element"]["initial_value"] == "ACME-1"  # guessed from the text
    assert "lease &lt;signed&gt;.pdf" in str(view["blocks"])
    done = firm.slack.view_submission(
        "U_LENA", view, {"matter": "acme-1", "label": "Signed lease <!here>"}
    )
    assert done.status == 200 and not done.body
    assert "Filed to *ACME-1*" in reply_text(done) and "&lt;!here&gt;" in reply_text(done)
    with firm.db.reading() as session:
        stored = session.scalars(select(MatterDocument)).one()
    assert stored.permalink.startswith("https://") and "C_DEADLINES" in stored.permalink
    assert stored.files == [
        {"id": "F0001", "name": "lease <signed>.pdf"},
        {"id": "F0002", "name": "=cmd|' /C calc'!A0.xlsx"},
    ]
    assert (stored.channel_id, stored.message_ts) == ("C_DEADLINES", "1700000000.000300")
    assert stored.filed_by_id == firm.user("U_LENA").id
    assert not [c for c in firm.standin.calls() if c.method.startswith("files.")]  # no download
    # a message without files, filed later: newest first, and on the card (latest three)
    plain = {"type": "message", "user": "U_SAM", "text": "Call notes", "ts": "1700000001.000100"}
    second = _opened(firm.slack.shortcut("U_SAM", "file_to_matter", plain, "C_DEADLINES"))
    firm.slack.view_submission("U_SAM", second, {"matter": "ACME-1", "label": "Call notes"})
    listed = reply_text(firm.slack.command("U_BILL", "/matter", "docs ACME-1"))
    assert listed.index("Call notes") < listed.index("Signed lease")
    assert "Signed lease &lt;!here&gt;" in listed and "<!here>" not in listed
    card = reply_text(firm.slack.command("U_SAM", "/matter", "ACME-1"))
    assert "*Documents*" in card and "Call notes" in card
    # the same message to the same matter again: refused in the form, nothing stored
    before = _writes(firm)
    twice = firm.slack.view_submission("U_LENA", view, {"matter": "ACME-1", "label": "again"})
    assert "already filed to ACME-1" in next(iter(_errors(twice).values()))
    assert _writes(firm) == before


def test_docs_are_paged(firm: Harness) -> None:
    for i in range(23):
        message = {"type": "message", "text": f"note {i}", "ts": f"17000000{i:02d}.000100"}
        view = _opened(firm.slack.shortcut("U_LENA", "file_to_matter", message, "C_DEADLINES"))
        firm.slack.view_submission("U_LENA", view, {"matter": "ACME-2", "label": f"Doc {i:02d}"})
    first = reply_text(firm.slack.command("U_LENA", "/matter", "docs ACME-2"))
    assert "Page 1 of 2" in first and "Doc 22" in first and "Doc 02" not in first
    second = reply_text(firm.slack.command("U_LENA", "/matter", "docs ACME-2 page 2"))
    assert "Doc 02" in second and "Doc 22" not in second
    assert "no page 3" in reply_text(firm.slack.command("U_LENA", "/matter", "docs ACME-2 page 3"))


def test_a_message_clerk_cannot_read_gets_a_clear_reply_and_no_form(firm: Harness) -> None:
    firm.standin.fail_next("chat.getPermalink", error="not_in_channel")
    before = _writes(firm)
    answer = firm.slack.shortcut("U_LENA", "file_to_matter", MESSAGE, "C_SECRET")
    assert not answer.calls_to("views.open")
    assert "can't read that message (not_in_channel)" in reply_text(answer)
    assert _writes(firm) == before


def test_bad_filings_write_nothing(firm: Harness) -> None:
    view = _opened(firm.slack.shortcut("U_LENA", "file_to_matter", MESSAGE, "C_DEADLINES"))
    before = _writes(firm)
    unknown = firm.slack.view_submission("U_LENA", view, {"matter": "ACME-9", "label": "x"})
    assert "There is no matter `ACME-9`" in next(iter(_errors(unknown).values()))
    empty = firm.slack.view_submission("U_LENA", view, {"matter": "ACME-1", "label": " "})
    assert "label" in _errors(empty)
    # a form whose metadata Clerk did not seal: a link typed into the payload is refused
    forged = dict(view)
    forged["private_metadata"] = sealed.seal(firm.clerk, {"x": 1}).replace("{", "{ ", 1)
    refused = firm.slack.view_submission("U_LENA", forged, {"matter": "ACME-1", "label": "x"})
    assert "not as Clerk opened it" in next(iter(_errors(refused).values()))
    billing = firm.slack.view_submission("U_BILL", view, {"matter": "ACME-1", "label": "x"})
    assert "does not allow" in next(iter(_errors(billing).values()))
    assert _writes(firm) == before
    refused_shortcut = firm.slack.shortcut("U_BILL", "file_to_matter", MESSAGE, "C_DEADLINES")
    assert not refused_shortcut.calls_to("views.open")
    assert "does not allow" in reply_text(refused_shortcut)
    assert "There is no matter" in reply_text(firm.slack.command("U_LENA", "/matter", "docs X-9"))
    assert _writes(firm) == before
