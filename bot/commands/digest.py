"""``clerk digest --dry-run [--at TIME]``: print the day's posts and DMs; send nothing."""

from __future__ import annotations

import argparse
from datetime import datetime, time

from bot.clock import Clock, parse_at
from bot.errors import ClerkError
from bot.settings import load_settings


def add_digest(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("digest", help="show what today's scheduled jobs would send")
    parser.add_argument("--dry-run", action="store_true", required=True, help="send nothing")
    parser.add_argument("--at", help='up to TIME (firm time), e.g. "2026-12-01 08:00"')
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.app import build_clerk
    from bot.standin.render import render_message
    from schedules.dryrun import plan
    from storage.db import Database
    from storage.migrate import NotMigrated, require_up_to_date

    settings = load_settings()
    db = Database(settings.database_url)
    try:
        require_up_to_date(db)
    except NotMigrated as exc:
        raise ClerkError(str(exc)) from exc
    at = parse_at(args.at, settings.tz) if args.at else None
    if at is None:
        today = Clock().now_in(settings.tz).date()
        at = datetime.combine(today, time(23, 59), tzinfo=settings.tz)
    clerk = build_clerk(settings, clock=Clock(at), db=db)
    found = plan(clerk, at)
    if not found:
        print(f"Nothing would be sent on {at:%a %-d %b %Y} up to {at:%H:%M}.")
    for when, item in found:
        where = f"DM to {item.target}" if item.target[:1] in "UW" else f"#{item.target}"
        print(f"── {when:%a %-d %b %H:%M} · {where} · {item.kind} ──")
        print(render_message(item.message.payload(), {}))
        print()
    return 0
