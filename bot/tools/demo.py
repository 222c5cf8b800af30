"""``clerk demo``: the real bot, a local Slack stand-in, a sample firm and a prompt.

Nothing here imitates Clerk: the demo starts the same bolt app ``clerk run`` serves, over
HTTP, with the Web API pointed at the stand-in. What a person types (``as @lena /deadline
…``) is sent as a signed slash command, DM event or button press, and everything Slack would
show (ephemeral replies, DMs, channel posts, modals, files) is rendered as text.
"""

from __future__ import annotations

import argparse
import secrets
import socket
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot.app import start_scheduler
from bot.clock import Clock, parse_at

DEMO_DB = "clerk-demo.db"
PROMPT_HELP = """\
Type what a person would type in Slack, as one of the sample firm's people:
  as @lena /deadline ACME-1 Answer 21 days after Dec 1
  as @bill /balance overdue
  as @bill /payment list ACME      (a client's payments, newest first)
  as @lena dm log call with ACME: agreed to mediation     (a DM to Clerk)
  press 1            press the first button of the last reply (press 2, 3, ... for others)
  wait 10            let 10 seconds pass (with --at, watch the 08:00 posts arrive)
  /client ACME       (without "as", the last person you used; @lena at first)
  people | help | quit
"""


def add_demo(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("demo", help="try Clerk against a local Slack stand-in")
    parser.add_argument("--script", type=Path, help="run lines from FILE and exit")
    parser.add_argument("--at", help='start the clock at TIME, e.g. "2026-12-01 08:00"')
    parser.add_argument("--database", default=DEMO_DB, help=f"SQLite file (default {DEMO_DB})")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database file instead of starting afresh"
    )
    parser.add_argument("--no-scheduler", action="store_true", help="no scheduled posts")
    parser.set_defaults(handler=run_demo)


@dataclass
class DemoSession:
    """What the prompt needs between lines: who is typing and the last reply's buttons."""

    driver: Any
    standin: Any
    users: dict[str, str]  # slack id -> handle
    out: TextIO
    current: str = "U0LENA"
    buttons: list[tuple[str, str, str, dict[str, Any] | None]] = field(default_factory=list)
    printed_calls: int = 0
    printed_replies: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle_of(self, text: str) -> str | None:
        wanted = text.lstrip("@").lower()
        for slack_id, handle in self.users.items():
            if handle == wanted or slack_id.lower() == wanted:
                return slack_id
        return None


