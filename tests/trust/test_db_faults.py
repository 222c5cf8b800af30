"""The database and Slack failing under a running Clerk: nothing half-written, nothing lost.

PostgreSQL restarted or an administrator killing connections: the pool's pre-ping replaces a
dead connection before the next command uses it, and a connection dropped in the middle of a
unit of work fails that one command with a clear ephemeral reply and writes nothing. SQLite
locked by another writer for longer than the busy timeout: the command says the database is
busy and writes nothing. Slack answering 500, 429 or late while Clerk replies: the write
stands once, and the reply arrives after slack-sdk's retry handlers where Clerk has them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.tools.standin.server import RESPONSE_URL
from storage import db as storage_db
from storage.models import AuditLog, Contact
from tests.clients.conftest import ACME, NOW
from tests.conftest import PG_URL
from tests.harness import Harness, running_clerk

on_postgresql = pytest.mark.skipif(not PG_URL, reason="needs CLERK_TEST_DATABASE_URL (PostgreSQL)")
on_sqlite = pytest.mark.skipif(bool(PG_URL), reason="SQLite's file lock")

BUSY_TIMEOUT_S = 1  # instead of 15 s, so a held lock outlasts it quickly


@pytest.fixture
def firm(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    """The sample people and ACME with one matter, on a short SQLite busy timeout."""
    monkeypatch.setattr(storage_db, "SQLITE_BUSY_TIMEOUT_S", BUSY_TIMEOUT_S)
    with running_clerk(database_url, at=NOW) as running:
        running.add_people()
        running.slack.command("U_PAUL", "/client", ACME)  # with credit terms: a partner
        running.slack.command("U_LENA", "/matter", 'add ACME "Lease dispute"')
        yield running


def _contacts(firm: Harness) -> list[str]:
    with firm.db.reading() as s:
        return list(s.scalars(select(Contact.summary).order_by(Contact.id)))


def _audited_contacts(firm: Harness) -> int:
    with firm.db.reading() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditLog)
                .where(AuditLog.entity == "contacts", AuditLog.action == "create")
            )
            or 0
        )


def _log(firm: Harness, summary: str, user: str = "U_LENA") -> Any:
    return firm.slack.command(user, "/contact", f"ACME call {summary}")


def _one_reply(exchange: Any) -> str:
    assert exchange.status == 200
    (reply,) = exchange.replies
    assert reply.get("response_type") == "ephemeral"
    return str(reply["text"])


def _terminate_others(firm: Harness) -> int:
    """Every other session on this database killed, as a restart or an admin would."""
    killer = create_engine(firm.clerk.settings.database_url, poolclass=NullPool)
    with killer.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
        conn.commit()
    killer.dispose()
    return int(killed)


@on_postgresql
def test_connections_killed_between_two_commands_are_replaced_before_the_next(
    firm: Harness,
) -> None:
    assert "Logged a call with" in _one_reply(_log(firm, "before the drop"))
    killed = _terminate_others(firm)
    print(f"\ndb faults: {killed} PostgreSQL sessions terminated between two commands")
    assert killed >= 1  # the pool's idle connections were alive until now
    assert "Logged a call with" in _one_reply(_log(firm, "after the drop"))
    assert _contacts(firm) == ["before the drop", "after the drop"]
    assert _audited_contacts(firm) == 2


@on_postgresql
def test_a_connection_dropped_inside_a_unit_of_work_writes_nothing_and_says_so(
    firm: Harness,
) -> None:
    engine = firm.db.engine
    dropped: list[int] = []

    def drop_own_connection(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CONTACTS") and not dropped:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            with engine.connect() as other:  # a second connection does the killing
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            dropped.append(pid)

    event.listen(engine, "before_cursor_execute", drop_own_connection)
    try:
        failed = _one_reply(_log(firm, "lost with its connection"))
    finally:
        event.remove(engine, "before_cursor_execute", drop_own_connection)
    print(f"\ndb faults: connection {dropped} dropped mid-write; reply: {failed!r}")
    assert dropped
    assert "nothing was saved" in failed and "try again" in failed.lower()
    assert "Traceback" not in failed
    assert _contacts(firm) == [] and _audited_contacts(firm) == 0
    assert "Logged a call with" in _one_reply(_log(firm, "the next one"))
    assert _contacts(firm) == ["the next one"] and _audited_contacts(firm) == 1


@on_sqlite
def test_a_database_locked_past_the_busy_timeout_says_busy_and_writes_nothing(
    firm: Harness,
) -> None:
    path = make_url(firm.clerk.settings.database_url).database
    assert path
    holder = sqlite3.connect(path, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, e.g. a long import
    try:
        busy = _one_reply(_log(firm, "blocked by the lock"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    print(f"\ndb faults: SQLite locked past {BUSY_TIMEOUT_S} s; reply: {busy!r}")
    assert "busy" in busy and "nothing was saved" in busy and "try again" in busy.lower()
    assert _contacts(firm) == [] and _audited_contacts(firm) == 0
    assert "Logged a call with" in _one_reply(_log(firm, "after the lock"))
    assert _contacts(firm) == ["after the lock"] and _audited_contacts(firm) == 1


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_reply_refused_once_by_slack_is_retried_and_the_write_happens_once(
    firm: Harness, status: int
) -> None:
    """The reply goes through ``response_url`` with the Web API's retry policy."""
    firm.standin.fail_next(RESPONSE_URL, status=status, retry_after=0 if status == 429 else None)
    exchange = _log(firm, "reply refused once")
    assert exchange.status == 200
    answered = [p.status for p in firm.standin.response_posts()][-2:]
    print(f"\ndb faults: response_url answered {answered}; the contact is stored once")
    assert answered == [status, 200]
    assert "Logged a call with" in _one_reply(exchange)
    assert _contacts(firm) == ["reply refused once"] and _audited_contacts(firm) == 1


