"""``clerk run`` and ``clerk migrate``."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType
from typing import Any

from bot.app import start_scheduler
from bot.clock import Clock, parse_at
from bot.errors import ClerkError
from bot.settings import Settings, load_settings
from storage.checkpoints import start_checkpoints
from storage.db import Database
from storage.migrate import NotMigrated, require_up_to_date, upgrade

log = logging.getLogger("clerk.run")


def add_run(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("run", help="serve Slack (Socket Mode if SLACK_APP_TOKEN is set)")
    parser.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP bind address")
    parser.add_argument(
        "--no-scheduler", action="store_true", help="serve requests only (extra replicas)"
    )
    parser.add_argument("--at", help='start the clock at TIME, e.g. "2026-12-01 07:59:30"')
    parser.set_defaults(handler=run)


def add_migrate(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("migrate", help="apply database migrations")
    parser.set_defaults(handler=migrate)


def migrate(args: argparse.Namespace) -> int:
    settings = load_settings()
    db = Database(settings.database_url)
    upgrade(db)
    print(f"Database is up to date ({db.engine.url.render_as_string(hide_password=True)}).")
    return 0


class Shutdown(SystemExit):
    """Raised by the SIGTERM handler: waitress finishes requests in progress, then returns."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Shutdown()


def prepare(settings: Settings, at: str | None) -> Any:
    """Build a ready Clerk: migrated database, admins seeded, date parser warmed up."""
    from bot.app import build_clerk

    clock = Clock(parse_at(at, settings.tz) if at else None)
    db = Database(settings.database_url)
    try:
        require_up_to_date(db)
    except NotMigrated as exc:
        raise ClerkError(str(exc)) from exc
    db.refresh_planner_statistics()
    clerk = build_clerk(settings, clock=clock, db=db)
    clerk.directory.seed_admins()
    clerk.warm_up()
    return clerk


def _http_server(app: Any, clerk: Any, args: argparse.Namespace, settings: Settings) -> Any:
    """Clerk's HTTP port: Slack's requests (unless ``app`` is None), feeds and health."""
    from bot.calendar_http import CalendarFeeds
    from bot.server import make_server

    calendars = CalendarFeeds(clerk)
    calendars.warm_in_background()  # the first poll after a start finds its events cached
    return make_server(
        app,
        clerk.db,
        host=args.host,
        port=args.port,
        signing_secret=settings.slack_signing_secret,
        calendars=calendars,
    )


def run(args: argparse.Namespace) -> int:
    from bot.app import create_app
    from bot.executor import TrackingExecutor

    settings = load_settings()
    clerk = prepare(settings, args.at)
    socket_mode = bool(settings.slack_app_token)
    executor = TrackingExecutor()
    app = create_app(clerk, socket_mode=socket_mode, listener_executor=executor)
    checkpoints = start_checkpoints(clerk.db)
    scheduler = None
    if not args.no_scheduler:
        scheduler = start_scheduler(clerk)
    signal.signal(signal.SIGTERM, _on_sigterm)
    feeds_only: Any = None
    feeds_thread: threading.Thread | None = None
    handler: Any = None
    try:
        if socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            from bot.server import serve_in_background

            # Calendars poll over HTTP even when Slack talks over the websocket: --port
            # then serves the feeds and the health probe, and nothing of Slack's.
            feeds_only = _http_server(None, clerk, args, settings)
            feeds_thread = serve_in_background(feeds_only)
            log.info("Clerk serves calendar feeds at http://%s:%s/calendar/", args.host, args.port)
            log.info("Clerk is connecting to Slack in Socket Mode")
            handler = SocketModeHandler(app, settings.slack_app_token)
            handler.connect()
            threading.Event().wait()
        else:
            server = _http_server(app, clerk, args, settings)
            log.info("Clerk is serving Slack at http://%s:%s/slack/events", args.host, args.port)
            server.run()  # returns after SIGTERM, once requests in progress are answered
    except (Shutdown, KeyboardInterrupt):
        pass
    finally:
        log.info("Clerk is shutting down: finishing replies in progress")
        if handler is not None:
            # Take no new envelopes (Slack sends them to another connection, or again
            # later) while the replies in progress finish, as HTTP mode stops listening.
            handler.close()
        if feeds_only is not None:
            from bot.server import stop_server

            stop_server(feeds_only, feeds_thread)
        executor.wait_idle(timeout=25)
        executor.shutdown(wait=False)
        if scheduler is not None:
            scheduler.stop()
        if checkpoints is not None:
            checkpoints.stop()
        clerk.db.dispose()
    return 0
