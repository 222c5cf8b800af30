"""Who closed a follow-up, when it was a colleague: ``contacts.follow_up_closed_by_id``.

A contact logged by a client's responsible lawyer closes everyone's follow-ups with that
client that are due; the owner of one closed so is told in their next briefing. The column
is set only then (None when the owner closed it), and a partial index on when it was closed
holds just those rows, so the morning's read stays small however long the contact log grows.

On PostgreSQL the column gets its foreign key. On SQLite it is a plain column, as in 0008:
adding a REFERENCES clause there means rebuilding ``contacts``, and a column that carries one
cannot be dropped again on downgrade.

Revision ID: 0009
Revises: 0012 (0010 to 0012 were written before this one, and 0011 already follows 0008)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOSED_BY_COLLEAGUE = sa.text("follow_up_closed_by_id IS NOT NULL")
FOREIGN_KEY = "fk_contacts_follow_up_closed_by_id_users"
INDEX = "ix_contacts_closed_by_colleague"


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.add_column("contacts", sa.Column("follow_up_closed_by_id", sa.Integer(), nullable=True))
    if _on_postgresql():
        op.create_foreign_key(
            op.f(FOREIGN_KEY), "contacts", "users", ["follow_up_closed_by_id"], ["id"]
        )
    op.create_index(
        INDEX,
        "contacts",
        ["follow_up_done_at"],
        sqlite_where=CLOSED_BY_COLLEAGUE,
        postgresql_where=CLOSED_BY_COLLEAGUE,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="contacts")
    if _on_postgresql():
        op.drop_constraint(op.f(FOREIGN_KEY), "contacts", type_="foreignkey")
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), never a rebuild (see above).
    with op.batch_alter_table("contacts", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("follow_up_closed_by_id")
