"""Write-offs, dispute owners and review dates, and a client's relationship partner.

* ``invoices.status`` gains the value ``written_off``. The column is plain text (the models'
  ``enum_type`` stores values without a native enum or a CHECK), so no ``ALTER TYPE``.
* ``invoices.written_off_cents``, ``written_off_on``, ``written_off_by_id``,
  ``write_off_reason``: what was given up, on which firm day, by whom and why.
* ``invoices.dispute_owner_id``, ``dispute_review_on``: who sees a dispute through, and when.
* ``clients.partner_id``: the relationship partner, told at partner review.

On PostgreSQL the user columns get their foreign keys. On SQLite they are plain columns:
adding a foreign key there means rebuilding ``invoices``, which ``payment_allocations``'
own foreign keys forbid (dropping the old table would delete rows they point at), and a
column that carries a REFERENCES clause cannot be dropped again on downgrade.

Downgrading turns written-off invoices back into open ones: the older schema has no word for
a write-off, and an open invoice keeps the ledger's running totals true (a void one would
not, as its payments would have to become credit).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, type, referenced table or None)
COLUMNS: tuple[tuple[str, str, sa.types.TypeEngine[object], str | None], ...] = (
    ("invoices", "written_off_cents", sa.BigInteger(), None),
    ("invoices", "written_off_on", sa.Date(), None),
    ("invoices", "written_off_by_id", sa.Integer(), "users"),
    ("invoices", "write_off_reason", sa.Text(), None),
    ("invoices", "dispute_owner_id", sa.Integer(), "users"),
    ("invoices", "dispute_review_on", sa.Date(), None),
    ("clients", "partner_id", sa.Integer(), "users"),
)


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    for table, column, kind, target in COLUMNS:
        op.add_column(table, sa.Column(column, kind, nullable=True))
        if target is not None and _on_postgresql():
            op.create_foreign_key(
                op.f(f"fk_{table}_{column}_{target}"), table, target, [column], ["id"]
            )
    op.create_index(op.f("ix_invoices_written_off_on"), "invoices", ["written_off_on"])


def downgrade() -> None:
    op.execute("UPDATE invoices SET status = 'open' WHERE status = 'written_off'")
    op.drop_index(op.f("ix_invoices_written_off_on"), table_name="invoices")
    for table, column, _kind, target in reversed(COLUMNS):
        if target is not None and _on_postgresql():
            op.drop_constraint(op.f(f"fk_{table}_{column}_{target}"), table, type_="foreignkey")
        # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), never a rebuild (see above).
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column(column)
