"""Engine, sessions and the unit of work every listener, job and command opens.

A unit of work is opened *inside* the listener or service (never in bolt middleware, whose
``next()`` does not wrap the listener) and commits or rolls back as one: an error anywhere
leaves nothing half-written.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage import audit, stamps
from storage.stamps import Now

SQLITE_BUSY_TIMEOUT_S = 15


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_autocommit_driver(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, emit BEGIN (pysqlite's implicit BEGIN is deferred and
    # skipped before some statements).
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn: Any) -> None:
    # A writer takes the lock at BEGIN so concurrent writers queue on busy_timeout instead
    # of one failing mid-transaction with "database is locked" when it upgrades a read lock.
    # Readers stay deferred: under WAL they never block writers.
    if conn.get_execution_options().get("clerk_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    # A database error's message would otherwise carry the statement's values (client
    # names, emails, amounts) into the ERROR log of the one error handler.
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", _sqlite_autocommit_driver)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


class Database:
    """One engine and session factory per process; units of work are short-lived.

    ``now`` is the clock every session of this database stamps rows and the audit trail
    with (see :mod:`storage.stamps`): the wall clock unless the app hands it Clerk's own
    (:meth:`with_clock`), which ``--at`` and the tests move.
    """

    def __init__(self, url: str, *, engine: Engine | None = None, now: Now | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self._use_clock(now or stamps.wall_clock)
        audit.install()

    def _use_clock(self, now: Now) -> None:
        # The clock rides in the connections' execution options, where the stamped columns'
        # default (storage.stamps.clerk_now) reads it, for ORM flushes and core inserts alike.
        self.now: Now = now
        self.read_factory = sessionmaker(
            self.engine.execution_options(**{stamps.NOW_KEY: now}), expire_on_commit=False
        )
        self.write_factory = sessionmaker(
            self.engine.execution_options(clerk_write=True, **{stamps.NOW_KEY: now}),
            expire_on_commit=False,
        )

    def with_clock(self, now: Now) -> Database:
        """The same engine and pool, stamping with ``now``: one app's clock, not the process's.

        A copy rather than a change, so two Clerks sharing a database in one process (a test
        that restarts Clerk at a later instant) keep their own sense of time.
        """
        twin = copy.copy(self)
        twin._use_clock(now)
        return twin

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def unit_of_work(self, actor: str) -> Iterator[Session]:
        """A transaction that writes as ``actor`` and commits only if the block succeeds."""
        session = self.write_factory(info={audit.ACTOR_KEY: actor, stamps.NOW_KEY: self.now})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only: any accidental write fails for want of an actor."""
        session = self.read_factory(info={stamps.NOW_KEY: self.now})
        try:
            yield session
        finally:
            # close() ends the transaction without expiring what was read, so results
            # stay usable after the block.
            session.close()

    def refresh_planner_statistics(self, *, full: bool = False) -> None:
        """Give the query planner row counts to choose indexes by.

        Without them SQLite picks ``ix_deadlines_status_due`` for a client card's next
        deadlines and walks every open deadline of the firm (39 ms on a large firm instead of
        0.1 ms through the client's matters). SQLite: a full ``ANALYZE`` when there are no
        statistics yet (or ``full``), else ``PRAGMA optimize``, which re-analyzes only what
        changed a lot. PostgreSQL's autovacuum keeps its own; ``full`` runs ``ANALYZE`` after
        a bulk load. Not a record: nothing is audited.
        """
        with self.engine.begin() as conn:
            if self.is_sqlite:
                known = conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
                ).first()
                conn.exec_driver_sql("ANALYZE" if full or not known else "PRAGMA optimize")
            elif full:
                conn.exec_driver_sql("ANALYZE")

    def dispose(self) -> None:
        self.engine.dispose()
