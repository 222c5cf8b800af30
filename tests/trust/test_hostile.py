"""A hostile insider, round two: forged buttons and forms, replays, and text built to break
out of Clerk's own messages.

Every probe goes to Clerk as Slack would send it (signed HTTP, real buttons on messages
Clerk really delivered, real forms with forged values), then the store is read back and
what Slack was asked to show is searched. Each test names the hole it closes; each failed
before its fix.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.tools.standin.driver import APP_ID, TEAM_ID, Exchange, sign
from bot.transfer import export_csv, import_csv, neutralise, restore
from handlers import scheduled
from handlers.billing.forms import MoneyField
from handlers.billing.overdue_views import MoneyAction
from handlers.clients.client_form import client_modal
from handlers.clients.contact_views import contact_modal
from handlers.kernel import sealed
from schedules import jobs
from schedules.delivery import deliver_due
from storage.db import Database
from storage.migrate import upgrade
from storage.models import (
    Client,
    Contact,
    ContactKind,
    Deadline,
    DeadlineStatus,
    EscalationEvent,
    Matter,
    OutboxMessage,
    Payment,
    Role,
    User,
)
from tests.billing.conftest import NOW, TODAY, seed_firm
from tests.harness import SIGNING_SECRET, Harness, running_clerk

EVIL = "<!channel> pay at <http://evil.example|Acme portal>"


@pytest.fixture
def firm(database_url: str) -> Iterator[Harness]:
    """The billing firm (Wed 18 Nov 2026): ACME is Lena's client (credit limit $20,000,
    retainer $5,000), its matter ACME-2 is Mark's; GLOBEX is Mark's client."""
    with running_clerk(database_url, at=NOW) as running:
        running.add_people()
        seed_firm(running.db, with_people=False)
        yield running


# --- helpers -------------------------------------------------------------------------------


def _id(h: Harness, model: type, **where: Any) -> int:
    with h.db.reading() as s:
        return int(s.scalars(select(model.id).filter_by(**where)).one())


def _count(h: Harness, model: type, **where: Any) -> int:
    with h.db.reading() as s:
        return len(s.scalars(select(model.id).filter_by(**where)).all())


def _outbox(h: Harness) -> list[OutboxMessage]:
    with h.db.reading() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _view(exchange: Exchange) -> dict[str, Any]:
    (call,) = exchange.calls_to("views.open")
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def _form_errors(exchange: Exchange) -> str:
    answer = exchange.json() or {}
    assert answer.get("response_action") == "errors", exchange.body
    return " ".join(answer["errors"].values())


def _texts(node: Any) -> list[str]:
    """Every mrkdwn text and every message's fallback ``text`` in ``node``: what Slack reads
    for mentions and links (plain_text shows ``<`` as it is)."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            found.append(node["text"])
        elif "type" not in node and isinstance(node.get("text"), str):
            found.append(node["text"])  # a message's (or a reply's) fallback
        for value in node.values():
            found += _texts(value)
    elif isinstance(node, list):
        for item in node:
            found += _texts(item)
    return found


def _live(exchange: Exchange) -> list[str]:
    """Texts Clerk sent that would notify the channel or hide a link to evil.example."""
    shown = [c.params for c in exchange.calls if c.method.startswith("chat.")]
    shown += exchange.replies
    return [t for t in _texts(shown) if "<!channel" in t or "<http://evil" in t]


def _overdue_post(h: Harness) -> dict[str, Any]:
    """The 08:30 overdue post, built by its job and delivered to #billing: as Slack shows it."""
    h.slack.command("U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1")
    jobs.run_job(h.clerk, scheduled.job_named("overdue_accounts"), TODAY)
    deliver_due(h.clerk, owner="test")
    (post,) = h.standin.messages_in("C_BILLING")
    return post


def _button(message: dict[str, Any], action_id: str) -> str:
    return next(
        str(e["value"])
        for b in message.get("blocks") or []
        if b.get("type") == "actions"
        for e in b["elements"]
        if e.get("action_id") == action_id
    )


def _press(
    h: Harness, user: str, action_id: str, value: str, message: dict[str, Any], channel: str
) -> Exchange:
    return h.slack.action(
        user, action_id, value, channel_id=channel, message=message, ephemeral=False
    )


