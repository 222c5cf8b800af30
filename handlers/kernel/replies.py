"""Where the answer to a submitted form goes: a form has no ``response_url``.

Ephemeral in the channel the form was opened from, so only the person who filled it in sees
the receipt (it may name amounts or a client's details); a DM when that is not a channel Clerk
is in (or the form came from a DM or the App Home).
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.kernel.blocks import Message


def reply_privately(client: WebClient, user_id: str, channel: str, reply: Message) -> None:
    """Tell ``user_id`` ephemerally in ``channel`` if it is a channel, else by DM."""
    if channel[:1] in ("C", "G"):
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, **reply.payload())
            return
        except SlackApiError:
            pass  # Clerk is not in that channel: the DM below still tells the user
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    client.chat_postMessage(channel=dm, **reply.payload())
