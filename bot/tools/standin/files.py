"""Files in the stand-in: the three-step ``files_upload_v2`` flow, legacy upload, downloads.

slack-sdk's ``files_upload_v2`` asks ``files.getUploadURLExternal`` for a URL, POSTs the bytes
there, then calls ``files.completeUploadExternal`` to share them; each step can fail on its
own, so each is a separate, recorded call. The bytes are kept so a test can read the .ics or
CSV Clerk sent.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from bot.tools.standin.errors import ApiError, Params, required


@dataclass
class UploadedFile:
    """A file Clerk sent; ``content`` is the bytes, so tests can read an exported .ics or CSV."""

    id: str
    filename: str
    title: str
    length: int
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    completed: bool = False
    user: str = ""  # who uploaded it: the bot, or a person for add_file


class FileMethods:
    """The file methods of ``Workspace`` (a mixin, to keep each module readable)."""

    _lock: threading.RLock
    _root: Callable[[], str]
    files: dict[str, UploadedFile]
    bot_user_id: str
    team_id: str
    resolve_channel: Callable[[Any], str]
    _next_id: Callable[[str], str]

    def _file_object(self, upload: UploadedFile) -> dict[str, Any]:
        mimetype = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
        return {
            "id": upload.id,
            "name": upload.filename,
            "title": upload.title,
            "mimetype": mimetype,
            "filetype": upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "",
            "size": upload.length,
            "user": upload.user or self.bot_user_id,
            "channels": list(upload.channels),
            "url_private": f"{self._root()}files/{upload.id}/{quote(upload.filename, safe='')}",
        }

    def files_get_upload_url(self, params: Params) -> dict[str, Any]:
        filename = required(params, "filename")
        try:
            length = int(required(params, "length"))
        except ValueError as error:
            raise ApiError("invalid_arguments") from error
        with self._lock:
            file_id = self._next_id("F")
            self.files[file_id] = UploadedFile(file_id, filename, filename, length)
        return {"ok": True, "upload_url": f"{self._root()}upload/{file_id}", "file_id": file_id}

    def receive_upload(self, file_id: str, content: bytes) -> bool:
        """The bytes POSTed to an upload URL; False for a URL the stand-in never issued."""
        with self._lock:
            upload = self.files.get(file_id)
            if upload is None or upload.completed:
                return False
            upload.content = content
            upload.length = len(content)
            return True

    def _share_targets(self, params: Params, *keys: str) -> list[str]:
        for key in keys:
            value = params.get(key)
            if value:
                return [self.resolve_channel(c.strip()) for c in str(value).split(",") if c]
        return []

    def files_complete_upload(self, params: Params) -> dict[str, Any]:
        entries = params.get("files")
        if isinstance(entries, str):
            entries = json.loads(entries)
        if not isinstance(entries, list) or not entries:
            raise ApiError("invalid_arguments")
        with self._lock:
            channels = self._share_targets(params, "channel_id", "channels")
            uploads: list[UploadedFile] = []
            for entry in entries:
                upload = self.files.get(str(entry.get("id")))
                if upload is None or upload.content is None:
                    raise ApiError("file_not_found")
                uploads.append(upload)
            for upload, entry in zip(uploads, entries, strict=True):
                upload.title = entry.get("title") or upload.filename
                upload.channels = channels
                upload.initial_comment = params.get("initial_comment")
                upload.completed = True
            return {"ok": True, "files": [self._file_object(u) for u in uploads]}

    def files_upload(self, params: Params) -> dict[str, Any]:
        content = params.get("file", params.get("content"))
        if content is None:
            raise ApiError("no_file_data")
        data = content if isinstance(content, bytes) else str(content).encode()
        filename = str(params.get("filename") or "file")
        with self._lock:
            channels = self._share_targets(params, "channels", "channel")
            upload = UploadedFile(
                self._next_id("F"),
                filename,
                str(params.get("title") or filename),
                len(data),
                data,
                channels,
                params.get("initial_comment"),
                completed=True,
            )
            self.files[upload.id] = upload
            return {"ok": True, "file": self._file_object(upload)}

    def add_shared_file(self, file_id: str, filename: str, content: bytes, user: str = "") -> None:
        with self._lock:
            self.files[file_id] = UploadedFile(
                file_id, filename, filename, len(content), content, completed=True, user=user
            )

    def files_info(self, params: Params) -> dict[str, Any]:
        upload = self.files.get(str(params.get("file") or ""))
        if upload is None or not upload.completed:
            raise ApiError("file_not_found")
        return {"ok": True, "file": self._file_object(upload)}
