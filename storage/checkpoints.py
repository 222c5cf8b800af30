"""SQLite's WAL checkpoints, moved off the request path into a background thread.

By default SQLite checkpoints inside whichever commit pushes the write-ahead log past 1,000
pages: that one request copies the log back into the database file and waits for the sync.
On a large firm's file the pages a burst of writes touches are scattered, so the unlucky
``/deadline`` that triggers it took 10 ms longer than its neighbours, about every hundredth
write. ``clerk run`` turns the automatic checkpoint off on its connections and checkpoints
every second from a thread instead (SQLite's documented alternative). PASSIVE never
waits for readers or writers; a checkpoint cut short by a long reader finishes on a later
tick. PostgreSQL has no such thing: nothing is started there.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import event

from storage.db import Database

log = logging.getLogger("clerk.storage")

INTERVAL_S = 1.0


def _no_autocheckpoint(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


class Checkpointer:
    """The background thread; ``stop`` ends it after one last checkpoint."""

    def __init__(self, db: Database, interval_s: float = INTERVAL_S) -> None:
        self.db = db
        self.interval_s = interval_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="clerk-checkpoints", daemon=True)

    def start(self) -> Checkpointer:
        event.listen(self.db.engine, "connect", _no_autocheckpoint)
        # Connections opened before (migration check, warm-up) still checkpoint on their own.
        self.db.engine.dispose()
        self._thread.start()
        return self

    def checkpoint(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, frames in the log, frames checkpointed)."""
        raw = self.db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            busy, frames, done = cursor.fetchone()
            cursor.close()
        finally:
            raw.close()
        return int(busy), int(frames), int(done)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval_s):
            self._tick()
        self._tick()

    def _tick(self) -> None:
        try:
            self.checkpoint()
        except Exception:  # a failed tick must not end the thread: log it, try again
            log.warning("SQLite checkpoint failed; the next one is in %s s", self.interval_s)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=10)


def start_checkpoints(db: Database, interval_s: float = INTERVAL_S) -> Checkpointer | None:
    """Checkpoint ``db`` from a background thread (SQLite only; None elsewhere)."""
    if not db.is_sqlite:
        return None
    return Checkpointer(db, interval_s).start()