def _briefing_dm(h: Harness, *titles: str) -> tuple[list[int], dict[str, Any], str]:
    """Deadlines on ACME-1 due in three days, in Lena's briefing really delivered to her:
    (their ids, the DM, its channel)."""
    ids = []
    with h.db.unit_of_work("test-setup") as s:
        matter = s.scalars(select(Matter.id).where(Matter.code == "ACME-1")).one()
        lena = s.scalars(select(User.id).where(User.slack_id == "U_LENA")).one()
        for title in titles:
            deadline = Deadline(
                matter_id=matter, title=title, due_on=TODAY + timedelta(days=3), responsible_id=lena
            )
            s.add(deadline)
            s.flush()
            ids.append(deadline.id)
    jobs.run_job(h.clerk, scheduled.job_named("briefing"), TODAY)
    deliver_due(h.clerk, owner="test")
    with h.db.reading() as s:
        row = s.scalars(
            select(OutboxMessage).where(OutboxMessage.key.startswith("briefing:U_LENA:"))
        ).one()
    channel = str(row.slack_channel)
    (dm,) = [m for m in h.standin.messages_in(channel) if m["ts"] == row.slack_ts]
    return ids, dm, channel


# --- 1. money reaches only who may see it ----------------------------------------------------


def test_money_warnings_reach_only_the_clients_responsible_lawyer(firm: Harness) -> None:
    """Mark works on ACME-2 but is not ACME's responsible lawyer: /balance ACME is refused
    him, so the credit-limit and retainer warnings of an invoice on his matter are too."""
    refused = firm.slack.command("U_MARK", "/balance", "ACME")
    assert "Balances are confidential" in json.dumps(refused.replies)
    firm.slack.command("U_BILL", "/invoice", "add ACME ACME-2 INV-77 $21,500")
    warnings = [m for m in _outbox(firm) if m.kind in ("credit_warning", "retainer_warning")]
    assert {m.kind for m in warnings} == {"credit_warning", "retainer_warning"}
    assert {m.target for m in warnings} == {"U_LENA"}


def test_a_responsible_member_whose_role_shows_no_money_is_told_nothing(firm: Harness) -> None:
    """Staff see no balances: a client whose responsible member is on staff has nobody to
    warn, and its stage changes go to nobody either (every outbox kind with money)."""
    with firm.db.unit_of_work("test-setup") as s:
        sam = s.scalars(select(User.id).where(User.slack_id == "U_SAM")).one()
        s.add(Client(code="STAFFED", name="Staffed Ltd", lawyer_id=sam, credit_limit_cents=100))
    receipt = firm.slack.command("U_BILL", "/invoice", "add STAFFED SF-1 $500 issued Sep 1")
    assert "over its credit limit" in json.dumps(receipt.replies)
    jobs.run_job(firm.clerk, scheduled.job_named("overdue_accounts"), TODAY)
    money_kinds = {"credit_warning", "retainer_warning", "stage_change"}
    assert [m for m in _outbox(firm) if m.kind in money_kinds and m.target == "U_SAM"] == []


# --- 2. CSV formula injection ------------------------------------------------------------------

FORMULAS = {
    "name": '=HYPERLINK("http://evil.example/x","Click")',
    "phone": "+1 212 555 0100",
    "matter": "@SUM(A1:A9)",
    "summary": "+cmd|' /C calc'!A0",
    "deadline": "-2+3 cmd",
    "quoted": "'=1+1",  # really starts with a quote, before a formula
    "dutch": "'t Hooft Advocaten",  # really starts with a quote
}


