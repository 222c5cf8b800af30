"""``clerk backup FILE`` and ``clerk restore FILE``.

SQLite: an online backup through SQLite's own backup API, safe while Clerk is serving (it
copies a consistent snapshot, WAL included). Restore copies a backup back over the database
after checking it is a Clerk database at a known migration. PostgreSQL has better tools of
its own (``pg_dump``/``pg_restore``, point-in-time recovery), so Clerk says so and stops.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.errors import ClerkError
from bot.settings import load_settings

PG_ADVICE = (
    "This Clerk uses PostgreSQL: back it up with the database's own tools, e.g. "
    "`pg_dump -Fc -d DBNAME -f clerk.dump` and `pg_restore -d DBNAME clerk.dump`, "
    "or your provider's point-in-time recovery."
)


def add_backup(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("backup", help="copy the SQLite database to FILE (online)")
    parser.add_argument("file", type=Path)
    parser.set_defaults(handler=run_backup)


def add_restore(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("restore", help="replace the SQLite database with a backup FILE")
    parser.add_argument("file", type=Path)
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.set_defaults(handler=run_restore)


def _sqlite_path() -> Path:
    url = make_url(load_settings().database_url)
    if url.get_backend_name() != "sqlite":
        raise ClerkError(PG_ADVICE)
    if not url.database or url.database == ":memory:":
        raise ClerkError("DATABASE_URL points at an in-memory database: nothing to back up.")
    return Path(url.database)


def backup(source: Path, target: Path) -> None:
    if target.exists():
        raise ClerkError(f"{target} already exists; choose a new file name.")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def _check_backup(path: Path) -> str:
    if not path.exists():
        raise ClerkError(f"{path} does not exist.")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            conn.execute("SELECT count(*) FROM audit_log").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ClerkError(f"{path} is not a Clerk database backup ({exc}).") from exc
    if row is None:
        raise ClerkError(f"{path} has no migration revision: not a Clerk backup.")
    return str(row[0])


def restore(backup_file: Path, target: Path) -> str:
    revision = _check_backup(backup_file)
    with sqlite3.connect(backup_file) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    return revision


def run_backup(args: argparse.Namespace) -> int:
    source = _sqlite_path()
    if not source.exists():
        raise ClerkError(f"There is no database at {source} yet.")
    backup(source, args.file)
    print(f"Backed up {source} to {args.file}.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    target = _sqlite_path()
    if not args.yes:
        answer = input(f"Replace {target} with {args.file}? Stop Clerk first. Type yes: ")
        if answer.strip().lower() != "yes":
            print("Nothing restored.")
            return 1
    revision = restore(args.file, target)
    print(f"Restored {target} from {args.file} (migration {revision}). Run `clerk migrate`.")
    return 0
