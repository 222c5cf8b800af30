"""Reading a member's Slack profile (``users.info``) for the user directory, and keeping it
when Slack pushes a change (``user_change``): a member deactivated in Slack loses their Clerk
role at once, not at the next daily refresh."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.clerk import Clerk
from bot.firm.users import Profile, ProfileSource, ProfileUnavailable

log = logging.getLogger("clerk.profiles")


def profile_of(user: dict[str, Any]) -> Profile:
    """A Slack user object (``users.info``, a ``user_change`` event) as Clerk keeps it."""
    profile = user.get("profile") or {}
    return Profile(
        slack_id=str(user.get("id") or ""),
        name=user.get("name") or "",
        real_name=user.get("real_name") or profile.get("real_name") or "",
        tz=user.get("tz"),
        is_bot=bool(user.get("is_bot")),
        deleted=bool(user.get("deleted")),
    )


def slack_profiles(client: WebClient) -> ProfileSource:
    def fetch(slack_id: str) -> Profile | None:
        try:
            user = client.users_info(user=slack_id)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in ("user_not_found", "users_not_found"):
                return None
            raise ProfileUnavailable(str(exc.response.get("error"))) from exc
        except (SlackClientError, OSError) as exc:
            raise ProfileUnavailable(str(exc)) from exc
        return profile_of({**user, "id": slack_id})

    return fetch


def register(app: App, clerk: Clerk) -> None:
    @app.event("user_change")
    def changed(ack: Ack, event: dict[str, Any]) -> None:
        ack()
        user = event.get("user")
        if not isinstance(user, dict) or not user.get("id"):
            return
        profile = profile_of(user)
        if profile.deleted:
            log.info("member %s deactivated in Slack: Clerk role revoked", profile.slack_id)
        clerk.directory.note_profile(profile)
