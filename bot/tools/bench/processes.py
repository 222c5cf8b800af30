"""Serving processes under measurement: ``clerk run`` and the bare bolt floor, as subprocesses.

Memory and start-up are measured on the real process: start-up is the time from spawning it
to the first ``200`` from ``GET /healthz`` (Clerk answers only after migrations are checked,
admins seeded and dateparser warmed up); peak RSS is the kernel's high-water mark
(``VmHWM``), with psutil samples as a fallback where ``/proc`` has no such line.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench-token"
READY_TIMEOUT_S = 120


CLERK_PACKAGES = ("bot", "handlers", "schedules", "storage")


def compile_bytecode() -> None:
    """Compile Clerk's modules to bytecode before any start-up is timed, as installing a
    wheel does. An editable checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (set on some
    CI machines) never keeps its bytecode, and every ``clerk run`` then compiled about 140
    modules again (about 0.4 s of a 2.4-2.9 s start-up, measured); elsewhere the first run
    writes it anyway."""
    import compileall
    import importlib

    for name in CLERK_PACKAGES:
        package = Path(str(importlib.import_module(name).__file__)).parent
        compileall.compile_dir(package, quiet=1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clerk_env(database_url: str, standin_url: str, admins: str) -> dict[str, str]:
    """The environment of a Clerk under test: everything explicit, nothing from a ``.env``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLERK_"))}
    env.update(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": "",
            "SLACK_API_URL": standin_url,
            "DATABASE_URL": database_url,
            "CLERK_TIMEZONE": "America/New_York",
            "CLERK_ADMINS": admins,
            "CLERK_LANGUAGES": "en",
            "CLERK_HOLIDAYS": "US",
            "CLERK_DEADLINES_CHANNEL": "C_DEADLINES",
            "CLERK_BILLING_CHANNEL": "C_BILLING",
            "CLERK_REPORTS_CHANNEL": "C_REPORTS",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


class RssSampler:
    """Samples a process's resident memory every 20 ms on a daemon thread."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            self._stop.wait(0.02)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)


def high_water_mark(pid: int) -> int | None:
    """The kernel's peak resident set (bytes), or None off Linux."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


@dataclass
class Served:
    """A serving subprocess: where it listens, how long it took to be ready, its memory."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    ready_s: float = 0.0
    sampler: RssSampler | None = None
    peak_rss: int = 0
    rss_at_ready: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def events_url(self) -> str:
        return self.url + "/slack/events"

    def current_peak(self) -> int:
        found = high_water_mark(self.process.pid) or 0
        sampled = self.sampler.peak if self.sampler else 0
        return max(found, sampled)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.peak_rss = self.current_peak()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.sampler is not None:
            self.sampler.stop()


def _wait_ready(served: Served, timeout: float) -> None:
    started = time.perf_counter()
    deadline = started + timeout
    while time.perf_counter() < deadline:
        if served.process.poll() is not None:
            tail = served.log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{served.name} exited during start-up:\n{tail}")
        try:
            with urllib.request.urlopen(served.url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.01)
    served.stop()
    raise RuntimeError(f"{served.name} was not ready after {timeout:.0f} s")


def spawn(name: str, args: list[str], env: dict[str, str], workdir: Path, port: int) -> Served:
    """Start ``python -m ...args`` and wait for ``/healthz``; time it from the spawn."""
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=workdir,  # so no stray .env of the caller's is read
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = Served(name=name, process=process, port=port, log_path=log_path)
    served.sampler = RssSampler(process.pid)
    _wait_ready(served, READY_TIMEOUT_S)
    served.ready_s = time.perf_counter() - started
    served.rss_at_ready = psutil.Process(process.pid).memory_info().rss
    return served


def spawn_clerk(
    env: dict[str, str], workdir: Path, *, scheduler: bool = False, at: str | None = None
) -> Served:
    port = free_port()
    args = ["bot.cli", "run", "--host", "127.0.0.1", "--port", str(port)]
    if not scheduler:
        args.append("--no-scheduler")
    if at:
        args += ["--at", at]
    return spawn("clerk-run" + ("-scheduler" if scheduler else ""), args, env, workdir, port)


def spawn_floor(env: dict[str, str], workdir: Path) -> Served:
    port = free_port()
    return spawn("bare-bolt", ["bot.tools.bench.floor", "--port", str(port)], env, workdir, port)
