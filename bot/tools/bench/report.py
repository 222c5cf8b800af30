"""The benchmark's results: the machine, the targets, a printed table and the JSON document.

Results are plain dicts (they go to JSON as they are). Targets are checked on the largest
firm measured, against figures from the same run; a figure that could not be measured (a
feature missing from this build) is ``n/a`` and is neither met nor missed.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

MAX_GROWTH = 1.5  # p99 large / small
MAX_OVER_FLOOR = 3.0  # Clerk p50 / bare bolt p50; digest build / plain SQL
MAX_RSS_MB = 250
MAX_READY_S = 3.0
# the busiest morning through Slack's limits (``bot.tools.bench.delivery``)
MAX_TO_LAST_MESSAGE_S = 120.0
MAX_CALLS_PER_MESSAGE = 1.05
MAX_DMS_PER_PERSON = 1

Out = Callable[[str], None]


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": [round(x, 2) for x in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
    }


def git_commit() -> str | None:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parents[2],
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None


def _get(data: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _check(name: str, value: float | None, limit: float, unit: str = "") -> dict[str, Any]:
    return {
        "target": name,
        "value": None if value is None else round(value, 2),
        "limit": limit,
        "unit": unit,
        "met": None if value is None else value <= limit,
    }


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of the issue, per backend, on the largest firm measured."""
    checks: list[dict[str, Any]] = []
    largest = results["sizes"][-1]
    compare = len(results["sizes"]) > 1
    for backend, data in results["backends"].items():
        for key, command in data.get("commands", {}).items():
            if key.startswith("floor"):
                continue
            label = f"{backend} {command['label']}"
            if compare:
                for kind in ("ack", "reply"):
                    checks.append(
                        _check(
                            f"{label}: {kind} p99 large/small",
                            command.get(f"growth_{kind}"),
                            MAX_GROWTH,
                        )
                    )
            checks.append(
                _check(
                    f"{label}: ack p50 / bare bolt", command.get("over_floor_ack"), MAX_OVER_FLOOR
                )
            )
        for name, job in (_get(data, "digests", largest) or {}).items():
            checks.append(
                _check(f"{backend} {name}: build / plain SQL", job.get("ratio"), MAX_OVER_FLOOR)
            )
        server = _get(data, "server", largest) or {}
        checks.append(
            _check(f"{backend} serving peak RSS", server.get("peak_rss_mb"), MAX_RSS_MB, "MB")
        )
        checks.append(
            _check(f"{backend} ready after start", server.get("ready_s"), MAX_READY_S, "s")
        )
        scheduled = _get(data, "scheduler_run") or {}
        if scheduled:
            checks.append(
                _check(
                    f"{backend} peak RSS with the morning jobs",
                    scheduled.get("peak_rss_mb"),
                    MAX_RSS_MB,
                    "MB",
                )
            )
        checks += _delivery_checks(backend, data.get("delivery") or {})
    return checks


def _delivery_checks(backend: str, found: dict[str, Any]) -> list[dict[str, Any]]:
    if not found:
        return []
    label = f"{backend} 08:00 through Slack's limits"
    return [
        _check(
            f"{label}: to the last message", found["to_last_message_s"], MAX_TO_LAST_MESSAGE_S, "s"
        ),
        _check(f"{label}: calls per message", found["calls_per_message"], MAX_CALLS_PER_MESSAGE),
        _check(
            f"{label}: 429s after the first minute", found["rate_limited_after_first_minute"], 0
        ),
        _check(f"{label}: DMs to one person", found["most_dms_to_one_person"], MAX_DMS_PER_PERSON),
    ]


def _ms(summary: dict[str, Any] | None, key: str) -> str:
    if not summary:
        return "n/a"
    return f"{summary[key]:.1f}"


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _print_delivery(backend: str, found: dict[str, Any] | None, out: Out) -> None:
    if not found:
        return
    memory = found.get("memory") or {}
    sample, whole = memory.get("sample") or {}, memory.get("all") or {}
    out("")
    out(f"== {backend}: the 08:00 through Slack's limits (100 ms a call, a post/s/channel) ==")
    out(
        f"  {found['messages_sent']} messages ({found['channel_posts']} channel posts, "
        f"{found['dms']} DMs to {found['people']} people; {found['held_for_readers_mornings']} "
        f"held for readers' own mornings); the briefings hold {found['briefing_items']} items; "
        f"{found.get('later_jobs_held', 0)} later jobs' messages left for after the replay"
    )
    out(
        f"  08:00 to the last message {found['to_last_message_s']:.1f} s (jobs "
        f"{found['jobs_build_s']:.1f} s, delivery {found['delivery_s']:.1f} s); "
        f"{found['calls_per_message']:.3f} calls a message {found['calls_by_method']}; "
        f"429s {found['rate_limited']} ({found['rate_limited_after_first_minute']} after the "
        f"first minute); at most {found['most_dms_to_one_person']} DM to one person"
    )
    out(
        f"  before: {found['before_per_item_dms']} per-item DMs, each after a conversations.open "
        f"(Tier 3, 50 a minute): {found['before_open_minutes']:.0f} min of opens alone"
    )
    if sample and whole:
        out(
            f"  delivery peak Python memory: {sample['peak_kib']:.0f} KiB for "
            f"{sample['messages']} messages, {whole['peak_kib']:.0f} KiB for {whole['messages']}"
        )


