"""Building a running Clerk: the services, the Slack Web API client and the bolt app.

There are no module-level side effects: tests, the demo and ``clerk run`` each build their
own Clerk with their own settings, clock and (for tests) Slack stand-in.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.clock import Clock
from bot.firm.firm_settings import FirmSettings
from bot.firm.users import UserDirectory
from bot.settings import Settings, SettingsError
from bot.slack_retry import slack_retry_handlers
from storage.db import Database

SLACK_TIMEOUT_S = 10


def make_web_client(settings: Settings) -> WebClient:
    """A Web API client at ``SLACK_API_URL`` that rides out 429s and Slack's 5xx blips."""
    base_url = settings.slack_api_url
    if not base_url.endswith("/"):
        base_url += "/"
    return WebClient(
        token=settings.slack_bot_token or None,
        base_url=base_url,
        timeout=SLACK_TIMEOUT_S,
        retry_handlers=slack_retry_handlers(),
    )


def build_clerk(
    settings: Settings,
    *,
    clock: Clock | None = None,
    client: WebClient | None = None,
    db: Database | None = None,
) -> Clerk:
    from bot.billing.notices import load_notices
    from handlers.kernel.profiles import slack_profiles
    from handlers.scheduled import proactive

    load_notices(settings.templates_dir)  # a bad notice template stops start-up, naming it
    clock = clock or Clock()
    client = client or make_web_client(settings)
    # Every row and audit entry this Clerk writes is stamped by its own clock (--at, tests).
    db = (db or Database(settings.database_url)).with_clock(clock.now)
    directory = UserDirectory(db, slack_profiles(client), settings.admins, clock.now)
    return Clerk(
        settings=settings,
        db=db,
        clock=clock,
        client=client,
        directory=directory,
        firm=FirmSettings(db, settings),
        proactive=proactive(),
    )


def start_scheduler(clerk: Clerk) -> Any:
    """Start the in-process scheduler (``schedules.runner``) for ``clerk``'s jobs."""
    from schedules.runner import start

    return start(clerk)


def create_app(
    clerk: Clerk, *, socket_mode: bool = False, listener_executor: Executor | None = None
) -> App:
    """The bolt app with every listener registered once.

    Request verification stays on in HTTP mode: without the signing secret anyone who can
    reach the port could act as any lawyer, so Clerk refuses to start.
    """
    from handlers import register_all

    settings = clerk.settings
    if not settings.slack_bot_token:
        raise SettingsError("SLACK_BOT_TOKEN is required (the xoxb- token of the Slack app).")
    if not socket_mode and not settings.slack_signing_secret:
        raise SettingsError(
            "SLACK_SIGNING_SECRET is required in HTTP mode: Clerk verifies every request."
        )
    app = App(
        # named: bolt otherwise names the app after its caller's file through
        # inspect.stack(), which resolves the path of every loaded module (0.1-0.2 s of start-up)
        name="clerk",
        client=clerk.client,
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=not socket_mode,
        process_before_response=False,
        listener_executor=listener_executor,
        token_verification_enabled=True,
    )
    register_all(app, clerk)
    return app
