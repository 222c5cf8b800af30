"""Two real ``clerk run`` processes on one PostgreSQL database, both with the scheduler on.

Both start on the same rehearsed Monday morning (``--at``), so each one's start-up catch-up
wants to run the 08:00 jobs at once. Only the holder of the advisory lock may: every outbox
row is posted exactly once, all the work carries one process's name, and that process's own
connection holds the lock (matched through its socket in Linux's /proc). Then the leader is
SIGKILLed (no clean shutdown, its lock goes with its connection) and the survivor must take
over: it delivers a message queued after the kill and runs the 08:30 slot if the dead leader
had not, each once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from bot.tools.demo_firm import CHANNELS, PEOPLE, seed
from bot.tools.standin.server import SlackStandIn
from handlers.scheduled import chat_arguments
from schedules.outbox import enqueue
from schedules.runner import LEADER_LOCK_KEY, LEADER_RETRY_S
from storage.db import Database
from storage.models import JobRun, JobRunStatus, OutboxMessage, OutboxStatus
from tests.conftest import PG_URL
from tests.foundation.test_cli_run import _env as cli_env
from tests.foundation.test_cli_run import _free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not PG_URL.startswith("postgresql"),
        reason="the scheduler's leader lock is a PostgreSQL advisory lock; "
        "set CLERK_TEST_DATABASE_URL to a PostgreSQL database",
    ),
]

NY = ZoneInfo("America/New_York")
MONDAY = date(2026, 11, 30)
AT = "2026-11-30 08:29:20"  # 08:00 slots are caught up at start; 08:30 comes a bit later
EIGHT = datetime(2026, 11, 30, 8, 0, tzinfo=NY)
EIGHT_THIRTY = datetime(2026, 11, 30, 8, 30, tzinfo=NY)
MORNING_JOBS = {"deadline_digest", "briefing"}
PATIENCE_S = 150.0  # start-up, a leader retry tick (20 s) and the 08:30 slot, with room


@dataclass
class Process:
    popen: subprocess.Popen[str]
    port: int
    log: Path

    @property
    def owner(self) -> str:
        """How the scheduler names itself in ``job_runs.owner`` and ``claimed_by``."""
        return f"{socket.gethostname()}:{self.popen.pid}"[:64]

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


def _env(standin: SlackStandIn) -> dict[str, str]:
    return cli_env(
        PG_URL,
        standin,
        CLERK_ADMINS="U0ADA",
        CLERK_DEADLINES_CHANNEL="C0DEADLINES",
        CLERK_BILLING_CHANNEL="C0BILLING",
        CLERK_REPORTS_CHANNEL="C0REPORTS",
    )


def _until(what: str, ready: Callable[[], bool], processes: list[Process]) -> None:
    """Poll ``ready`` until it holds; fail with the processes' logs when it never does."""
    give_up = time.monotonic() + PATIENCE_S
    while not ready():
        if time.monotonic() > give_up:
            logs = "\n\n".join(f"--- pid {p.popen.pid} ---\n{p.tail()}" for p in processes)
            pytest.fail(f"gave up waiting for {what}\n{logs}")
        time.sleep(0.25)


def _healthy(process: Process) -> bool:
    if process.popen.poll() is not None:
        pytest.fail(f"clerk run exited with {process.popen.returncode}\n{process.tail()}")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{process.port}/healthz", timeout=1) as r:
            return bool(json.loads(r.read()) == {"ok": True})
    except OSError:
        return False


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    server = SlackStandIn().start()
    for person in PEOPLE:
        server.add_user(person.slack_id, person.handle, tz=person.tz, real_name=person.real_name)
    for channel_id, name in CHANNELS.items():
        server.add_channel(channel_id, name)
    yield server
    server.stop()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    seed(database, MONDAY, NY, now=EIGHT)  # deadlines in the reminder windows, overdue bills
    yield database
    database.dispose()


@pytest.fixture
def start(standin: SlackStandIn, tmp_path: Path) -> Iterator[Callable[[], Process]]:
    started: list[tuple[Process, IO[str]]] = []

    def launch() -> Process:
        port = _free_port()
        log = tmp_path / f"clerk-{len(started)}.log"
        out = log.open("w", encoding="utf-8")
        popen = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--port", str(port), "--host", "127.0.0.1"]
            + ["--at", AT],
            env=_env(standin),
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append((Process(popen, port, log), out))
        return started[-1][0]

    yield launch
    for process, out in started:
        if process.popen.poll() is None:
            process.popen.send_signal(signal.SIGTERM)
            try:
                process.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()
        out.close()


def _runs(db: Database) -> list[JobRun]:
    with db.reading() as s:
        return list(s.scalars(select(JobRun).order_by(JobRun.id)))


def _rows(db: Database) -> list[OutboxMessage]:
    with db.reading() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _lock_holders(db: Database) -> list[int]:
    """The client ports of the connections granted the scheduler's advisory lock.

    The key is a bigint, which pg_locks shows as two 32-bit halves.
    """
    with db.engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT a.client_port FROM pg_locks l"
                    " JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.database = (SELECT oid FROM pg_database"
                    "                   WHERE datname = current_database())"
                    " AND l.classid::bigint = :high AND l.objid::bigint = :low"
                    " AND l.objsubid = 1"
                ),
                {"high": LEADER_LOCK_KEY >> 32, "low": LEADER_LOCK_KEY & 0xFFFFFFFF},
            ).scalars()
        )