def test_export_neutralises_formulas_and_import_gives_back_what_was_typed(
    firm: Harness, tmp_path: Path
) -> None:
    with firm.db.unit_of_work("test-setup") as s:
        lena = s.scalars(select(User.id).where(User.slack_id == "U_LENA")).one()
        evil = Client(code="EVIL", name=FORMULAS["name"], phone=FORMULAS["phone"], lawyer_id=lena)
        s.add_all(
            [
                evil,
                Client(code="QUOTED", name=FORMULAS["quoted"]),
                Client(code="HOOFT", name=FORMULAS["dutch"]),
            ]
        )
        s.flush()
        matter = Matter(
            code="EVIL-1",
            client_id=evil.id,
            number=1,
            title=FORMULAS["matter"],
            lawyer_id=lena,
            opened_on=date(2026, 1, 5),
        )
        s.add(matter)
        s.flush()
        s.add(
            Contact(
                client_id=evil.id,
                kind=ContactKind.CALL,
                summary=FORMULAS["summary"],
                occurred_at=NOW - timedelta(days=1),
                logged_by_id=lena,
            )
        )
        s.add(Deadline(matter_id=matter.id, title=FORMULAS["deadline"], due_on=date(2030, 1, 7)))
    kinds = ("clients", "matters", "contacts", "deadlines")
    files = {}
    for kind in kinds:
        out = io.StringIO()
        export_csv(firm.db, kind, out)
        files[kind] = out.getvalue()
        for row in list(csv.reader(io.StringIO(files[kind])))[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (kind, cell)
    assert "'+1 212 555 0100" in files["clients"]
    other = Database(f"sqlite:///{tmp_path}/other.db")
    upgrade(other)
    try:
        for kind in kinds:
            import_csv(other, kind, io.StringIO(files[kind]), actor="U_ADMIN")
        with other.reading() as s:
            names = set(s.scalars(select(Client.name)))
            assert {FORMULAS["name"], FORMULAS["quoted"], FORMULAS["dutch"]} <= names
            assert (
                s.scalars(select(Client.phone).where(Client.code == "EVIL")).one()
                == (FORMULAS["phone"])
            )
            assert set(s.scalars(select(Matter.title))) >= {FORMULAS["matter"]}
            assert set(s.scalars(select(Contact.summary))) == {FORMULAS["summary"]}
            assert set(s.scalars(select(Deadline.title))) >= {FORMULAS["deadline"]}
    finally:
        other.dispose()
    for cell in ("\tx", "\rx", "=x", "'=x", "''+x", "'t", "plain", "", "-"):
        assert restore(neutralise(cell)) == cell


# --- 3. typed text never becomes a mention or a link in Clerk's messages ----------------------


def test_dispute_and_next_stage_reasons_are_escaped_on_the_overdue_post(firm: Harness) -> None:
    post = _overdue_post(firm)
    acme = _button(post, MoneyAction.MARK_DISPUTED)
    pressed = _press(firm, "U_BILL", MoneyAction.MARK_DISPUTED, acme, post, "C_BILLING")
    done = firm.slack.view_submission(
        "U_BILL", _view(pressed), {MoneyField.INVOICE: "INV-1", MoneyField.REASON: EVIL}
    )
    assert done.calls_to("chat.update"), "the note goes on the post"
    assert _live(done) == []
    post = firm.standin.messages_in("C_BILLING")[0]
    firm.slack.command("U_BILL", "/invoice", "add ACME INV-2 $900 issued Sep 2")
    pressed = _press(firm, "U_PAUL", MoneyAction.NEXT_STAGE, acme, post, "C_BILLING")
    moved = firm.slack.view_submission("U_PAUL", _view(pressed), {MoneyField.REASON: EVIL})
    assert moved.calls_to("chat.update")
    assert _live(moved) == []
    assert "&lt;!channel&gt;" in json.dumps(firm.standin.messages_in("C_BILLING")[0])


def test_mark_done_and_reassign_outcomes_escape_the_deadline_title(firm: Harness) -> None:
    (deadline_id, other_id), dm, channel = _briefing_dm(firm, EVIL, EVIL + " (second)")
    assert _live(Exchange(200, "", calls=firm.standin.calls("chat.postMessage"))) == []
    done = _press(firm, "U_LENA", "briefing_done", f"d{deadline_id}", dm, channel)
    assert done.calls_to("chat.update") and _live(done) == []
    (after_done,) = [m for m in firm.standin.messages_in(channel) if m["ts"] == dm["ts"]]
    pressed = _press(firm, "U_LENA", "briefing_reassign", f"d{other_id}", after_done, channel)
    moved = firm.slack.view_submission("U_LENA", _view(pressed), {"assignee": "U_MARK"})
    assert moved.calls_to("chat.update") and _live(moved) == []


def test_no_proactive_message_lets_typed_text_mention_or_link(firm: Harness) -> None:
    """Every kind of message Clerk sends on its own, with what people typed in every text
    it quotes: a client's name, a deadline's title, a contact's summary, a reason."""
    typed = EVIL.replace("<", "&lt;").replace(">", "&gt;")  # as Slack sends typed text
    with firm.db.unit_of_work("test-setup") as s:
        lena = s.scalars(select(User.id).where(User.slack_id == "U_LENA")).one()
        s.add(Client(code="EVILCO", name=EVIL, lawyer_id=lena, credit_limit_cents=100))
        s.add(Client(code="EVILKEY", name=EVIL, lawyer_id=lena, is_key=True))  # never called
    firm.slack.command("U_BILL", "/invoice", "add EVILCO EV-1 $500 issued Sep 1")
    firm.slack.command("U_LENA", "/deadline", f"ACME-1 {typed} assign to @mark by Nov 20")
    firm.slack.command("U_LENA", "/contact", f"EVILCO call {typed}; follow up tomorrow")
    for job, day in (
        ("overdue_accounts", TODAY),
        ("deadline_digest", TODAY),
        ("briefing", TODAY + timedelta(days=1)),  # the day before Nov 20, and the follow-up
        ("briefing", date(2026, 11, 23)),  # EVILKEY's first Monday past its cadence
    ):
        jobs.run_job(firm.clerk, scheduled.job_named(job), day)
    kinds = {m.kind for m in _outbox(firm)}
    assert kinds >= {
        "credit_warning",
        "stage_change",
        "deadline-assigned",
        "overdue_accounts",
        "deadline_digest",
        "briefing",
    }, kinds
    drawn_lines = json.dumps([scheduled.chat_arguments(m.payload) for m in _outbox(firm)])
    assert drawn_lines.count("EVILKEY") >= 1 and drawn_lines.count("EVILCO") >= 2
    for queued in _outbox(firm):
        drawn = scheduled.chat_arguments(queued.payload)
        live = [t for t in _texts(drawn) if "<!channel" in t or "<http://evil" in t]
        assert live == [], (queued.kind, live)


# --- 4. credit terms at intake -------------------------------------------------------------


def test_staff_cannot_set_credit_terms_at_intake_by_command_or_form(firm: Harness) -> None:
    typed = 'add STAFFCO "Staff Co" org credit-limit $1,000,000 terms 90 days'
    refused = firm.slack.command("U_SAM", "/client", typed)
    assert "Only a partner or an admin" in json.dumps(refused.replies)
    form = firm.slack.view_submission(
        "U_SAM",
        client_modal(),
        {"code": "STAFFCO", "name": "Staff Co", "credit_limit": "$1,000,000", "terms": "90"},
    )
    assert "Only a partner or an admin" in _form_errors(form)
    assert _count(firm, Client, code="STAFFCO") == 0
    firm.slack.command("U_SAM", "/client", 'add STAFFCO "Staff Co" org')  # without terms: fine
    firm.slack.command("U_PAUL", "/client", 'add PAULCO "Paul Co" org credit-limit $5,000')
    assert _count(firm, Client, code="STAFFCO") == _count(firm, Client, code="PAULCO") == 1


# --- 5. control characters from forms --------------------------------------------------------


def test_control_characters_typed_into_forms_never_reach_the_store(firm: Harness) -> None:
    summary = "called\x1b[31m about rent\x07\nthen emailed\tthe lease\r\nbye\x7f\x9b"
    logged = firm.slack.view_submission(
        "U_LENA", contact_modal(today=TODAY), {"client": "ACME", "kind": "call", "summary": summary}
    )
    assert logged.status == 200 and not logged.body
    firm.slack.view_submission(
        "U_PAUL", client_modal(), {"code": "BELL", "name": "\x1b]0;pwned\x07Bell Ltd"}
    )
    with firm.db.reading() as s:
        stored = s.scalars(select(Contact.summary)).one()
        name = s.scalars(select(Client.name).where(Client.code == "BELL")).one()
    assert stored == "called[31m about rent\nthen emailed\tthe lease\nbye"
    assert name == "]0;pwnedBell Ltd"


# --- 6. a deeply nested body --------------------------------------------------------------


def test_a_nested_body_is_refused_before_parsing_and_a_huge_one_by_size(
    firm: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    nested = b"payload=" + b"[" * 60_000
    with caplog.at_level(logging.WARNING, logger="clerk.server"):
        unsigned, _ = firm.slack.post(
            nested, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
        )
        signed, _ = firm.slack.post(nested, "application/x-www-form-urlencoded")
        huge, _ = firm.slack.post(b"payload=" + b"x" * (1024 * 1024 + 1), "text/plain")
    assert (unsigned, signed, huge) == (401, 400, 413)
    server_lines = [r for r in caplog.records if r.name == "clerk.server"]
    assert len(server_lines) == 3, [r.getMessage() for r in server_lines]
    assert all(r.exc_info is None for r in server_lines)


# --- 7. replays --------------------------------------------------------------------------------


def _replayable(user: str, command: str, text: str, trigger: str, response_url: str) -> bytes:
    return urlencode(
        {
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "channel_id": "C_GENERAL",
            "user_id": user,
            "command": command,
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger,
        }
    ).encode()


def test_a_signed_command_replayed_within_five_minutes_runs_once(firm: Harness) -> None:
    for user, command, text, model in (
        ("U_LENA", "/contact", "ACME call agreed to mediation", Contact),
        ("U_BILL", "/payment", "add ACME $10", Payment),
    ):
        trigger = f"{command[1:]}.replay.{time.time_ns()}"
        body = _replayable(user, command, text, trigger, firm.standin.response_url(trigger))
        stamp = int(time.time())
        before = _count(firm, model)
        for _ in range(3):
            status, answer = firm.slack.post(
                body,
                "application/x-www-form-urlencoded",
                timestamp=stamp,
                signature=sign(SIGNING_SECRET, str(stamp), body),
            )
            assert status == 200
            firm.executor.wait_idle()
        assert _count(firm, model) == before + 1, command
        assert "was not run a second time" in answer


def test_a_replayed_button_press_runs_once(firm: Harness) -> None:
    value = json.dumps({"c": "/contact", "t": "ACME call pressed once", "k": []})
    payload = {
        "type": "block_actions",
        "user": {"id": "U_LENA"},
        "trigger_id": "button.replay.1",
        "team": {"id": TEAM_ID},
        "api_app_id": APP_ID,
        "container": {"type": "message", "channel_id": "C_GENERAL", "is_ephemeral": True},
        "channel": {"id": "C_GENERAL"},
        "response_url": firm.standin.response_url("replayed"),
        "actions": [{"type": "button", "action_id": "clerk_confirm_reading", "value": value}],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    for _ in range(2):
        status, _ = firm.slack.post(body, "application/x-www-form-urlencoded")
        assert status == 200
        firm.executor.wait_idle()
    assert _count(firm, Contact) == 1


# --- 8-10. a message id or a link never comes from the client's say-so ----------------------


def test_a_button_cannot_make_clerk_rewrite_another_of_its_posts(firm: Harness) -> None:
    post = _overdue_post(firm)
    (deadline_id,), _dm, _channel = _briefing_dm(firm, "Reply brief")
    forged = {**post, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "FORGED"}}]}
    done = _press(firm, "U_LENA", "briefing_done", f"d{deadline_id}", forged, "C_BILLING")
    assert done.calls_to("chat.update") == []
    assert "marked done" in json.dumps(done.replies)  # the press itself is answered privately
    assert _count(firm, Deadline, id=deadline_id, status=DeadlineStatus.DONE) == 1
    # a real overdue button, its payload's blocks replaced: the note goes on Clerk's own post
    forged_post = {**post, "blocks": [*forged["blocks"], *post["blocks"][1:]]}
    acme = _button(post, MoneyAction.NEXT_STAGE)
    pressed = _press(firm, "U_BILL", MoneyAction.NEXT_STAGE, acme, forged_post, "C_BILLING")
    moved = firm.slack.view_submission("U_BILL", _view(pressed), {MoneyField.REASON: "no reply"})
    (update,) = moved.calls_to("chat.update")
    assert "FORGED" not in json.dumps(update.params)
    assert "Overdue accounts" in json.dumps(update.params["blocks"])
    assert "FORGED" not in json.dumps(firm.standin.messages_in("C_BILLING"))


