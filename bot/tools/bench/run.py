"""One benchmark run: per backend, per firm size, serve, time, measure; then the report.

The order matters for fairness: every figure a target compares comes from this run, on this
machine, minutes apart. The large firm's morning jobs run once in a real ``clerk run`` with
its scheduler (the first morning, stages recorded, messages delivered to the stand-in)
before the in-process job timings, so those time a steady morning, not the first one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.tools.bench import delivery, digests, latency, report, scenarios
from bot.tools.bench.firms import BenchFirm, prepare_firm
from bot.tools.bench.processes import Served, clerk_env, compile_bytecode, spawn_clerk, spawn_floor
from bot.tools.bench.stats import ratio, summarize
from bot.tools.seeding import shape_named, slack_id_for
from bot.tools.standin.server import SlackStandIn
from storage.db import Database
from storage.models import JobRun, JobRunStatus, OutboxMessage, OutboxStatus

FIRM_ZONE = "America/New_York"
MB = 2**20


@dataclass
class Options:
    size: str
    postgres: str | None
    rounds: int
    warmup: int
    repeats: int
    workdir: Path
    fresh: bool
    # the large firm's morning is the first working Monday on or after this day with no run
    # in its job ledger yet (None: from today)
    morning: date | None = None
    # only the morning delivered through Slack's limits, on the largest firm
    delivery_only: bool = False


def _log(text: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {text}", flush=True)


def _today() -> date:
    return datetime.now(ZoneInfo(FIRM_ZONE)).date()


def _morning(db: Database, earliest: date | None = None) -> date:
    """A working Monday (every job runs on Mondays) on or after ``earliest`` (default today)
    with no run in the job ledger yet."""
    import holidays

    with db.reading() as session:
        last = session.scalar(select(func.max(JobRun.slot)))
    day = earliest or _today()
    if last is not None:
        day = max(day, last.date() + timedelta(days=1))
    closed = holidays.country_holidays("US", years=range(day.year, day.year + 2))
    while day.weekday() != 0 or day in closed:
        day += timedelta(days=1)
    return day


def _standin(users: int) -> SlackStandIn:
    standin = SlackStandIn().start()
    for n in range(1, users + 1):
        standin.add_user(slack_id_for(n), f"member{n}", real_name=f"Member {n}")
    for channel, name in (
        ("C_DEADLINES", "deadlines"),
        ("C_BILLING", "billing"),
        ("C_REPORTS", "reports"),
        ("C_GENERAL", "general"),
    ):
        standin.add_channel(channel, name)
    return standin


def _commands(
    opts: Options, firms: list[BenchFirm], standin: SlackStandIn, floor: Served
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Time every scenario on every firm, each served by its own ``clerk run``, at once.

    The firms' servers run side by side and their requests are interleaved with each other
    and with the floor's, round by round: whatever else the machine is doing falls on the
    small and the large firm alike, so their ratio is not a measure of the neighbours.
    Returns ({size: {key: figures}}, {size: server figures}).
    """
    found: list[scenarios.Scenario] = []
    urls = {"floor": floor.events_url}
    served: dict[str, Served] = {}
    try:
        for firm in firms:
            size = firm.shape.name
            db = Database(firm.url)
            try:
                mine = scenarios.build_scenarios(db, _today(), with_floor=firm is firms[-1])
            finally:
                db.dispose()
            env = clerk_env(firm.url, standin.url, slack_id_for(1))
            served[size] = spawn_clerk(env, opts.workdir)
            urls[f"clerk:{size}"] = served[size].events_url
            _log(f"{firm.label}: clerk run ready in {served[size].ready_s:.2f} s")
            found += [
                replace(s, key=f"{size}:{s.key}", target=f"clerk:{size}")
                if s.target == "clerk"
                else replace(s, key=f"{size}:{s.key}")
                for s in mine
            ]
        _log(f"timing {len(found)} commands x {opts.warmup} + {opts.rounds} rounds")
        timer = latency.CommandTimer(standin, urls)
        step = max(1, (opts.warmup + opts.rounds) // 5)
        samples = latency.run_rounds(
            timer,
            found,
            warmup=opts.warmup,
            rounds=opts.rounds,
            progress=lambda n, total: _log(f"  round {n}/{total}") if n % step == 0 else None,
        )
    finally:
        for server in served.values():
            server.stop()
    commands: dict[str, dict[str, Any]] = {}
    for scenario in found:
        size, key = scenario.key.split(":", 1)
        got = samples[scenario.key]
        commands.setdefault(size, {})[key] = {
            "label": scenario.label,
            "ack": _dict(summarize(got.ack_ms)),
            "reply": _dict(summarize(got.reply_ms)),
            "outcomes": dict(got.outcomes),
            "examples": got.examples,
        }
    servers = {
        size: {
            "ready_s": round(server.ready_s, 3),
            "peak_rss_mb": round(server.peak_rss / MB, 1),
            "rss_at_ready_mb": round(server.rss_at_ready / MB, 1),
        }
        for size, server in served.items()
    }
    return commands, servers


def _dict(summary: Any) -> dict[str, Any] | None:
    return summary.as_dict() if summary is not None else None


def _scheduler_run(opts: Options, firm: BenchFirm, standin: SlackStandIn) -> dict[str, Any]:
    """``clerk run`` with its scheduler on a Monday at 08:31: every job catches up at start."""
    db = Database(firm.url)
    day = _morning(db, opts.morning)
    env = clerk_env(firm.url, standin.url, slack_id_for(1))
    at = f"{day.isoformat()} 08:31"
    started = datetime.fromisoformat(at).replace(tzinfo=ZoneInfo(FIRM_ZONE))  # Clerk's clock
    served = spawn_clerk(env, opts.workdir, scheduler=True, at=at)
    _log(f"{firm.label}: scheduler catching up the morning of {day}")
    try:
        jobs = _wait_for_morning(db, day, started, _jobs_on(day))
        delivered = len(standin.calls("chat.postMessage"))
    finally:
        served.stop()
        db.dispose()
    return {
        "day": day.isoformat(),
        "peak_rss_mb": round(served.peak_rss / MB, 1),
        "ready_s": round(served.ready_s, 3),
        "jobs": jobs,
        "messages_delivered": delivered,
    }


def _jobs_on(day: date) -> int:
    """How many scheduled jobs run on ``day``."""
    from handlers.scheduled import all_jobs

    return sum(job.runs_on(day) for job in all_jobs())


def _wait_for_morning(
    db: Database, day: date, started: datetime, expected: int, timeout: float = 300
) -> dict[str, float]:
    """Seconds each job took, once all have run and the first delivery round is over.

    Delivery is paced (a batch per tick, as Slack's rate limits ask), so a large firm's
    first morning takes minutes to send in full; the peak memory of building and starting
    to send is what is measured, not the wait.
    """
    since = datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(hours=12)
    deadline = time.monotonic() + timeout
    jobs: dict[str, float] = {}
    sent_before, steady_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        with db.reading() as session:
            runs = session.execute(
                select(JobRun.job, JobRun.status, JobRun.started_at, JobRun.finished_at).where(
                    JobRun.slot >= since
                )
            ).all()
            sent = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.SENT,
                    OutboxMessage.sent_at >= started,
                )
            )
        done = [r for r in runs if r.status is not JobRunStatus.RUNNING]
        if sent != sent_before:
            sent_before, steady_since = sent or 0, time.monotonic()
        if len(done) >= expected:
            jobs = {
                r.job: round((r.finished_at - r.started_at).total_seconds(), 2)
                for r in done
                if r.finished_at is not None
            }
            if sent_before > 0 and time.monotonic() - steady_since > 3:
                break
        time.sleep(0.5)
    return jobs