def _buttons_in(payload: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    for block in payload.get("blocks") or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("type") == "button":
                yield element["text"]["text"], element["action_id"], element.get("value", "")
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "button":
            yield accessory["text"]["text"], accessory["action_id"], accessory.get("value", "")


def flush_output(session: DemoSession) -> None:
    """Print everything Slack would have shown since the last flush."""
    from bot.tools.standin.render import describe_call, render_message

    with session.lock:
        replies = session.standin.responses()[session.printed_replies :]
        calls = session.standin.calls()[session.printed_calls :]
        session.printed_replies += len(replies)
        session.printed_calls += len(calls)
        new_buttons: list[tuple[str, str, str, dict[str, Any] | None]] = []
        for reply in replies:
            shown = (
                "in the channel"
                if reply.get("response_type") == "in_channel"
                else ("only visible to you")
            )
            print(f"── {shown} ──", file=session.out)
            print(render_message(reply, session.users), file=session.out)
            new_buttons += [(t, a, v, None) for t, a, v in _buttons_in(reply)]
        for call in calls:
            described = describe_call(call, session.users)
            if described:
                print(described, file=session.out)
            if call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
                new_buttons += [
                    (t, a, v, dict(call.params)) for t, a, v in _buttons_in(call.params)
                ]
        if new_buttons:
            session.buttons = new_buttons
            labels = "  ".join(f"[{i}] {t}" for i, (t, *_rest) in enumerate(new_buttons, 1))
            print(f"   buttons: {labels}   (type: press N)", file=session.out)
        session.out.flush()


def run_line(session: DemoSession, line: str) -> bool:
    """Run one prompt line; False when the user asked to quit."""
    line = line.strip()
    if not line or line.startswith("#"):
        return True
    print(f"\n» {line}", file=session.out)
    words = line.split(maxsplit=2)
    lowered = words[0].lower()
    if lowered in ("quit", "exit"):
        return False
    if lowered == "help":
        print(PROMPT_HELP, file=session.out)
        return True
    if lowered == "wait" and len(words) > 1 and words[1].isdigit():
        time.sleep(min(int(words[1]), 120))  # let scheduled posts arrive (the clock runs on)
        flush_output(session)
        return True
    if lowered == "people":
        for slack_id, handle in session.users.items():
            print(f"  @{handle:<6} {slack_id}", file=session.out)
        return True
    if lowered == "as" and len(words) >= 3:
        who = session.handle_of(words[1])
        if who is None:
            print(f"  no such person {words[1]}; type people", file=session.out)
            return True
        session.current = who
        line = words[2]
    if line.lower().startswith("press"):
        return _press(session, line)
    if line.lower().startswith("dm "):
        session.driver.dm(session.current, line[3:].strip())
    elif line.startswith("/"):
        command, _, text = line.partition(" ")
        session.driver.command(session.current, command, text.strip())
    else:
        print("  start with /command, dm, press, or 'as @person'. Type help.", file=session.out)
        return True
    flush_output(session)
    return True


def _press(session: DemoSession, line: str) -> bool:
    parts = line.split()
    index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
    if not 1 <= index <= len(session.buttons):
        print("  no such button in the last reply", file=session.out)
        return True
    _label, action_id, value, message = session.buttons[index - 1]
    channel = (message or {}).get("channel", "C_GENERAL")
    session.driver.action(
        session.current,
        action_id,
        value,
        channel_id=channel,
        message=message and {"ts": message.get("ts", ""), "text": message.get("text", "")},
        ephemeral=message is None,
    )
    flush_output(session)
    return True


@contextmanager
def demo_clerk(args: argparse.Namespace, out: TextIO) -> Iterator[DemoSession]:
    from bot.app import build_clerk, create_app
    from bot.calendar_http import CalendarFeeds
    from bot.executor import TrackingExecutor
    from bot.server import base_url, make_server, serve_in_background, stop_server
    from bot.settings import Settings
    from bot.tools.demo_firm import CHANNELS, PEOPLE, seed
    from bot.tools.standin.driver import SlackDriver
    from bot.tools.standin.server import SlackStandIn
    from storage.db import Database
    from storage.migrate import upgrade

    db_path = Path(args.database)
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    standin = SlackStandIn()
    standin.start()
    for person in PEOPLE:
        standin.add_user(person.slack_id, person.handle, tz=person.tz, real_name=person.real_name)
    for channel_id, name in CHANNELS.items():
        standin.add_channel(channel_id, name)
    secret = secrets.token_hex(16)
    port = free_port()  # known before Clerk is built, so its feed URLs point at this server
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-demo",
        slack_signing_secret=secret,
        slack_app_token="",
        slack_api_url=standin.url,
        database_url=f"sqlite:///{db_path.resolve()}",
        admins=["U0ADA"],
        deadlines_channel="C0DEADLINES",
        billing_channel="C0BILLING",
        reports_channel="C0REPORTS",
        public_url=f"http://127.0.0.1:{port}",
    )
    clock = Clock(parse_at(args.at, settings.tz) if args.at else None)
    db = Database(settings.database_url)
    upgrade(db)
    if not args.keep:
        seed(db, clock.now_in(settings.tz).date(), settings.tz, now=clock.now())
    clerk = build_clerk(settings, clock=clock, db=db)
    clerk.warm_up()
    executor = TrackingExecutor()
    app = create_app(clerk, listener_executor=executor)
    server = make_server(app, db, host="127.0.0.1", port=port, calendars=CalendarFeeds(clerk))
    thread = serve_in_background(server)
    driver = SlackDriver(
        base_url(server) + "/slack/events", secret, standin, wait_idle=executor.wait_idle
    )
    users = {p.slack_id: p.handle for p in PEOPLE} | {"U_CLERK": "clerk"}
    session = DemoSession(driver=driver, standin=standin, users=users, out=out)
    scheduler = None if args.no_scheduler else start_scheduler(clerk)
    try:
        yield session
    finally:
        if scheduler is not None:
            scheduler.stop()
        stop_server(server, thread)
        executor.wait_idle(timeout=10)
        executor.shutdown(wait=False)
        db.dispose()
        standin.stop()


def free_port() -> int:
    """A port nobody listens on now (the OS picks it; the demo binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _printer(session: DemoSession, stop: threading.Event) -> None:
    """Show scheduled posts as they arrive while the prompt waits for input."""
    while not stop.wait(0.5):
        flush_output(session)


def _lines(args: argparse.Namespace) -> Iterable[str]:
    if args.script:
        yield from args.script.read_text(encoding="utf-8").splitlines()
        return
    while True:
        try:
            yield input("clerk> ")
        except EOFError:
            return


def run_demo(args: argparse.Namespace) -> int:
    out = sys.stdout
    with demo_clerk(args, out) as session:
        print("Clerk demo: the real bot against a local Slack stand-in.", file=out)
        print(PROMPT_HELP, file=out)
        if args.at:
            print(f"The clock starts at {args.at} (firm time).", file=out)
        flush_output(session)
        stop = threading.Event()
        printer = None
        if not args.script:
            printer = threading.Thread(target=_printer, args=(session, stop), daemon=True)
            printer.start()
        for line in _lines(args):
            if not run_line(session, line):
                break
        if args.script and args.at:
            time.sleep(1.0)  # let a post due at the scripted time arrive before exiting
        flush_output(session)
        stop.set()
    return 0
