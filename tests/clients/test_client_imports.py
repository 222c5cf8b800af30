"""``/clerk import KIND`` and the CSV file sent to Clerk by DM, through signed HTTP."""

from __future__ import annotations

import itertools
import time
from typing import Any

from sqlalchemy import select

from handlers.firm.imports import trusted_download_url
from storage.models import Client, Contact, Matter
from tests.clients.conftest import audit_rows, reply_text
from tests.harness import Harness

_ids = itertools.count(1)
CLIENTS = (
    "code,name,kind,status,lawyer,key,email,phone,credit_limit,terms_days\n"
    "GLOBEX,Globex Holdings,organization,active,U_MARK,true,ops@globex.com,,25000.00,30\n"
    "SMITH,Jordan Smith,person,prospect,,false,,+1 555 0100,,15\n"
)


def send_file(
    harness: Harness, user: str, name: str, content: str | bytes, text: str = "", **extra: Any
) -> Any:
    """A DM to Clerk carrying one file, as Slack delivers it (subtype file_share)."""
    file_id = f"F_TEST{next(_ids)}"
    data = content.encode() if isinstance(content, str) else content
    url = harness.standin.add_file(file_id, name, data)
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        "files": [
            {
                "id": file_id,
                "name": name,
                "filetype": name.rsplit(".", 1)[-1],
                "url_private": url,
                **extra,
            }
        ],
    }
    return harness.slack.event(event)


def _dm(exchange: Any) -> str:
    return "\n".join(c.params["text"] for c in exchange.calls_to("chat.postMessage"))


def _codes(harness: Harness) -> list[str]:
    with harness.db.reading() as session:
        return list(session.scalars(select(Client.code).order_by(Client.code)))


def test_import_clients_by_dm_after_asking(firm: Harness) -> None:
    asked = firm.slack.command("U_PAUL", "/clerk", "import clients")
    text = reply_text(asked)
    assert asked.replies[0]["response_type"] == "ephemeral"
    assert "Send me the *clients* CSV file in a direct message" in text
    optional = "kind,status,lawyer,key,email,phone,credit_limit,terms_days"
    assert f"`code,name` and any of `{optional}" in text
    done = send_file(firm, "U_PAUL", "firm-export.csv", CLIENTS)
    assert "Imported 2 clients from firm-export.csv" in _dm(done)
    assert _codes(firm) == ["ACME", "GLOBEX", "SMITH"]
    with firm.db.reading() as session:
        globex = session.scalars(select(Client).where(Client.code == "GLOBEX")).one()
    assert globex.lawyer_id == firm.user("U_MARK").id and globex.credit_limit_cents == 2_500_000
    # the request is used up: another file without a kind is asked about
    again = send_file(firm, "U_PAUL", "more.csv", CLIENTS)
    assert "Which kind of file is this?" in _dm(again)


def test_the_kind_may_be_in_the_message_or_the_file_name(firm: Harness) -> None:
    by_text = send_file(firm, "U_ADMIN", "export.csv", CLIENTS, text="import clients please")
    assert "Imported 2 clients" in _dm(by_text)
    matters = "code,client,title,lawyer,status\nGLOBEX-4,GLOBEX,Harbor lease,,open\n"
    by_name = send_file(firm, "U_ADMIN", "matters.csv", matters)
    assert "Imported 1 matters from matters.csv" in _dm(by_name)
    contacts = (
        "client,matter,kind,summary,occurred_at,follow_up_on,logged_by\n"
        'GLOBEX,GLOBEX-4,call,"Rent review, next steps",2026-11-02T15:00:00+00:00,,U_MARK\n'
    )
    assert "Imported 1 contacts" in _dm(send_file(firm, "U_PAUL", "Contacts 2026.CSV", contacts))
    with firm.db.reading() as session:
        assert session.scalars(select(Matter.code).where(Matter.code == "GLOBEX-4")).one()
        assert session.scalars(select(Contact.summary)).one() == "Rent review, next steps"