def _delivery(firm: BenchFirm, day: date) -> dict[str, Any]:
    _log(f"{firm.label}: delivering the 08:00 of {day} again, through Slack's limits")
    return delivery.measure_delivery(firm.url, day, zone=ZoneInfo(FIRM_ZONE))


def run_delivery(opts: Options) -> dict[str, Any]:
    """The morning through Slack's limits only: seed (or reuse) the firm, let a real
    ``clerk run`` build and send its Monday, then replay the 08:00 through the limits."""
    shape = shape_named(opts.size)
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if opts.postgres:
        backends.append(("postgresql", opts.postgres))
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": report.git_commit(),
        "machine": report.machine(),
        "sizes": [opts.size],
        "rounds": 0,
        "warmup": 0,
        "backends": {},
    }
    standin = _standin(shape.users)
    try:
        for backend, postgres in backends:
            firm = prepare_firm(
                shape, workdir=opts.workdir, postgres=postgres, fresh=opts.fresh, log=_log
            )
            data: dict[str, Any] = {"scheduler_run": _scheduler_run(opts, firm, standin)}
            day = date.fromisoformat(data["scheduler_run"]["day"])
            data["delivery"] = _delivery(firm, day)
            results["backends"][backend] = data
    finally:
        standin.stop()
    results["targets"] = report.evaluate(results)
    return results


