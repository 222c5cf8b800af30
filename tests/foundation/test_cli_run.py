"""``clerk run`` as a real process: refuses what it must, serves, and stops on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.tools.standin.server import SlackStandIn
from tests.conftest import PG_URL

CLERK = [sys.executable, "-m", "bot.cli"]


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    server = SlackStandIn().start()
    yield server
    server.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(database_url: str, standin: SlackStandIn, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLERK_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=standin.url,
        DATABASE_URL=database_url,
        CLERK_TIMEZONE="America/New_York",
    )
    env.update(extra)
    return env


def test_run_refuses_an_unmigrated_database(tmp_path: Path, standin: SlackStandIn) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    done = subprocess.run(
        [*CLERK, "run", "--no-scheduler", "--port", str(_free_port())],
        env=_env(url, standin),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "Run `clerk migrate` first" in done.stderr


def test_run_refuses_http_mode_without_the_signing_secret(
    database_url: str, standin: SlackStandIn, tmp_path: Path
) -> None:
    done = subprocess.run(
        [*CLERK, "run", "--no-scheduler", "--port", str(_free_port())],
        env=_env(database_url, standin, SLACK_SIGNING_SECRET=""),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET is required" in done.stderr


def test_bad_configuration_names_the_variable(standin: SlackStandIn, tmp_path: Path) -> None:
    done = subprocess.run(
        [*CLERK, "migrate"],
        env=_env("sqlite:///x.db", standin, CLERK_TIMEZONE="Mars/Base"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "CLERK_TIMEZONE: unknown IANA time zone" in done.stderr


@pytest.mark.skipif(bool(PG_URL), reason="one database per process; covered on SQLite")
def test_migrate_then_serve_health_then_stop_on_sigterm(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    url = f"sqlite:///{tmp_path / 'clerk.db'}"
    env = _env(url, standin)
    migrated = subprocess.run(
        [*CLERK, "migrate"], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    process = subprocess.Popen(
        [*CLERK, "run", "--no-scheduler", "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    health = json.loads(r.read())
                    break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.1)
        assert health == {"ok": True}, process.stderr.read() if process.poll() else "no answer"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