def test_a_reassign_form_cannot_name_another_message(firm: Harness) -> None:
    post = _overdue_post(firm)
    (deadline_id,), dm, channel = _briefing_dm(firm, "Reply brief")
    view = _view(_press(firm, "U_LENA", "briefing_reassign", f"d{deadline_id}", dm, channel))
    data = sealed.unseal(firm.clerk, view["private_metadata"])
    for forged in (
        f"{deadline_id}|C_BILLING|{post['ts']}",  # the old, unsealed shape
        view["private_metadata"].replace(data["ts"], post["ts"]).replace(data["ch"], "C_BILLING"),
    ):
        refused = firm.slack.view_submission(
            "U_LENA", {**view, "private_metadata": forged}, {"assignee": "U_MARK"}
        )
        assert "not as Clerk opened it" in _form_errors(refused)
        assert refused.calls_to("chat.update") == []
    with firm.db.reading() as s:
        assert s.get(Deadline, deadline_id).assignee_id is None  # type: ignore[union-attr]
    assert firm.standin.messages_in("C_BILLING") == [post]


def test_a_contact_form_cannot_carry_its_own_link(firm: Harness) -> None:
    form = contact_modal(today=TODAY)
    for carried in (
        json.dumps({"permalink": "https://evil.example/phish", "source": "C_GENERAL:1.2"}),
        sealed.seal(firm.clerk, {"permalink": "x", "source": "y"})[:-2] + "}}",
    ):
        refused = firm.slack.view_submission(
            "U_LENA",
            {**form, "private_metadata": carried},
            {"client": "ACME", "kind": "call", "summary": "phished"},
        )
        assert "not as Clerk opened it" in _form_errors(refused)
    assert _count(firm, Contact) == 0