def test_a_reply_slack_keeps_refusing_is_given_up_and_the_write_stands_once(
    firm: Harness,
) -> None:
    firm.standin.fail_next(RESPONSE_URL, status=500, times=5)
    exchange = _log(firm, "reply refused")
    assert exchange.status == 200 and exchange.replies == []
    assert [p.status for p in firm.standin.response_posts()][-3:] == [500, 500, 500]
    assert _contacts(firm) == ["reply refused"] and _audited_contacts(firm) == 1


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_dm_reply_is_retried_through_slacks_errors_and_the_write_happens_once(
    firm: Harness, status: int
) -> None:
    firm.standin.fail_next(
        "chat.postMessage", status=status, retry_after=0 if status == 429 else None
    )
    exchange = firm.slack.dm("U_LENA", "log call with ACME: agreed to mediation")
    posts = exchange.calls_to("chat.postMessage")
    print(f"\ndb faults: chat.postMessage answered {[c.status for c in posts]}")
    assert [c.status for c in posts] == [status, 200]  # retried once, then shown
    assert _contacts(firm) == ["agreed to mediation"] and _audited_contacts(firm) == 1


@pytest.mark.slow
def test_a_dm_reply_that_times_out_is_not_a_second_write_nor_called_unsaved(
    firm: Harness,
) -> None:
    """Slack posts, then answers after the client's 10 s timeout: the contact is stored once,
    and the follow-up never claims that nothing was saved (which would invite a retry)."""
    firm.standin.delay_next("chat.postMessage", 11.0)
    firm.slack.dm("U_LENA", "log call with ACME: timed out reply")
    assert firm.executor.wait_idle(timeout=60)
    shown = [str(c.params.get("text")) for c in firm.standin.calls("chat.postMessage") if c.ok]
    print(f"\ndb faults: after a Slack timeout the DM shows {shown}")
    assert shown[0].startswith("Logged a call with *ACME*")
    assert not any("nothing was saved" in text for text in shown)
    assert _contacts(firm) == ["timed out reply"] and _audited_contacts(firm) == 1
