"""Parties on matters and the conflict check, through signed HTTP: /matter party, /conflict,
the check /client add and /matter add run (Proceed / Cancel), and every bad input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from storage.models import AuditLog, Client, ConflictSearch, Matter, Party, PartyRole
from tests.clients.conftest import assert_refused, reply_text
from tests.harness import Harness

WRITES = (Party, ConflictSearch, AuditLog, Client, Matter)


def _counts(firm: Harness) -> tuple[int, ...]:
    return tuple(firm.count(model) for model in WRITES)


def _party(firm: Harness, text: str, user: str = "U_LENA") -> str:
    return reply_text(firm.slack.command(user, "/matter", f"party add {text}"))


def test_add_and_list_parties_with_roles(firm: Harness) -> None:
    shown = _party(firm, 'ACME-1 "Globex Holdings, Inc." as adverse')
    assert "Added *Globex Holdings, Inc.* to *ACME-1* as adverse." in shown
    assert "the default role" in _party(firm, "ACME-1 Jane Q. Witness")
    assert "as witness" in _party(firm, "ACME-1 Dr. Ohm as witness")
    listed = reply_text(firm.slack.command("U_BILL", "/matter", "party list acme-1"))
    assert "Globex Holdings, Inc.* · adverse" in listed and "Dr. Ohm* · witness" in listed
    with firm.db.reading() as session:
        party = session.scalars(select(Party).where(Party.role == PartyRole.WITNESS)).first()
        assert party is not None and (party.name, party.normalised) == ("Dr. Ohm", "dr ohm")
    audit = firm.count(AuditLog)
    again = _party(firm, "ACME-1 globex holdings llc")  # the same party, spelled otherwise
    assert "already a party to ACME-1" in again and firm.count(AuditLog) == audit


BAD_PARTIES = [
    ("U_LENA", "ACME-9 Globex", "There is no matter `ACME-9`"),
    ("U_LENA", "ACME-1 G", "at least two letters"),
    ("U_LENA", "ACME-1", "Say which matter and who"),
    ("U_LENA", "ACME-1 Globex as judge", "`judge` is not a party role"),
    ("U_BILL", "ACME-1 Globex", "does not allow"),
    ("U_LENA", 'ACME-1 "Globex', "quote is not closed"),
]


@pytest.mark.parametrize(("user", "text", "expected"), BAD_PARTIES)
def test_bad_party_input_is_refused_and_writes_nothing(
    firm: Harness, user: str, text: str, expected: str
) -> None:
    assert_refused(firm, user, "/matter", f"party add {text}", expected, written=_counts)


def test_no_party_on_a_closed_matter(firm: Harness) -> None:
    firm.slack.command("U_LENA", "/matter", "close ACME-2 done")
    before = _counts(firm)
    assert "ACME-2 is closed" in _party(firm, "ACME-2 Globex")
    assert _counts(firm) == before


def test_slack_markup_in_a_party_name_is_shown_escaped(firm: Harness) -> None:
    _party(firm, "ACME-1 <!channel> <http://evil.example|Click> Corp")
    for shown in (
        reply_text(firm.slack.command("U_SAM", "/matter", "party list ACME-1")),
        reply_text(firm.slack.command("U_SAM", "/conflict", "channel click")),
    ):
        assert "<!channel>" not in shown and "<http://evil" not in shown
        assert "&lt;!channel&gt;" in shown


def test_conflict_finds_clients_former_clients_parties_and_contacts(firm: Harness) -> None:
    s = firm.slack
    s.command("U_PAUL", "/client", 'add INITECH "Initech Ltd"')
    s.command("U_PAUL", "/client", "edit INITECH status former engagement ended")
    s.command("U_PAUL", "/client", "edit INITECH details.contact-person Bill Lumbergh")
    _party(firm, 'ACME-1 "Initech, LLC" as adverse')
    before = firm.count(ConflictSearch)
    shown = reply_text(s.command("U_SAM", "/conflict", "initech inc."))
    assert "former client *INITECH*" in shown and "client former" in shown
    assert "adverse on *ACME-1* (ACME)" in shown and "matter open" in shown
    assert "<@U_LENA>" in shown  # ACME-1's lawyer
    contact = reply_text(s.command("U_LENA", "/conflict", "Lumbergh, Bill"))
    assert "contact-person at *INITECH*" in contact
    with firm.db.reading() as session:
        rows = session.scalars(select(ConflictSearch).order_by(ConflictSearch.id)).all()
    assert len(rows) == before + 2
    first = rows[before]
    assert (first.searched_by, first.query, first.reason) == ("U_SAM", "initech inc.", "search")
    assert first.hit_count == 2 and {h["kind"] for h in first.hits} == {"client", "party"}
    nothing = s.command("U_LENA", "/conflict", "Zyxwvut Plumbing")
    assert "No client, former client, party or contact matches" in reply_text(nothing)
    assert firm.count(ConflictSearch) == before + 3  # a search without hits is recorded too


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        ("U_LENA", "", "at least two letters"),
        ("U_LENA", "a", "at least two letters"),
        ("U_LENA", '" . "', "at least two letters"),
        ("U_LENA", "x" * 301, "the most is 300"),
        ("U_BILL", "Acme", "does not allow you to search for conflicts"),
    ],
)
def test_bad_searches_are_refused_and_not_recorded(
    firm: Harness, user: str, text: str, expected: str
) -> None:
    before = _counts(firm)
    exchange = firm.slack.command(user, "/conflict", text)
    assert expected in reply_text(exchange)
    assert exchange.replies[0]["response_type"] == "ephemeral"
    assert _counts(firm) == before


def _proceed(exchange: object) -> dict[str, str]:
    return exchange.replies[0]["blocks"][1]["elements"][0]  # type: ignore[attr-defined,no-any-return]


def test_client_add_asks_proceed_on_a_hit_and_writes_nothing_before(firm: Harness) -> None:
    _party(firm, 'ACME-1 "Globex Holdings" as adverse')
    before = _counts(firm)
    asked = firm.slack.command("U_LENA", "/client", 'add GLOBEX "Globex Holdings Inc."')
    text = reply_text(asked)
    assert "Conflict check on “Globex Holdings Inc.”: 1 possible match(es)" in text
    assert "adverse on *ACME-1* (ACME)" in text and "Proceed" in text and "Cancel" in text
    assert _counts(firm) == before
    cancel = asked.replies[0]["blocks"][1]["elements"][1]
    firm.slack.action("U_LENA", cancel["action_id"], cancel["value"])
    assert _counts(firm) == before
    button = _proceed(asked)
    done = reply_text(firm.slack.action("U_LENA", button["action_id"], button["value"]))
    assert "Added client *GLOBEX*" in done and "confirmed with Proceed" in done
    with firm.db.reading() as session:
        record = session.scalars(
            select(ConflictSearch).where(ConflictSearch.reason == "client add")
        ).all()[-1]
    assert (record.reason, record.hit_count, record.searched_by) == ("client add", 1, "U_LENA")


def test_a_forged_proceed_is_refused(firm: Harness) -> None:
    _party(firm, 'ACME-1 "Globex Holdings" as adverse')
    asked = firm.slack.command("U_LENA", "/client", 'add GLOBEX "Globex Holdings"')
    button = _proceed(asked)
    data = json.loads(button["value"])
    before = _counts(firm)
    for keys in (["similar-name", "conflicts-0123456789abcdef0123"], ["similar-name"], []):
        forged = json.dumps({**data, "k": keys})
        answer = reply_text(firm.slack.action("U_LENA", button["action_id"], forged))
        assert "Added client" not in answer
        assert "does not match" in answer or "Proceed anyway?" in answer
    # a real Proceed for another text does not carry over to this one
    other = json.dumps({**data, "t": 'add GLOBEX2 "Globex Holdings"'})
    answer = reply_text(firm.slack.action("U_LENA", button["action_id"], other))
    assert "does not match" in answer
    assert _counts(firm) == before


def test_matter_add_checks_the_clients_name_against_other_matters(firm: Harness) -> None:
    s = firm.slack
    s.command("U_LENA", "/client", 'add GLOBEX "Globex Holdings"')
    _party(firm, "GLOBEX-1 x", user="U_LENA")  # no such matter yet: refused
    s.command("U_LENA", "/matter", 'add GLOBEX "Harbor lease"')
    _party(firm, "GLOBEX-1 Acme Corp as adverse")  # ACME is adverse on Globex's matter
    _party(firm, "ACME-1 Acme Corporation as client")  # ACME's own: never a hit for ACME
    before = _counts(firm)
    asked = s.command("U_LENA", "/matter", 'add ACME "New lease"')
    text = reply_text(asked)
    assert "adverse on *GLOBEX-1* (GLOBEX)" in text and "ACME-1" not in text
    assert _counts(firm) == before
    button = _proceed(asked)
    done = reply_text(s.action("U_LENA", button["action_id"], button["value"]))
    assert "Opened matter *ACME-3*" in done
    plain = reply_text(s.command("U_LENA", "/matter", 'add GLOBEX "Second"'))
    assert "Opened matter *GLOBEX-2*" in plain and "Conflict check: no matches" in plain


def test_refusals_come_before_the_question(firm: Harness) -> None:
    _party(firm, "ACME-1 Acme Widgets as adverse")
    before = _counts(firm)
    assert "Give the matter a title" in reply_text(
        firm.slack.command("U_LENA", "/matter", 'add ACME ""')
    )
    assert "does not allow" in reply_text(firm.slack.command("U_BILL", "/matter", 'add ACME "X"'))
    assert _counts(firm) == before


def test_parties_export_and_import(firm: Harness, tmp_path: object) -> None:
    import io

    from bot.transfer import ImportFailed, export_csv, import_csv

    _party(firm, "ACME-1 =1+2 Corp as related")
    _party(firm, "ACME-1 Globex as adverse")
    out = io.StringIO()
    export_csv(firm.db, "parties", out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "matter,name,role"
    assert "ACME-1,'=1+2 Corp,related" in lines  # neutralised for spreadsheets
    good = "matter,name,role\nACME-2,Initech,witness\nACME-2,Umbrella Corp,\n"
    assert import_csv(firm.db, "parties", io.StringIO(good), actor="U_PAUL") == 2
    before = _counts(firm)
    bad = "matter,name,role\nACME-9,X Corp,adverse\nACME-2,Q,adverse\nACME-2,Initech Inc,witness\n"
    with pytest.raises(ImportFailed) as failed:
        import_csv(firm.db, "parties", io.StringIO(bad + "ACME-2,Ok Co,judge\n"), actor="U_PAUL")
    problems = failed.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4", "line 5"]
    assert _counts(firm) == before
