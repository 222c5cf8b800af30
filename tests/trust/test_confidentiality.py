"""Confidentiality over a whole working session: logs, and where money and details are shown.

One representative session (clients with emails and phones, a matter, contacts with
summaries, invoices, a payment, balances asked by people who may and may not see them, DM
sentences, the App Home, and every morning job delivered) is run through signed HTTP with
logging captured. Then:

- nothing at INFO or above names a token, the signing secret, a client, a summary, an email,
  a phone number or an amount (DEBUG may: it is off in production);
- every message that shows money, an email or a phone number went only to someone allowed
  to see it: ephemerally or in their own DM, and overdue digests only to the billing channel.

That ``clerk run`` refuses HTTP mode without the signing secret is proven by
``tests/foundation/test_cli_run.py::test_run_refuses_http_mode_without_the_signing_secret``.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from bot.tools.standin.driver import Exchange, SlackDriver
from bot.tools.standin.server import SlackStandIn
from handlers.scheduled import all_jobs
from schedules.delivery import deliver_due
from schedules.jobs import run_job
from storage.db import Database
from storage.models import Client
from tests.conftest import SHIFT_DAYS
from tests.harness import BOT_TOKEN, SIGNING_SECRET, Harness, running_clerk

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=NY)  # Wed; the jobs then run for Fri 20 Nov
MORNING = date(2026, 11, 20)
APP_TOKEN = "xapp-1-test-app-token"

ACME_EMAIL, ACME_PHONE = "legal@acme.example", "212-555-0100"
GLOBEX_EMAIL = "cfo@globex.example"
SUMMARY = "discussed the settlement range with their general counsel"
DM_SUMMARY = "agreed to mediation before Judge Patel"
# Money per client, as Clerk shows it: invoiced, paid, and what is left.
ACME_MONEY = ("$12,345.67", "$1,000.00", "$11,345.67", "$20,000", "$5,000")
GLOBEX_MONEY = ("$7,654.32",)

# Who may see what : client details are for the firm's staff, but only in a
# reply to the asker; money of a client for billing, partners, admins and its own lawyer.
MONEY_ROLES = {"U_ADMIN", "U_PAUL", "U_BILL"}
MAY_SEE = {
    ACME_MONEY: MONEY_ROLES | {"U_LENA"},
    GLOBEX_MONEY: MONEY_ROLES | {"U_MARK"},
}
FIRM_MEMBERS = {"U_ADMIN", "U_PAUL", "U_LENA", "U_MARK", "U_SAM", "U_BILL"}
BILLING_CHANNEL = "C_BILLING"
# The weekly and monthly KPI reports: firm-wide figures only, never a client's name or code.
REPORTS_CHANNEL = "C_REPORTS"
CLIENT_NAMES = ("Acme", "ACME", "Globex", "GLOBEX")


def assert_firm_wide_only(text: str) -> None:
    assert not any(name in text for name in CLIENT_NAMES), text[:300]


NEVER_LOGGED = [
    BOT_TOKEN,
    SIGNING_SECRET,
    APP_TOKEN,
    "Acme Corporation",
    "Globex Holdings",
    ACME_EMAIL,
    GLOBEX_EMAIL,
    ACME_PHONE,
    SUMMARY,
    DM_SUMMARY,
    "12,345.67",
    "1234567",
    "7,654.32",
    "765432",
]
AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d\d)?")


@dataclass
class Session:
    """What happened: each request with who made it, and the log records of the run."""

    harness: Harness
    asked: list[tuple[str, Exchange]] = field(default_factory=list)

    def command(self, user: str, command: str, text: str) -> Exchange:
        exchange = self.harness.slack.command(user, command, text)
        self.asked.append((user, exchange))
        return exchange

    def dm(self, user: str, text: str) -> Exchange:
        exchange = self.harness.slack.dm(user, text)
        self.asked.append((user, exchange))
        return exchange

    def home(self, user: str) -> Exchange:
        event = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"}
        exchange = self.harness.slack.event(event)
        self.asked.append((user, exchange))
        return exchange


def work_a_day(session: Session) -> None:
    """Clients, matters, contacts, deadlines, money and questions, as a firm's day goes."""
    s = session
    s.command(
        "U_PAUL",  # credit terms are a partner's call
        "/client",
        'add ACME "Acme Corporation" org lawyer <@U_LENA|lena> key '
        f"email {ACME_EMAIL} phone +1-{ACME_PHONE} terms 30 days credit-limit $20,000 "
        "retainer $5,000",
    )
    s.command(
        "U_MARK",
        "/client",
        f'add GLOBEX "Globex Holdings" lawyer <@U_MARK|mark> email {GLOBEX_EMAIL}',
    )
    s.command("U_LENA", "/matter", 'add ACME "Lease dispute"')
    s.command("U_LENA", "/contact", f"ACME call {SUMMARY}; follow up Nov 20 2026")
    s.command("U_LENA", "/deadline", "ACME-1 Reply brief on Nov 27 2026")
    s.command("U_BILL", "/invoice", "add ACME INV-100 $12,345.67 issued Sep 1 2026 terms 30 days")
    s.command("U_BILL", "/invoice", "add GLOBEX GX-7 $7,654.32 issued Sep 15 2026 terms 30 days")
    s.command("U_BILL", "/payment", "add ACME $1,000 invoice INV-100 on Nov 16 2026")
    for user in sorted(FIRM_MEMBERS):
        s.command(user, "/balance", "ACME")
        s.command(user, "/balance", "overdue")
        s.command(user, "/client", "ACME")
        s.command(user, "/invoice", "GX-7")
        s.dm(user, "balance GLOBEX")
        s.home(user)
    s.command("U_SAM", "/client", "find acme")
    s.dm("U_LENA", f"log call with ACME: {DM_SUMMARY}")
    s.command("U_LENA", "/contact", "list ACME")


