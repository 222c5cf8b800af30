"""Calendar feed tokens (``calendar_feeds``): one row per subscription URL given out.

Only the sha256 of each token is stored. A new table only: downgrading drops it, and every
subscription URL stops working (calendars then get 404 and keep their last copy).

Revision ID: 0010
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0010"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", storage.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("served_etag", sa.String(length=64), nullable=True),
        sa.Column("changed_at", storage.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_calendar_feeds_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["matters.id"], name=op.f("fk_calendar_feeds_matter_id_matters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    op.create_index("ix_calendar_feeds_user_matter", "calendar_feeds", ["user_id", "matter_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_feeds_user_matter", table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