def print_report(results: dict[str, Any], out: Out) -> None:
    sizes = results["sizes"]
    m = results["machine"]
    out("")
    out(
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']}, "
        f"Python {m['python']}, SQLite {m['sqlite']}"
    )
    for backend, data in results["backends"].items():
        _print_delivery(backend, data.get("delivery"), out)
        if not data.get("commands"):
            continue
        out("")
        out(f"== {backend}: slash commands (ms, {results['rounds']} timed requests each) ==")
        head = f"{'command':<30}"
        for size in sizes:
            head += f" {size + ' ack p50/p99':>18} {size + ' reply p50/p99':>20}"
        if len(sizes) > 1:
            head += f" {'ack p99 L/S':>11} {'reply p99 L/S':>13}"
        head += f" {'ack p50/floor':>13}"
        out(head)
        for key, command in data.get("commands", {}).items():
            line = f"{command['label']:<30}"
            for size in sizes:
                figures = command.get(size, {})
                ack, reply = figures.get("ack"), figures.get("reply")
                line += f" {_ms(ack, 'p50') + ' / ' + _ms(ack, 'p99'):>18}"
                line += f" {_ms(reply, 'p50') + ' / ' + _ms(reply, 'p99'):>20}"
            if len(sizes) > 1:
                line += (
                    f" {_x(command.get('growth_ack')):>11} {_x(command.get('growth_reply')):>13}"
                )
            line += f" {'' if key.startswith('floor') else _x(command.get('over_floor_ack')):>13}"
            out(line)
            for size in sizes:
                outcomes = command.get(size, {}).get("outcomes", {})
                odd = {k: v for k, v in outcomes.items() if k != "ok"}
                if odd:
                    examples = command.get(size, {}).get("examples", {})
                    shown = "; ".join(
                        f"{k} x{v}: {examples.get(k, '')[:90]}" for k, v in odd.items()
                    )
                    out(f"{'':<4}{size}: {shown}")
        for size in sizes:
            digests = _get(data, "digests", size)
            if not digests:
                continue
            out("")
            out(f"-- {backend} {size}: morning jobs (median ms) --")
            out(
                f"{'job':<20} {'build':>9} {'plain SQL':>10} {'ratio':>7} {'messages':>9} "
                f"{'rows':>7} {'stmts':>6} {'peak KiB':>9}"
            )
            for name, job in digests.items():
                if job.get("error"):
                    out(f"{name:<20} error: {job['error']}")
                    continue
                build = "n/a" if job["build_ms"] is None else f"{job['build_ms']:.1f}"
                floor = "n/a" if job["floor_ms"] is None else f"{job['floor_ms']:.1f}"
                peak = "n/a" if job["peak_kib"] is None else f"{job['peak_kib']:.0f}"
                out(
                    f"{name:<20} {build:>9} {floor:>10} {_x(job['ratio']):>7} "
                    f"{job['messages']:>9} {job['floor_rows']:>7} {job['statements']:>6} {peak:>9}"
                )
        out("")
        for size in sizes:
            server = _get(data, "server", size) or {}
            if server:
                out(
                    f"{backend} {size}: ready in {server['ready_s']:.2f} s; serving peak RSS "
                    f"{server['peak_rss_mb']:.0f} MB (at ready {server['rss_at_ready_mb']:.0f} MB)"
                )
        scheduled = data.get("scheduler_run")
        if scheduled:
            out(
                f"{backend} {sizes[-1]} with the morning jobs ({scheduled['day']}): peak RSS "
                f"{scheduled['peak_rss_mb']:.0f} MB; jobs {scheduled.get('jobs')}"
            )
    dates = results.get("dates")
    if dates:
        out("")
        out(
            f"== dates ({', '.join(dates['languages'])}): Clerk {dates['clerk_us_per_phrase']:.0f} "
            f"µs/phrase vs dateparser {dates['dateparser_us_per_phrase']:.0f} µs/phrase "
            f"({dates['ratio']:.2f}x); warm-up {dates['warm_up_ms']:.0f} ms =="
        )
        for phrase in dates["phrases"][:5]:
            out(
                f"  slowest: {phrase['phrase']!r:<45} Clerk {phrase['clerk_us']:>8.0f} µs"
                f"   dateparser {phrase['dateparser_us']:>8.0f} µs"
            )
    out("")
    out("== targets ==")
    for check in results["targets"]:
        state = "n/a" if check["met"] is None else ("met" if check["met"] else "MISSED")
        value = "n/a" if check["value"] is None else f"{check['value']}{check['unit']}"
        out(f"  [{state:>6}] {check['target']}: {value} (limit {check['limit']}{check['unit']})")