def test_an_overdue_form_cannot_name_another_client(firm: Harness) -> None:
    post = _overdue_post(firm)
    firm.slack.command("U_BILL", "/invoice", "add GLOBEX GX-1 $700 issued Sep 20")
    acme = _button(post, MoneyAction.NEXT_STAGE)
    view = _view(_press(firm, "U_BILL", MoneyAction.NEXT_STAGE, acme, post, "C_BILLING"))
    globex = _id(firm, Client, code="GLOBEX")
    data = sealed.unseal(firm.clerk, view["private_metadata"])
    forged = view["private_metadata"].replace(f'"c":{data["c"]}', f'"c":{globex}')
    assert forged != view["private_metadata"]
    refused = firm.slack.view_submission(
        "U_BILL", {**view, "private_metadata": forged}, {MoneyField.REASON: "forged"}
    )
    assert "not as Clerk opened it" in _form_errors(refused)
    assert _count(firm, EscalationEvent, manual=True) == 0


# --- a member deactivated in Slack -----------------------------------------------------------


def test_a_member_deactivated_in_slack_loses_their_role_at_once(firm: Harness) -> None:
    shown = firm.slack.command("U_PAUL", "/balance", "ACME")
    assert "Acme Corporation" in json.dumps(shown.replies)
    event = {"type": "user_change", "user": {"id": "U_PAUL", "name": "paul", "deleted": True}}
    assert firm.slack.event(event).status == 200
    paul = firm.user("U_PAUL")
    assert (paul.role, paul.is_active) == (Role.STAFF, False)
    refused = firm.slack.command("U_PAUL", "/balance", "ACME")
    assert "deactivated" in json.dumps(refused.replies)
    assert "Acme Corporation" not in json.dumps(refused.replies)


def test_the_daily_profile_refresh_revokes_a_deactivated_member(firm: Harness) -> None:
    firm.standin.add_user("U_BILL", "bill", real_name="Bill Billing", deleted=True)
    with firm.db.unit_of_work("test-setup") as s:
        bill = s.scalars(select(User).where(User.slack_id == "U_BILL")).one()
        bill.profile_checked_at = datetime(2026, 11, 1, tzinfo=NOW.tzinfo)  # over a day ago
    refused = firm.slack.command("U_BILL", "/balance", "ACME")
    assert "deactivated" in json.dumps(refused.replies)
    bill_now = firm.user("U_BILL")
    assert (bill_now.role, bill_now.is_active) == (Role.STAFF, False)
