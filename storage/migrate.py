"""Applying and checking Alembic migrations (``clerk migrate``, and ``clerk run``'s guard)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.db import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def head_revision(db: Database) -> str | None:
    return ScriptDirectory.from_config(alembic_config(db)).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_up_to_date(db: Database) -> bool:
    return current_revision(db) == head_revision(db)


def upgrade(db: Database, revision: str = "head") -> None:
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


class NotMigrated(RuntimeError):
    """The database is behind the code; ``clerk run`` refuses to serve it."""


def require_up_to_date(db: Database) -> None:
    current, head = current_revision(db), head_revision(db)
    if current != head:
        state = "is empty (never migrated)" if current is None else f"is at revision {current}"
        raise NotMigrated(
            f"The database {db.engine.url.render_as_string(hide_password=True)} {state}, "
            f"but this Clerk needs revision {head}. Run `clerk migrate` first."
        )