def run(opts: Options) -> dict[str, Any]:
    if opts.delivery_only:
        return run_delivery(opts)
    sizes = ["small"] if opts.size == "small" else ["small", opts.size]
    shapes = [shape_named(s) for s in sizes]
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if opts.postgres:
        backends.append(("postgresql", opts.postgres))
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": report.git_commit(),
        "machine": report.machine(),
        "sizes": sizes,
        "rounds": opts.rounds,
        "warmup": opts.warmup,
        "backends": {},
    }
    compile_bytecode()
    standin = _standin(max(shape.users for shape in shapes))
    floor = spawn_floor(clerk_env("sqlite://", standin.url, ""), opts.workdir)
    results["floor_process"] = {
        "ready_s": round(floor.ready_s, 3),
        "rss_at_ready_mb": round(floor.rss_at_ready / MB, 1),
    }
    try:
        for backend, postgres in backends:
            data: dict[str, Any] = {"firms": {}, "commands": {}, "server": {}, "digests": {}}
            results["backends"][backend] = data
            firms = [
                prepare_firm(
                    shape, workdir=opts.workdir, postgres=postgres, fresh=opts.fresh, log=_log
                )
                for shape in shapes
            ]
            for firm in firms:
                data["firms"][firm.shape.name] = {
                    "rows": firm.rows,
                    "seeded_on": firm.seeded_on,
                    "seed_seconds": None
                    if firm.seed_seconds is None
                    else round(firm.seed_seconds, 1),
                }
            by_size, data["server"] = _commands(opts, firms, standin, floor)
            for size, commands in by_size.items():
                for key, figures in commands.items():
                    entry = data["commands"].setdefault(key, {"label": figures.pop("label")})
                    figures.pop("label", None)
                    # the floor is served once: its figures stand for every size
                    for target_size in sizes if key.startswith("floor") else [size]:
                        entry[target_size] = figures
            for firm in firms:
                day = _next_monday()
                if firm is firms[-1]:
                    data["scheduler_run"] = _scheduler_run(opts, firm, standin)
                    day = date.fromisoformat(data["scheduler_run"]["day"])
                    data["delivery"] = _delivery(firm, day)
                _log(f"{firm.label}: timing the morning jobs of {day} in process")
                figures_by_job = digests.measure_jobs(
                    firm.url, standin.url, [slack_id_for(1)], day, repeats=opts.repeats
                )
                data["digests"][firm.shape.name] = {f.name: f.as_dict() for f in figures_by_job}
            _derive(data, sizes)
    finally:
        floor.stop()
        standin.stop()
    _log("timing the date engine")
    from bot.tools.bench.dates import measure_dates

    results["dates"] = measure_dates(["en"], repeats=max(3, opts.repeats))
    results["targets"] = report.evaluate(results)
    return results


def _next_monday() -> date:
    day = _today()
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _derive(data: dict[str, Any], sizes: list[str]) -> None:
    """Growth (p99 large / small) and the ratio of Clerk's p50 to the bare bolt floor."""
    commands = data["commands"]
    largest = sizes[-1]
    for key, command in commands.items():
        if len(sizes) > 1 and not key.startswith("floor"):
            for kind in ("ack", "reply"):
                small = (command.get(sizes[0]) or {}).get(kind) or {}
                large = (command.get(largest) or {}).get(kind) or {}
                command[f"growth_{kind}"] = _round(ratio(large.get("p99"), small.get("p99")))
        if key.startswith("floor"):
            continue
        for kind, floor_key in scenarios.FLOOR_OF.items():
            mine = ((command.get(largest) or {}).get(kind) or {}).get("p50")
            floor = ((commands.get(floor_key, {}).get(largest) or {}).get(kind) or {}).get("p50")
            command[f"over_floor_{kind}"] = _round(ratio(mine, floor))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
