"""Parties on matters, the conflict-search record, and documents filed to matters.

* ``parties``: who stands where in a matter (adverse, client, related, co-counsel,
  opposing-counsel, witness), with the name as typed and its normalised form (indexed; one
  normalised name once per matter).
* ``conflict_searches``: every conflict search, who ran it, what it looked for and what it
  found, as shown at the time.
* ``matter_documents``: Slack messages filed to a matter (the permalink Slack gave, the
  files' names and ids, who filed it and when); nothing is copied out of Slack.

Only new tables: downgrading drops them, and with them the parties, searches and filings.

Revision ID: 0011
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import storage.base

revision: str = "0011"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("normalised", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["matters.id"], name=op.f("fk_parties_matter_id_matters")
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_parties_added_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
        sa.UniqueConstraint(
            "matter_id", "normalised", name=op.f("uq_parties_matter_id_normalised")
        ),
    )
    op.create_index(op.f("ix_parties_matter_id"), "parties", ["matter_id"])
    op.create_index(op.f("ix_parties_normalised"), "parties", ["normalised"])
    op.create_table(
        "conflict_searches",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("searched_by", sa.String(length=32), nullable=False),
        sa.Column("query", sa.String(length=300), nullable=False),
        sa.Column("normalised", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("hit_count", sa.Integer(), nullable=False),
        sa.Column("hits", JSON, nullable=False),
        sa.Column("at", storage.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_searches")),
    )
    op.create_index("ix_conflict_searches_at", "conflict_searches", ["at"])
    op.create_table(
        "matter_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("permalink", sa.String(length=500), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("files", JSON, nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        sa.Column("filed_at", storage.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["matters.id"], name=op.f("fk_matter_documents_matter_id_matters")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["users.id"], name=op.f("fk_matter_documents_filed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matter_documents")),
        sa.UniqueConstraint(
            "matter_id",
            "channel_id",
            "message_ts",
            name=op.f("uq_matter_documents_matter_id_channel_id_message_ts"),
        ),
    )
    op.create_index(
        "ix_matter_documents_matter_filed", "matter_documents", ["matter_id", "filed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_matter_documents_matter_filed", table_name="matter_documents")
    op.drop_table("matter_documents")
    op.drop_index("ix_conflict_searches_at", table_name="conflict_searches")
    op.drop_table("conflict_searches")
    op.drop_index(op.f("ix_parties_normalised"), table_name="parties")
    op.drop_index(op.f("ix_parties_matter_id"), table_name="parties")
    op.drop_table("parties")
