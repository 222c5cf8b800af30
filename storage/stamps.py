"""Row timestamps taken from Clerk's clock, not from the machine's.

Clerk's sense of "now" can be moved (``clerk run --at``, ``clerk demo --at``, the test
harness's frozen mornings). A column default of "the machine's time" would then disagree
with everything else the process believes: an outbox row queued "now" would not be due until
the real date caught up with the rehearsed one, a client created during a rehearsal would be
counted as new in the wrong month. So every stamped column defaults to :func:`clerk_now`, a
context-sensitive default that reads the clock the statement's connection was opened with:
:class:`storage.db.Database` puts its clock in the execution options of the connections its
units of work use. ORM flushes and Core ``insert()`` statements alike go through it, so no
writer can forget. A connection opened any other way (an Alembic migration, a maintainer's
script) gets the wall clock, which is the right clock for a process whose time never moved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

NOW_KEY = "clerk_now"

Now = Callable[[], datetime]


def wall_clock() -> datetime:
    """The machine's time, aware UTC: the clock of a process whose time was never moved."""
    return datetime.now(UTC)


def clerk_now(context: Any) -> datetime:
    """Column default: the instant the statement's connection's clock reads.

    ``context`` is SQLAlchemy's execution context; its options merge the connection's, where
    :class:`storage.db.Database` put its clock under :data:`NOW_KEY`.
    """
    now: Now = context.execution_options.get(NOW_KEY, wall_clock)
    return now()


def session_now(session: Session) -> datetime:
    """The instant the session's clock reads, for values written outside column defaults
    (the audit trail's rows, a retry's next attempt)."""
    now: Now = session.info.get(NOW_KEY, wall_clock)
    return now()
