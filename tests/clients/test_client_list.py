"""``/client list (key|former|prospect|industry TEXT|size TEXT) [page N]``: the firm's clients
by one filter, sorted by name, a page at a time, through the real command path.

The firm (``tests.clients.conftest``): ACME, Lena's key client with a 21-day cadence, on Wed
18 Nov 2026. Refusal tables run the command's own runner (``tests.deadlines.helpers.refusal``).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from storage.models import Client, ClientStatus, Contact, User
from tests.clients.conftest import NY, audit_rows
from tests.deadlines.helpers import last, refusal, shown
from tests.harness import Harness


def _said(h: Harness, user: str, text: str) -> str:
    reply = last(h.slack.command(user, "/client", text))
    assert reply.get("response_type") == "ephemeral", reply
    return shown(reply)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("• ")]


def _add(h: Harness, *clients: Client) -> None:
    with h.db.unit_of_work("test-setup") as s:
        s.add_all(clients)


def _user(h: Harness, slack_id: str) -> int:
    with h.db.reading() as s:
        return s.scalars(select(User.id).where(User.slack_id == slack_id)).one()


def _contact(h: Harness, code: str, at: datetime) -> None:
    with h.db.unit_of_work("test-setup") as s:
        client_id = s.scalars(select(Client.id).where(Client.code == code)).one()
        s.add(
            Contact(
                client_id=client_id,
                summary="catch-up",
                occurred_at=at,
                logged_by_id=_user(h, "U_LENA"),
            )
        )


def test_key_clients_show_their_last_contact_and_cadence(firm: Harness) -> None:
    mark = _user(firm, "U_MARK")
    _add(
        firm,
        Client(code="BETA", name="beta Bakery", lawyer_id=mark, is_key=True, cadence_days=30),
        Client(code="ZED", name="Zed & <Sons>", is_key=True),  # no lawyer, the firm's cadence
        Client(code="OLDKEY", name="Old Key", is_key=True, status=ClientStatus.FORMER),
        Client(code="PLAIN", name="Plain Co"),
    )
    _contact(firm, "ACME", datetime(2026, 10, 20, 15, 0, tzinfo=NY))  # 29 days: past 21
    _contact(firm, "BETA", datetime(2026, 11, 16, 9, 0, tzinfo=NY))  # 2 days: within 30
    text = _said(firm, "U_SAM", "list key")  # staff may list clients
    assert "*Key clients*" in text
    assert _lines(text) == [
        "• *ACME* Acme Corporation · <@U_LENA> · :warning: last contact Tue 20 Oct 2026 "
        "(29 days ago), 8 days past its 21-day cadence",
        "• *BETA* beta Bakery · <@U_MARK> · last contact Mon 16 Nov 2026 (2 days ago), "
        "within its 30-day cadence",
        "• *ZED* Zed &amp; &lt;Sons&gt; · no lawyer · :warning: never contacted (cadence 30 days)",
    ]  # by name, whatever its case; a former key client is not watched
    assert "3 clients, by name · `/client CODE` shows a client's card." in text


def test_status_industry_and_size_filters(firm: Harness) -> None:
    lena = _user(firm, "U_LENA")
    _add(
        firm,
        Client(code="GONE", name="Gone Ltd", status=ClientStatus.FORMER, industry="Retail"),
        Client(code="MAYBE", name="Maybe Inc", status=ClientStatus.PROSPECT, size="Large"),
        Client(code="TECHA", name="Alpha Tech", lawyer_id=lena, industry="Technology"),
        Client(code="FIN", name="Fin_Tech 100%", industry="fintech", size="large"),
        Client(code="RE", name="Real Estates", industry="Real estate", size="10-50"),
    )
    assert _lines(_said(firm, "U_BILL", "list former")) == [
        "• *GONE* Gone Ltd · no lawyer · former"
    ]
    assert _lines(_said(firm, "U_LENA", "list prospect")) == [
        "• *MAYBE* Maybe Inc · no lawyer · prospect"
    ]
    tech = _said(firm, "U_LENA", "list industry TECH")
    assert "*Clients with industry “TECH”*" in tech
    assert [line.split(" · ")[0] for line in _lines(tech)] == [
        "• *TECHA* Alpha Tech",
        "• *FIN* Fin_Tech 100%",
    ]
    estate = _lines(_said(firm, "U_LENA", 'list industry "real estate"'))
    assert estate == ["• *RE* Real Estates · no lawyer"]
    assert _lines(_said(firm, "U_LENA", "list industry real estate")) == estate
    large = _lines(_said(firm, "U_LENA", "list size large"))
    assert [line.split(" · ")[0] for line in large] == [
        "• *FIN* Fin_Tech 100%",
        "• *MAYBE* Maybe Inc",
    ]
    assert "prospect" in large[1]
    assert _lines(_said(firm, "U_LENA", "list size 10")) == []  # sizes match whole
    # LIKE's own characters are the user's text, not wildcards
    assert _lines(_said(firm, "U_LENA", "list industry %")) == []
    assert _lines(_said(firm, "U_LENA", "list industry _")) == []


def test_pages_by_name_and_past_the_end(firm: Harness) -> None:
    _add(
        firm,
        *(
            Client(code=f"P{n:02d}", name=f"Prospect {n:02d}", status=ClientStatus.PROSPECT)
            for n in range(25)
        ),
    )
    first = _said(firm, "U_PAUL", "list prospect")
    assert "*Prospect clients* (page 1 of 2)" in first
    assert len(_lines(first)) == 20 and _lines(first)[0].startswith("• *P00* Prospect 00")
    assert "25 clients, by name · next: `/client list prospect page 2`" in first
    second = _said(firm, "U_PAUL", "list prospect page 2")
    assert "(page 2 of 2)" in second
    assert [line[:7] for line in _lines(second)] == [f"• *P{n}*" for n in range(20, 25)]
    assert "next:" not in second
    said = refusal(firm, "U_PAUL", "list prospect page 3", "/client")
    assert "There are only 2 pages of these clients (25); page 2 is the last." in said


def test_nothing_found_is_a_friendly_reply(firm: Harness) -> None:
    text = _said(firm, "U_LENA", "list former")
    assert ":information_source: No former clients yet." in text
    text = _said(firm, "U_LENA", "list industry <!channel> & co")
    assert "No clients with industry “&lt;!channel&gt; &amp; co” yet." in text
    assert "<!channel>" not in text
    assert "No clients with industry" in _said(firm, "U_LENA", "list industry shipping page 4")


def test_slack_markup_in_names_is_shown_escaped(firm: Harness) -> None:
    _add(firm, Client(code="EVIL", name="<!here> <@U_ADMIN> *bold*", status=ClientStatus.FORMER))
    reply = last(firm.slack.command("U_LENA", "/client", "list former"))
    text = shown(reply)
    assert "• *EVIL* &lt;!here&gt; &lt;@U_ADMIN&gt; *bold* · no lawyer · former" in text
    assert "<!here>" not in str(reply) and "<@U_ADMIN>" not in str(reply)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", "Which clients?"),
        ("list page 2", "Which clients?"),
        ("list everyone", "lists clients by one of: `key`, `former`, `prospect`"),
        ("list <!channel>", "lists clients by one of"),
        ("list industry", "`industry` needs the industry to look for"),
        ("list size page 2", "`size` needs the size to look for"),
        ("list key extra", "`/client list key` takes nothing more than `page N`."),
        ("list key page", "takes nothing more than `page N`"),
        ("list key page two", "`page` takes a page number"),
        ("list key page 0", "`page` takes a page number"),
        ("list key page -1", "`page` takes a page number"),
        ("list industry " + "x" * 121, "longer than any client's (120 characters)"),
        ('list industry "unclosed', "A quote is not closed"),
    ],
)
def test_bad_input_gets_a_clear_usage_reply(firm: Harness, text: str, expected: str) -> None:
    before = audit_rows(firm)
    said = refusal(firm, "U_LENA", text, "/client")
    assert expected in said, said
    assert "/client list (key|former|prospect|industry TEXT|size TEXT) [page N]" in said
    assert "<!channel>" not in said
    assert audit_rows(firm) == before
