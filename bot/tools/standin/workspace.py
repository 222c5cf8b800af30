"""The pretend workspace behind the stand-in: people, channels, messages, views and files.

Each Web API method Clerk uses is a small function of ``params`` that answers in Slack's own
response shape and raises ``ApiError`` with Slack's own error codes, so the bot's error paths
(``channel_not_found``, ``user_not_found``, ``invalid_blocks``) run in tests exactly as they
would against slack.com. No HTTP here: ``server.py`` does transport, auth and fault injection.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.tools.standin.blockcheck import block_problems, view_problems
from bot.tools.standin.errors import ApiError, Params, required
from bot.tools.standin.files import FileMethods, UploadedFile

Handler = Callable[[Params], dict[str, Any]]
FIRST_TS = 1_700_000_000  # seconds part of the first message ts the stand-in hands out
DOMAIN = "clerk-firm"


@dataclass
class Member:
    """One person (or bot) in the directory ``users.info`` reads from."""

    id: str
    name: str
    real_name: str
    tz: str = "America/New_York"
    is_bot: bool = False
    deleted: bool = False


def _tz_fields(tz: str) -> dict[str, Any]:
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return {"tz": tz, "tz_label": tz, "tz_offset": 0}
    offset = now.utcoffset()
    return {
        "tz": tz,
        "tz_label": now.tzname() or tz,
        "tz_offset": int(offset.total_seconds()) if offset else 0,
    }


class Workspace(FileMethods):
    """Thread-safe state plus one handler per supported Web API method."""

    def __init__(
        self,
        *,
        team_id: str,
        bot_user_id: str,
        bot_id: str,
        strict_channels: bool,
        root: Callable[[], str],
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.strict_channels = strict_channels
        self._root = root  # "http://127.0.0.1:PORT/" once the server is bound
        self._lock = threading.RLock()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self.members: dict[str, Member] = {}
        self.channels: dict[str, str] = {}  # id -> name
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.reactions: set[tuple[str, str, str]] = set()
        self._names: Mapping[str, str] = MappingProxyType({})
        self.add_member(Member(bot_user_id, "clerk", "Clerk", is_bot=True))
        self.methods: dict[str, Handler] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.open": self.conversations_open,
            "conversations.join": self.conversations_join,
            "conversations.info": self.conversations_info,
            "conversations.history": self.conversations_history,
            "users.info": self.users_info,
            "views.open": self.views_open,
            "views.push": self.views_open,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url,
            "files.completeUploadExternal": self.files_complete_upload,
            "files.upload": self.files_upload,
            "files.info": self.files_info,
            "reactions.add": self.reactions_add,
        }

    # -- directory ---------------------------------------------------------------------------

    def add_member(self, member: Member) -> None:
        with self._lock:
            self.members[member.id] = member
            self._refresh_names()

    def add_channel(self, channel_id: str, name: str) -> None:
        with self._lock:
            self.channels[channel_id] = name.lstrip("#")
            self._refresh_names()

    def _refresh_names(self) -> None:
        # Copy on write: every RecordedCall can keep a reference without a per-call copy.
        names = {m.id: m.name for m in self.members.values()} | dict(self.channels)
        self._names = MappingProxyType(names)

    @property
    def names(self) -> Mapping[str, str]:
        """Ids (users and channels) to names as they are now; an immutable snapshot."""
        return self._names

    # -- ids -----------------------------------------------------------------------------------

    def next_ts(self) -> str:
        micros = next(self._ts) * 100
        return f"{FIRST_TS + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _user(self, user_id: str) -> Member | None:
        return self.members.get(user_id)

    def resolve_channel(self, value: Any) -> str:
        """A channel id Slack would post into, or ``channel_not_found`` as Slack would say."""
        if not value:
            raise ApiError("channel_not_found")
        channel = str(value)
        if channel.startswith("#"):
            for channel_id, name in self.channels.items():
                if name == channel[1:]:
                    return channel_id
            raise ApiError("channel_not_found")
        if channel[:1] in ("U", "W"):  # posting to a user id lands in the DM with the app
            if self.strict_channels and channel not in self.members:
                raise ApiError("channel_not_found")
            return "D" + channel
        if channel.startswith("D"):
            if self.strict_channels and channel[1:] not in self.members:
                raise ApiError("channel_not_found")
            return channel
        if self.strict_channels and channel not in self.channels:
            raise ApiError("channel_not_found")
        return channel

    @staticmethod
    def _check_content(params: Params) -> None:
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            raise ApiError("no_text")
        if params.get("blocks") is not None:
            problems = block_problems(params["blocks"])
            if problems:
                raise ApiError("invalid_blocks", problems)

    def _message(self, params: Params, ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "team": self.team_id,
            "ts": ts,
            "text": params.get("text") or "",
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if params.get(key) is not None:
                message[key] = params[key]
        return message

    # -- methods -------------------------------------------------------------------------------

    def auth_test(self, params: Params) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{DOMAIN}.slack.com/",
            "team": "Clerk Firm",
            "user": "clerk",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, params: Params) -> dict[str, Any]:
        with self._lock:
            channel = self.resolve_channel(params.get("channel"))
            self._check_content(params)
            ts = self.next_ts()
            message = self._message(params, ts)
            self.messages[(channel, ts)] = message
            return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def chat_post_ephemeral(self, params: Params) -> dict[str, Any]:
        with self._lock:
            self.resolve_channel(params.get("channel"))
            user = required(params, "user", "user_not_found")
            if self.strict_channels and user not in self.members:
                raise ApiError("user_not_found")
            self._check_content(params)
            return {"ok": True, "message_ts": self.next_ts()}

    def _known_message(self, params: Params, ts_key: str) -> tuple[str, str]:
        channel = self.resolve_channel(params.get("channel"))
        ts = required(params, ts_key, "message_not_found")
        if self.strict_channels and (channel, ts) not in self.messages:
            raise ApiError("message_not_found")
        return channel, ts

    def chat_update(self, params: Params) -> dict[str, Any]:
        with self._lock:
            channel, ts = self._known_message(params, "ts")
            self._check_content(params)
            message = self._message(params, ts)
            self.messages[(channel, ts)] = message
            return {
                "ok": True,
                "channel": channel,
                "ts": ts,
                "text": message["text"],
                "message": message,
            }

    def chat_delete(self, params: Params) -> dict[str, Any]:
        with self._lock:
            channel, ts = self._known_message(params, "ts")
            self.messages.pop((channel, ts), None)
            return {"ok": True, "channel": channel, "ts": ts}

    def chat_get_permalink(self, params: Params) -> dict[str, Any]:
        channel, ts = self._known_message(params, "message_ts")
        link = f"https://{DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"ok": True, "channel": channel, "permalink": link}

    def conversations_open(self, params: Params) -> dict[str, Any]:
        if params.get("channel"):
            return {"ok": True, "channel": {"id": self.resolve_channel(params["channel"])}}
        users = [u.strip() for u in str(params.get("users") or "").split(",") if u.strip()]
        if not users:
            raise ApiError("users_list_not_supplied")
        if len(users) > 8:
            raise ApiError("too_many_users")
        for user in users:
            if self.strict_channels and user not in self.members:
                raise ApiError("user_not_found")
        if len(users) == 1:
            channel_id = "D" + users[0]
        else:  # a group DM: stable for the same set of people
            channel_id = "G" + "".join(sorted(u.lstrip("UW") for u in users))[:20]
        return {"ok": True, "no_op": False, "channel": {"id": channel_id}}

    def conversations_join(self, params: Params) -> dict[str, Any]:
        channel = self.resolve_channel(params.get("channel"))
        if channel.startswith("D"):
            raise ApiError("method_not_supported_for_channel_type")
        info = {"id": channel, "name": self.channels.get(channel, channel), "is_channel": True}
        return {"ok": True, "channel": info}

    def conversations_info(self, params: Params) -> dict[str, Any]:
        channel = self.resolve_channel(params.get("channel"))
        if channel.startswith("D"):
            info = {"id": channel, "is_im": True, "user": channel[1:]}
        elif channel in self.channels:
            info = {"id": channel, "name": self.channels[channel], "is_channel": True}
        else:
            raise ApiError("channel_not_found")
        return {"ok": True, "channel": info | {"is_member": True}}

    def conversations_history(self, params: Params) -> dict[str, Any]:
        """Newest first; metadata only when asked for (``include_all_metadata``), as Slack."""
        with self._lock:
            channel = self.resolve_channel(params.get("channel"))
            limit = int(params.get("limit") or 100)
            with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
            found = sorted(
                (m for (c, _), m in self.messages.items() if c == channel),
                key=lambda m: float(m["ts"]),
                reverse=True,
            )
            messages = [
                m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
                for m in found[:limit]
            ]
            return {"ok": True, "messages": messages, "has_more": len(found) > limit}

    def users_info(self, params: Params) -> dict[str, Any]:
        member = self._user(str(params.get("user") or ""))
        if member is None:
            raise ApiError("user_not_found")
        user = {
            "id": member.id,
            "team_id": self.team_id,
            "name": member.name,
            "real_name": member.real_name,
            "deleted": member.deleted,
            "is_bot": member.is_bot,
            "is_app_user": False,
            "profile": {
                "real_name": member.real_name,
                "display_name": member.name,
                "team": self.team_id,
            },
        } | _tz_fields(member.tz)
        return {"ok": True, "user": user}

    def _store_view(self, view: Any, view_id: str | None = None) -> dict[str, Any]:
        problems = view_problems(view)
        if problems:
            raise ApiError("invalid_arguments", problems)
        stored = dict(view)
        stored["id"] = view_id or self._next_id("V")
        stored.setdefault("blocks", [])
        stored.setdefault("private_metadata", "")
        stored.setdefault("callback_id", "")
        stored.setdefault("external_id", "")
        stored |= {
            "team_id": self.team_id,
            "app_id": "A_CLERK",
            "bot_id": self.bot_id,
            "state": {"values": {}},
            "hash": f"{time.time():.6f}",
        }
        self.views[stored["id"]] = stored
        return stored

    def views_open(self, params: Params) -> dict[str, Any]:
        required(params, "trigger_id")
        with self._lock:
            return {"ok": True, "view": self._store_view(params.get("view"))}

    def views_update(self, params: Params) -> dict[str, Any]:
        with self._lock:
            view_id = params.get("view_id")
            if not view_id and params.get("external_id"):
                wanted = params["external_id"]
                found = (k for k, v in self.views.items() if v["external_id"] == wanted)
                view_id = next(found, None)
                if view_id is None:
                    raise ApiError("not_found")
            if not view_id:
                raise ApiError("invalid_arguments")
            return {"ok": True, "view": self._store_view(params.get("view"), str(view_id))}

    def views_publish(self, params: Params) -> dict[str, Any]:
        user = required(params, "user_id")
        view = params.get("view")
        if isinstance(view, dict) and view.get("type") != "home":
            raise ApiError("invalid_arguments", ["[ERROR] must be home [json-pointer:/view/type]"])
        with self._lock:
            existing = next((k for k, v in self.views.items() if v.get("user_id") == user), None)
            stored = self._store_view(view, existing)
            stored["user_id"] = user
            return {"ok": True, "view": stored}

    def reactions_add(self, params: Params) -> dict[str, Any]:
        name = required(params, "name", "invalid_name").strip(":")
        with self._lock:
            channel, ts = self._known_message(params, "timestamp")
            key = (channel, ts, name)
            if key in self.reactions:
                raise ApiError("already_reacted")
            self.reactions.add(key)
        return {"ok": True}
