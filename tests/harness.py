"""A whole Clerk for a test: database, Slack stand-in, the real bolt app over real HTTP.

Tests drive it with signed requests in Slack's own shapes (``harness.slack``) and read what
Slack would have shown from the stand-in. Each test gets a clean database: a copy of a
migrated SQLite file, or the PostgreSQL test database truncated.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.app import build_clerk, create_app
from bot.calendar_http import CalendarFeeds
from bot.clerk import Clerk
from bot.clock import Clock
from bot.executor import TrackingExecutor
from bot.server import base_url, make_server, serve_in_background, stop_server
from bot.settings import Settings
from bot.tools.standin.driver import SlackDriver
from bot.tools.standin.server import SlackStandIn
from storage.db import Database
from storage.models import Role, User

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"

# The sample firm's people: (slack id, name, role, Slack time zone)
PEOPLE = [
    ("U_ADMIN", "Ada Admin", Role.ADMIN, "America/New_York"),
    ("U_PAUL", "Paul Partner", Role.PARTNER, "America/New_York"),
    ("U_LENA", "Lena Lawyer", Role.LAWYER, "America/New_York"),
    ("U_MARK", "Mark Lawyer", Role.LAWYER, "America/Los_Angeles"),
    ("U_SAM", "Sam Staff", Role.STAFF, "America/Chicago"),
    ("U_BILL", "Bill Billing", Role.BILLING, "America/New_York"),
]
CHANNELS = {"C_DEADLINES": "deadlines", "C_BILLING": "billing", "C_REPORTS": "reports"}


def add_people(
    session: Session, checked_at: datetime, people: list[tuple[str, str, Role, str]] = PEOPLE
) -> None:
    """The sample firm's members, as an admin would have set their roles: the one way every
    test firm gets its people."""
    for slack_id, name, role, tz in people:
        session.add(
            User(
                slack_id=slack_id,
                name=name.split()[0].lower(),
                real_name=name,
                role=role,
                tz=tz,
                profile_checked_at=checked_at,
            )
        )
    session.flush()


def test_settings(database_url: str, standin_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_app_token": "",
        "slack_api_url": standin_url,
        "database_url": database_url,
        "timezone": "America/New_York",
        "admins": ["U_ADMIN"],
        "languages": ["en"],
        "date_order": None,
        "holidays": "US",
        "rules_dir": None,
        "deadlines_channel": "C_DEADLINES",
        "billing_channel": "C_BILLING",
        "reports_channel": "C_REPORTS",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Harness:
    clerk: Clerk
    standin: SlackStandIn
    slack: SlackDriver
    executor: TrackingExecutor
    url: str

    @property
    def db(self) -> Database:
        return self.clerk.db

    def user(self, slack_id: str) -> User:
        with self.db.reading() as session:
            found = session.scalars(select(User).where(User.slack_id == slack_id)).one()
            session.expunge(found)
            return found

    def add_people(self, people: list[tuple[str, str, Role, str]] = PEOPLE) -> None:
        """Create the firm's members with their roles (as an admin would have set them)."""
        with self.db.unit_of_work("test-setup") as session:
            add_people(session, self.clerk.now(), people)

    def count(self, model: type) -> int:
        from sqlalchemy import func

        with self.db.reading() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)


@contextmanager
def running_clerk(
    database_url: str, *, at: datetime | None = None, **overrides: Any
) -> Iterator[Harness]:
    standin = SlackStandIn()
    standin.start()
    for slack_id, name, _role, tz in PEOPLE:
        standin.add_user(slack_id, name.split()[0].lower(), tz=tz, real_name=name)
    for channel_id, name in CHANNELS.items():
        standin.add_channel(channel_id, name)
    settings = test_settings(database_url, standin.url, **overrides)
    clerk = build_clerk(settings, clock=Clock(at))
    executor = TrackingExecutor()
    app = create_app(clerk, listener_executor=executor)
    server = make_server(
        app, clerk.db, host="127.0.0.1", port=0, threads=8, calendars=CalendarFeeds(clerk)
    )
    thread = serve_in_background(server)
    url = base_url(server)
    driver = SlackDriver(
        url + "/slack/events", SIGNING_SECRET, standin, wait_idle=executor.wait_idle
    )
    try:
        yield Harness(clerk=clerk, standin=standin, slack=driver, executor=executor, url=url)
    finally:
        stop_server(server, thread)
        executor.wait_idle(timeout=10)
        executor.shutdown(wait=False)
        clerk.db.dispose()
        standin.stop()
