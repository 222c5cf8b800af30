"""``clerk digest --dry-run [--at TIME]``: print the day's posts and DMs; send nothing."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import datetime, time

from bot.clock import Clock, parse_at
from bot.dates.format import format_day, format_stamp, format_time
from bot.errors import ClerkError
from bot.settings import load_settings


def add_digest(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "digest",
        help="show what the scheduled jobs would send today (sends nothing)",
        description="Print every post and DM the scheduled jobs would send from the start of "
        "TIME's day up to TIME (default: the whole of today), each with its time. Nothing is "
        "sent and nothing is written.",
    )
    parser.add_argument("--dry-run", action="store_true", required=True, help="send nothing")
    parser.add_argument("--at", help='up to TIME (firm time zone), e.g. "2026-12-01 08:00"')
    parser.set_defaults(handler=run)


def already_line(already: Mapping[str, int]) -> str:
    """The messages of the day a dry run leaves out, by outbox status: an operator checking
    a morning after it ran sees that they went (or are waiting), not a silent gap."""
    said = {"sent": "sent", "pending": "waiting to be sent", "sending": "being sent"}
    parts = [
        f"{already[status]} {said.get(status, status)}"
        for status in ("sent", "pending", "sending", "failed")
        if already.get(status)
    ]
    return (
        f"Already in the outbox, not listed again: {', '.join(parts)} "
        "(the real run queues nothing for them)."
    )


def run(args: argparse.Namespace) -> int:
    from bot.app import build_clerk
    from bot.tools.standin.render import render_message
    from schedules.dryrun import rehearse
    from storage.db import Database
    from storage.migrate import NotMigrated, require_up_to_date

    settings = load_settings()
    try:
        at = parse_at(args.at, settings.tz) if args.at else None
    except ValueError as exc:
        raise ClerkError(
            f'--at: could not read "{args.at}"; write e.g. "2026-12-01 08:00".'
        ) from exc
    db = Database(settings.database_url)
    try:
        require_up_to_date(db)
    except NotMigrated as exc:
        raise ClerkError(str(exc)) from exc
    if at is None:
        today = Clock().now_in(settings.tz).date()
        at = datetime.combine(today, time(23, 59, 59), tzinfo=settings.tz)
    clerk = build_clerk(settings, clock=Clock(at), db=db)
    try:
        rehearsal = rehearse(clerk, at)
    finally:
        db.dispose()
    found = rehearsal.found
    if not found:
        print(f"Nothing would be sent on {format_day(at)} up to {format_time(at)}.")
    for when, item in found:
        where = f"DM to {item.target}" if item.is_dm else f"post to {item.target}"
        print(f"── {format_stamp(when)} · {where} · {item.kind.replace('_', ' ')} ──")
        print(render_message(item.message.payload(), {}))
        print()
    if rehearsal.already:
        print(already_line(rehearsal.already))
    print(f"{len(found)} message{'s' if len(found) != 1 else ''} · dry run: nothing was sent.")
    return 0
