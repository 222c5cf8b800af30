"""``clerk import KIND FILE.csv`` and ``clerk export KIND``."""

from __future__ import annotations

import argparse
import sys

from bot.settings import load_settings
from bot.transfer import KIND_MODULES, ImportFailed, export_csv, import_csv
from storage.db import Database
from storage.migrate import require_up_to_date


def add_import(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("import", help="import a CSV file (all rows or none)")
    parser.add_argument("kind", choices=KIND_MODULES)
    parser.add_argument("file", type=argparse.FileType("r", encoding="utf-8-sig"))
    parser.add_argument("--as", dest="actor", default="system", help="Slack id to audit as")
    parser.set_defaults(handler=run_import)


def add_export(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("export", help="write a CSV file with a header row to stdout")
    parser.add_argument("kind", choices=KIND_MODULES)
    parser.set_defaults(handler=run_export)


def _db() -> Database:
    db = Database(load_settings().database_url)
    require_up_to_date(db)
    return db


def run_import(args: argparse.Namespace) -> int:
    try:
        count = import_csv(_db(), args.kind, args.file, actor=args.actor)
    except ImportFailed as failed:
        print(failed.message, file=sys.stderr)
        return 1
    print(f"Imported {count} {args.kind}.", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    count = export_csv(_db(), args.kind, sys.stdout)
    print(f"Exported {count} {args.kind}.", file=sys.stderr)
    return 0