def run_the_morning(harness: Harness) -> None:
    """Every job for Friday 20 Nov, then delivery of all it queued."""
    for job in all_jobs():
        run_job(harness.clerk, job, MORNING)
    while deliver_due(harness.clerk, owner="test"):
        pass


@pytest.fixture(scope="module")
def day(
    _migrated: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Session, list[logging.LogRecord]]]:
    """The session, run once for the module with every log record captured."""
    from tests.conftest import fresh_database_url

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    root = logging.getLogger()
    keep, level = Keep(level=logging.DEBUG), root.level
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    url = fresh_database_url(_migrated, tmp_path_factory.mktemp("confidential"))
    try:
        with running_clerk(url, at=NOW, slack_app_token=APP_TOKEN) as harness:
            harness.add_people()
            session = Session(harness)
            work_a_day(session)
            run_the_morning(harness)
            yield session, records
    finally:
        root.removeHandler(keep)
        root.setLevel(level)


def logged_text(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text


def test_the_session_did_what_it_should(day: tuple[Session, list[logging.LogRecord]]) -> None:
    """The checks below see real traffic: money shown, digests posted, DMs sent."""
    session, records = day
    calls = session.harness.standin.calls()
    assert any(
        c.method == "chat.postMessage" and c.params.get("channel") == BILLING_CHANNEL for c in calls
    )
    shown = json.dumps([e.replies for _, e in session.asked])
    assert all(amount in shown for amount in ACME_MONEY + GLOBEX_MONEY)
    assert ACME_EMAIL in shown
    assert any(r.levelno >= logging.INFO for r in records)


@pytest.mark.parametrize("secret", NEVER_LOGGED)
def test_nothing_confidential_is_logged_at_info_or_above(
    day: tuple[Session, list[logging.LogRecord]], secret: str
) -> None:
    _, records = day
    leaks = [
        f"{r.levelname} {r.name}: {logged_text(r)[:300]}"
        for r in records
        if r.levelno >= logging.INFO and secret in logged_text(r)
    ]
    assert not leaks, leaks


# --- where money and personal details go -------------------------------------------------


def readers(call: Any) -> tuple[str, set[str]]:
    """Where a Web API call shows something, and who can read it there."""
    params = call.params
    if call.method == "chat.postEphemeral":
        return "ephemeral", {params["user"]}
    if call.method == "views.publish":
        return "home", {params["user_id"]}
    channel = str(params.get("channel") or params.get("channel_id") or "")
    if channel.startswith("D"):
        return "dm", {channel[1:]}
    if channel.startswith(("U", "W")):
        return "dm", {channel}
    return channel, set(FIRM_MEMBERS)  # a channel: anyone in the firm may read it


SHOWING = ("chat.", "views.publish", "files.completeUploadExternal")


def shown_by(call: Any) -> str:
    return json.dumps({k: v for k, v in call.params.items() if k != "token"})


def test_money_is_shown_only_to_those_who_may_see_it(
    day: tuple[Session, list[logging.LogRecord]],
) -> None:
    session, _ = day
    for call in session.harness.standin.calls():
        if not call.method.startswith(SHOWING):
            continue
        text = shown_by(call)
        where, who = readers(call)
        if where == REPORTS_CHANNEL:
            assert_firm_wide_only(text)
            continue
        for amounts, allowed in MAY_SEE.items():
            if any(a in text for a in amounts):
                assert where == BILLING_CHANNEL or who <= allowed, (call.method, where, text[:300])
        if where not in ("ephemeral", "home", "dm"):
            # a channel: money only in the billing channel's overdue digest
            assert where == BILLING_CHANNEL or not AMOUNT.search(text), (where, text[:300])
    for user, exchange in session.asked:
        for reply in exchange.replies:
            text = json.dumps(reply)
            if AMOUNT.search(text):
                assert reply.get("response_type") == "ephemeral", text[:300]
            for amounts, allowed in MAY_SEE.items():
                if any(a in text for a in amounts):
                    assert user in allowed, (user, text[:300])


def test_staff_never_see_an_amount(day: tuple[Session, list[logging.LogRecord]]) -> None:
    session, _ = day
    for user, exchange in session.asked:
        if user == "U_SAM":
            for reply in exchange.replies:
                assert not AMOUNT.search(json.dumps(reply)), reply
    for call in session.harness.standin.calls():
        if call.method.startswith(SHOWING) and readers(call)[1] == {"U_SAM"}:
            assert not AMOUNT.search(shown_by(call)), shown_by(call)[:300]


def test_personal_details_only_in_private_replies(
    day: tuple[Session, list[logging.LogRecord]],
) -> None:
    session, _ = day
    details = (ACME_EMAIL, ACME_PHONE, GLOBEX_EMAIL, SUMMARY, DM_SUMMARY)
    for call in session.harness.standin.calls():
        if call.method.startswith(SHOWING) and any(d in shown_by(call) for d in details):
            where, who = readers(call)
            assert where in ("ephemeral", "home", "dm"), (where, shown_by(call)[:300])
            assert who <= FIRM_MEMBERS
    for _, exchange in session.asked:
        for reply in exchange.replies:
            if any(d in json.dumps(reply) for d in details):
                assert reply.get("response_type") == "ephemeral", reply


def test_overdue_digests_go_only_to_the_billing_channel(
    day: tuple[Session, list[logging.LogRecord]],
) -> None:
    session, _ = day
    posts = [
        c
        for c in session.harness.standin.calls()
        if c.method == "chat.postMessage" and "Overdue" in shown_by(c)
    ]
    assert posts
    for post in posts:
        where, who = readers(post)
        if where == REPORTS_CHANNEL:  # the KPI report's overdue total, firm-wide
            assert_firm_wide_only(shown_by(post))
            continue
        if where != BILLING_CHANNEL:
            # a stage-change DM to a responsible lawyer: their own clients only
            assert where == "dm", where
            text = shown_by(post)
            for amounts, allowed in MAY_SEE.items():
                if any(a in text for a in amounts):
                    assert who <= allowed, (who, text[:300])


# --- the real process ----------------------------------------------------------------------


def test_clerk_run_logs_no_secrets_or_client_data(database_url: str, tmp_path: Path) -> None:
    """``clerk run`` at its default level, fed a few commands: its stderr stays clean.

    (No app token here: with one, ``clerk run`` connects in Socket Mode instead of HTTP.)
    """
    if SHIFT_DAYS:
        pytest.skip(
            "a separate `clerk run` process keeps the real clock: signed requests from "
            "this shifted test process would be refused as stale"
        )
    from tests.foundation.test_cli_run import _env, _free_port

    standin = SlackStandIn().start()
    env = _env(
        database_url,
        standin,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        CLERK_ADMINS="U_ADMIN",
    )
    for user in FIRM_MEMBERS:
        standin.add_user(user, user.lower(), tz="America/New_York", real_name=user)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--no-scheduler", "--host", "127.0.0.1"]
        + ["--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_healthy(process, port)
        driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, standin)
        said = [
            ("/client", f'add ACME "Acme Corporation" email {ACME_EMAIL}'),
            ("/invoice", "add ACME INV-100 $12,345.67 issued Sep 1 2026"),
            ("/contact", f"ACME call {SUMMARY}"),
            ("/balance", "ACME"),
        ]
        for count, (command, text) in enumerate(said, start=1):
            driver.command("U_ADMIN", command, text)
            standin.wait_for_responses(count, timeout=20)  # one after the other, as typed
        replies = json.dumps(standin.responses())
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
            standin.stop()
    assert "Clerk is serving Slack" in stderr, stderr
    assert "$12,345.67" in replies and ACME_EMAIL not in stderr  # the data went through it
    leaks = [secret for secret in NEVER_LOGGED if secret in stderr]
    assert not leaks, stderr


def _wait_healthy(process: subprocess.Popen[str], port: int) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    raise AssertionError(
        f"clerk run did not start: {process.stderr.read() if process.stderr else ''}"
    )


def test_an_unexpected_database_error_is_logged_without_client_data(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The one error handler logs unexpected errors with their traceback at ERROR; a
    database error's message must not carry the statement's values (names, amounts)."""
    from handlers.kernel.errors import reply_for

    with pytest.raises(IntegrityError) as caught, db.unit_of_work("test") as session:
        session.add(Client(code="DUP", name="Acme Corporation"))
        session.flush()
        session.add(Client(code="DUP", name="Globex Holdings", details={"email": ACME_EMAIL}))
        session.flush()
    with caplog.at_level(logging.INFO):
        reply = reply_for(caught.value)
    assert "Something went wrong" in reply.text
    assert "IntegrityError" in caplog.text  # logged, with its traceback
    for secret in ("Globex Holdings", ACME_EMAIL):
        assert secret not in caplog.text