def _holds_port(process: Process, port: int) -> bool:
    """Whether one of ``process``'s sockets is bound to local TCP ``port`` (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{process.popen.pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
                return True
    return False


def _lock_holder(db: Database, processes: list[Process]) -> Process:
    """The one process whose connection holds the lock (there must be exactly one)."""
    (port,) = _lock_holders(db)
    (holder,) = [p for p in processes if p.popen.poll() is None and _holds_port(p, port)]
    return holder


def _due(rows: list[OutboxMessage]) -> list[OutboxMessage]:
    """Rows due this morning: a reminder held for a reader's own (later) morning waits."""
    return [r for r in rows if r.not_before is None]


def _settled(db: Database) -> bool:
    rows = _due(_rows(db))
    return bool(rows) and all(r.status is OutboxStatus.SENT for r in rows)


def _morning_done(db: Database) -> bool:
    done = {r.job for r in _runs(db) if r.status is JobRunStatus.DONE and r.slot == EIGHT}
    return done >= MORNING_JOBS and _settled(db)


def _posted(standin: SlackStandIn) -> Counter[tuple[str, str]]:
    """(channel, text) of every accepted post: the channel Slack answered with (a DM is
    posted to the person's user id and lands in their DM channel)."""
    return Counter(
        (str(c.response.get("channel")), str(c.params.get("text")))
        for c in standin.calls("chat.postMessage")
        if c.ok
    )


def _assert_each_row_posted_once(db: Database, standin: SlackStandIn) -> list[OutboxMessage]:
    everything = _rows(db)
    held = [r for r in everything if r.not_before is not None]
    assert all(r.status is OutboxStatus.PENDING for r in held)  # Mark's LA morning: not yet
    rows = _due(everything)
    assert all(r.status is OutboxStatus.SENT for r in rows)
    expected = Counter((str(r.slack_channel), str(chat_arguments(r.payload)["text"])) for r in rows)
    assert _posted(standin) == expected  # nothing doubled, nothing missing, nothing extra
    assert len({r.slack_ts for r in rows}) == len(rows)
    return rows


def test_two_processes_send_each_message_once_and_the_survivor_takes_over(
    db: Database, standin: SlackStandIn, start: Callable[[], Process]
) -> None:
    first, second = start(), start()
    processes = [first, second]
    _until("both processes to serve HTTP", lambda: all(map(_healthy, processes)), processes)
    _until("the 08:00 jobs and their messages", lambda: _morning_done(db), processes)

    rows = _assert_each_row_posted_once(db, standin)
    kinds = Counter(r.kind for r in rows)
    assert kinds["deadline_digest"] >= 1 and kinds["briefing"] >= 2
    briefed = Counter(r.target for r in rows if r.kind == "briefing")
    assert max(briefed.values()) == 1  # one a person
    owners = {r.owner for r in _runs(db)} | {r.claimed_by for r in rows}
    assert len(owners) == 1, owners  # one process did all the scheduled work
    (owner,) = owners
    leader = next((p for p in processes if p.owner == owner), None)
    assert leader is not None, f"{owner} is neither {first.owner} nor {second.owner}"
    survivor = second if leader is first else first
    assert _lock_holder(db, processes) is leader  # the lock and the work: the same process

    ran_before_kill = {(r.job, r.slot) for r in _runs(db)}
    leader.popen.send_signal(signal.SIGKILL)
    leader.popen.wait(timeout=30)
    _until("the dead leader's lock to be freed", lambda: len(_lock_holders(db)) <= 1, processes)

    with db.unit_of_work("test") as s:  # e.g. a stage change saved by a request on a replica
        assert enqueue(
            s,
            key="test:after-the-kill",
            target="C0BILLING",
            kind="stage_change",
            payload={"text": "queued while nobody leads"},
        )
    late = ("overdue_accounts", EIGHT_THIRTY)

    def taken_over() -> bool:
        runs = {(r.job, r.slot): r for r in _runs(db)}
        slot_done = late in runs and runs[late].status is JobRunStatus.DONE
        return slot_done and _settled(db)

    _until(
        f"the survivor to lead (it retries every {LEADER_RETRY_S} s) and run 08:30",
        taken_over,
        [survivor],
    )

    rows = _assert_each_row_posted_once(db, standin)
    after_kill = next(r for r in rows if r.key == "test:after-the-kill")
    assert after_kill.claimed_by == survivor.owner
    runs = _runs(db)
    assert len({(r.job, r.slot) for r in runs}) == len(runs)
    late_run = next(r for r in runs if (r.job, r.slot) == late)
    if late not in ran_before_kill:  # the usual case: the 08:30 slot came after the kill
        assert late_run.owner == survivor.owner
    assert {r.owner for r in runs if (r.job, r.slot) not in ran_before_kill} <= {survivor.owner}
    assert any(r.kind == "overdue_accounts" for r in rows)
    assert _lock_holder(db, [survivor]) is survivor
