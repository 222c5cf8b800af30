"""SQLite checkpoints run in clerk run's background thread, not inside a request's commit."""

from __future__ import annotations

from sqlalchemy import select

from storage.checkpoints import Checkpointer, start_checkpoints
from storage.db import Database
from storage.models import Client


def _autocheckpoint(db: Database) -> int:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_autocheckpoint")
        (pages,) = cursor.fetchone()
        return int(pages)
    finally:
        raw.close()


def test_writes_leave_the_log_to_the_background_checkpoint(db: Database) -> None:
    if not db.is_sqlite:
        assert start_checkpoints(db) is None  # PostgreSQL has no write-ahead log to fold
        return
    assert _autocheckpoint(db) == 1000  # SQLite's default: a commit may checkpoint
    checkpoints = Checkpointer(db, interval_s=3600).start()  # ticks only when asked here
    try:
        assert _autocheckpoint(db) == 0  # every connection now, pooled ones included
        for n in range(300):
            with db.unit_of_work("test") as s:
                s.add(Client(code=f"C{n}", name=f"Client {n} " + "x" * 2000))
        busy, frames, done = checkpoints.checkpoint()
        assert frames > 1000  # the commits left the log to grow past the automatic limit
        assert (busy, done) == (0, frames)
        assert checkpoints.checkpoint() == (0, frames, frames)  # all folded in already
        with db.reading() as s:
            assert len(s.scalars(select(Client.id)).all()) == 300  # nothing lost by it
    finally:
        checkpoints.stop()
    assert not checkpoints._thread.is_alive()