def test_a_bad_file_lists_every_bad_line_and_imports_nothing(firm: Harness) -> None:
    firm.slack.command("U_PAUL", "/clerk", "import clients")
    before = audit_rows(firm)
    rows = CLIENTS + (
        "ACME,Duplicate,organization,active,,false,,,,30\n"
        "BAD,Bad Co,planet,active,,false,,,,30\n"
        "WORSE,Worse Co,person,active,,false,not-mail,,,30\n"
    )
    refused = send_file(firm, "U_PAUL", "clients.csv", rows)
    text = _dm(refused)
    assert "Nothing was imported from clients.csv: 3 row(s) need fixing" in text
    blocks = str([c.params["blocks"] for c in refused.calls_to("chat.postMessage")])
    assert "line 4: client ACME already exists" in blocks
    assert "line 5: kind must be person or organization" in blocks and "line 6: email" in blocks
    assert _codes(firm) == ["ACME"] and audit_rows(firm) == before
    # the request stays open: the corrected file needs no second /clerk import
    fixed = send_file(firm, "U_PAUL", "clients-fixed.csv", CLIENTS)
    assert "Imported 2 clients" in _dm(fixed)


def test_who_may_import_what(firm: Harness) -> None:
    for who in ("U_LENA", "U_SAM", "U_BILL"):
        refused = firm.slack.command(who, "/clerk", "import clients")
        assert "may import clients" in reply_text(refused) or "does not allow" in reply_text(
            refused
        )
    billing = firm.slack.command("U_BILL", "/clerk", "import invoices")
    assert "Send me the *invoices* CSV file" in reply_text(billing)
    for who in ("U_LENA", "U_SAM"):
        assert "does not allow" in reply_text(firm.slack.command(who, "/clerk", "import payments"))
    # the file itself is checked too, whatever was asked before
    sneaky = send_file(firm, "U_SAM", "clients.csv", CLIENTS)
    assert "Only an admin or a partner may import clients" in _dm(sneaky)
    assert _codes(firm) == ["ACME"]


def test_files_it_will_not_take(firm: Harness) -> None:
    before = audit_rows(firm)
    cases = [
        ("notes.pdf", b"%PDF-1.4", "", "I can only import CSV files"),
        ("clients.csv", b"", "", "is empty"),
        ("clients.csv", "code,name\n\xe9\n".encode("latin-1"), "", "not UTF-8"),
        ("report.csv", CLIENTS, "", "Which kind of file is this?"),
        ("clients.csv", "code,nmae\nX,Y\n", "", "the header row needs fixing"),
    ]
    for name, content, text, expected in cases:
        assert expected in _dm(send_file(firm, "U_ADMIN", name, content, text=text)), name
    firm.slack.command("U_ADMIN", "/clerk", "import clients")
    mismatch = send_file(firm, "U_ADMIN", "matters.csv", CLIENTS)
    assert "You asked to import clients, but the file is named matters.csv" in _dm(mismatch)
    assert audit_rows(firm) == before
    usage = firm.slack.command("U_ADMIN", "/clerk", "import spaceships")
    assert "not something Clerk imports" in reply_text(usage)
    assert "e.g. `/clerk import clients`" in reply_text(
        firm.slack.command("U_ADMIN", "/clerk", "import")
    )


def test_a_file_in_a_channel_is_not_imported(firm: Harness) -> None:
    url = firm.standin.add_file("F_CHAN", "clients.csv", CLIENTS.encode())
    event = {
        "type": "app_mention",
        "user": "U_ADMIN",
        "text": "<@U_CLERK> import clients",
        "channel": "C_DEADLINES",
        "ts": "1700000002.000100",
        "files": [{"id": "F_CHAN", "name": "clients.csv", "url_private": url}],
    }
    exchange = firm.slack.event(event)
    (answer,) = exchange.calls_to("chat.postEphemeral")
    assert "direct message" in answer.params["text"] and _codes(firm) == ["ACME"]


def test_the_bot_token_only_goes_to_slack() -> None:
    stand_in = "http://127.0.0.1:5555/api/"
    assert trusted_download_url("http://127.0.0.1:5555/files/F1/a.csv", stand_in)
    assert not trusted_download_url("http://127.0.0.1:6666/files/F1/a.csv", stand_in)
    assert not trusted_download_url("http://evil.example/files/F1/a.csv", stand_in)
    slack = "https://slack.com/api/"
    assert trusted_download_url("https://files.slack.com/files-pri/T1-F1/a.csv", slack)
    assert not trusted_download_url("http://files.slack.com/files-pri/T1-F1/a.csv", slack)
    assert not trusted_download_url("https://files.slack.com.evil.example/a.csv", slack)
    assert not trusted_download_url("https://evilslack.com/a.csv", slack)
    assert not trusted_download_url("", slack)
