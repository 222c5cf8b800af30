"""The ``clerk`` command: run, demo, migrate, digest, import/export, seed, bench, backup.

Each subcommand lives in its own module and registers itself here; this file only parses
arguments and turns configuration errors into one clear line and a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from bot.errors import ClerkError
from storage.migrate import NotMigrated

# (module, function that adds the subcommand's parser)
SUBCOMMANDS = [
    ("bot.commands.serve", "add_run"),
    ("bot.commands.serve", "add_migrate"),
    ("bot.tools.demo", "add_demo"),
    ("bot.commands.digest", "add_digest"),
    ("bot.commands.transfer", "add_import"),
    ("bot.commands.transfer", "add_export"),
    ("bot.commands.seed", "add_seed"),
    ("bot.tools.bench.cli", "add_bench"),
    ("bot.commands.backup", "add_backup"),
    ("bot.commands.backup", "add_restore"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clerk", description="Clerk: deadlines, client contacts and balances in Slack."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name, adder in SUBCOMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if not exc.name or not module_name.startswith(exc.name):
                raise
            continue  # a subcommand whose feature is not installed in this build
        add: Callable[[argparse._SubParsersAction], None] = getattr(module, adder, None)  # type: ignore[type-arg,assignment]
        if add is not None:
            add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # slack_bolt logs request bodies at DEBUG; keep client data out of INFO logs.
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        return int(args.handler(args) or 0)
    except ClerkError as exc:
        print(f"clerk: {exc.message}", file=sys.stderr)
        return 2
    except NotMigrated as exc:
        print(f"clerk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
