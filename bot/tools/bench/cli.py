"""``clerk bench [--size small|large] [--database URL] [--json FILE]``.

Seeds (or reuses) the firms, measures, prints the table and the targets, and writes the JSON
if asked. It exits 0 whenever it could measure, even when a target is missed or a feature is
absent from this build (shown as n/a): the figures are for people to read, CI only smokes it.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path


def add_bench(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "bench",
        help="measure Clerk on a small and a large synthetic firm (see docs/PERFORMANCE.md)",
        description="Seed (or reuse) a small and a large synthetic firm, serve each with a real "
        "`clerk run`, and time slash commands, the morning jobs, memory, start-up and the date "
        "engine against their floors. SQLite always; PostgreSQL too with --database.",
    )
    parser.add_argument(
        "--size",
        choices=("small", "large"),
        default="large",
        help="large (default): the small and the large firm, with growth ratios; "
        "small: the small firm only (a quick smoke test)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="also measure PostgreSQL: the benchmark works in its own schemas "
        "(clerk_bench_small, clerk_bench_large) of this database",
    )
    parser.add_argument("--json", metavar="FILE", help="write every figure to FILE as JSON")
    parser.add_argument(
        "--rounds", type=int, help="timed requests per command (default 200; 40 small)"
    )
    parser.add_argument("--warmup", type=int, help="untimed rounds first (default 10; 3 small)")
    parser.add_argument("--repeats", type=int, help="builds per morning job (default 5; 3 small)")
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        help="where SQLite firms and server logs are kept (default $CLERK_BENCH_DIR or "
        "TMPDIR/clerk-bench); a firm seeded there before is reused",
    )
    parser.add_argument("--fresh", action="store_true", help="seed the firms again")
    parser.add_argument(
        "--morning",
        metavar="YYYY-MM-DD",
        type=date.fromisoformat,
        help="time the large firm's morning jobs on the first working Monday from this day "
        "that has not run yet (default: from today; month-ends are the heaviest)",
    )
    parser.add_argument(
        "--delivery-only",
        action="store_true",
        help="only deliver the firm's busiest 08:00 through the stand-in with Slack's latency "
        "and rate limits (the --size firm; its Monday is built by a real clerk run first)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.tools.bench import report
    from bot.tools.bench.firms import default_workdir
    from bot.tools.bench.run import Options
    from bot.tools.bench.run import run as run_bench

    small = args.size == "small"
    opts = Options(
        size=args.size,
        postgres=args.database,
        rounds=args.rounds or (40 if small else 200),
        warmup=args.warmup if args.warmup is not None else (3 if small else 10),
        repeats=args.repeats or (3 if small else 5),
        workdir=Path(args.workdir) if args.workdir else default_workdir(),
        fresh=args.fresh,
        morning=args.morning,
        delivery_only=args.delivery_only,
    )
    opts.workdir.mkdir(parents=True, exist_ok=True)
    results = run_bench(opts)
    report.print_report(results, print)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"\nFigures written to {args.json}")
    return 0
