"""Reading a member's Slack profile (``users.info``) for the user directory."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.firm.users import Profile, ProfileSource, ProfileUnavailable


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
        profile = user.get("profile") or {}
        return Profile(
            slack_id=slack_id,
            name=user.get("name") or "",
            real_name=user.get("real_name") or profile.get("real_name") or "",
            tz=user.get("tz"),
            is_bot=bool(user.get("is_bot")),
            deleted=bool(user.get("deleted")),
        )

    return fetch
