"""A report's chart, uploaded to the asker's DM: an ephemeral reply cannot carry a file."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackClientError

from handlers.kernel.commands import CommandRequest


def send_chart(request: CommandRequest, *, content: bytes, filename: str, title: str) -> str:
    """Upload ``content`` (PNG) to the asker's DM; what to tell them, sent or not (a failed
    upload still leaves them the figures)."""
    try:
        dm = request.client.conversations_open(users=request.actor.slack_id)["channel"]["id"]
        request.client.files_upload_v2(channel=dm, content=content, filename=filename, title=title)
    except SlackApiError as exc:
        return f"The chart could not be sent to your DM ({exc.response.get('error')})."
    except SlackClientError:
        return "The chart could not be sent to your DM (Slack did not answer); try again."
    return "The chart is in your DM with Clerk."
