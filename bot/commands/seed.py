"""``clerk seed --size small|large [--database URL]``: a synthetic firm for benchmarks.

Migrates the database, then writes the firm in bulk (see ``bot.tools.seeding``). It refuses a
database that already holds clients, matters or invoices, so it cannot be pointed at a
firm's real records by mistake.
"""

from __future__ import annotations

import argparse

from bot.errors import ClerkError


def add_seed(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from bot.tools.seeding import DEFAULT_SEED, SIZES

    parser = sub.add_parser(
        "seed",
        help="fill an empty database with a synthetic firm (for benchmarks and rehearsals)",
        description="Generate a realistic synthetic law firm into an EMPTY database: members, "
        "clients, matters, years of contacts, deadlines, invoices and payments. Refuses a "
        "database that already holds a firm's records.",
    )
    parser.add_argument(
        "--size",
        choices=sorted(SIZES),
        default="small",
        help="small: 20 members, 800 clients; large: 500 members, 20,000 clients, "
        "1.3 million history rows (default small)",
    )
    parser.add_argument(
        "--database", metavar="URL", help="database URL (default: DATABASE_URL or clerk.db)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same firm)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from bot.tools.seeding import FirmNotEmpty, seed_firm, shape_named
    from storage.db import Database
    from storage.migrate import upgrade

    overrides = {"database_url": args.database} if args.database else {}
    settings = load_settings(**overrides)
    shape = shape_named(args.size)
    db = Database(settings.database_url)
    where = db.engine.url.render_as_string(hide_password=True)
    try:
        upgrade(db)
        print(f"Seeding a {shape.name} firm into {where} ({shape.total_target:,} rows planned)")
        try:
            report = seed_firm(
                db,
                shape,
                seed=args.seed,
                zone=settings.tz,
                progress=lambda step, seconds: print(f"  {step:<10} done at {seconds:6.1f} s"),
            )
        except FirmNotEmpty as exc:
            raise ClerkError(f"not seeding: {exc}.") from exc
    finally:
        db.dispose()
    for table, count in report.rows.items():
        print(f"  {table:<20} {count:>10,}")
    print(f"Done: {report.summary()} in {report.seconds:.1f} s (seed {report.seed}).")
    return 0
