"""Running totals on invoices and payments, so a balance reads only what is still open.

``invoices.paid_cents`` is what received payments applied to the invoice; ``payments.
applied_cents`` is what of the payment sits on open invoices. Both are filled here from the
allocations already stored, and partial indexes hold only the invoices with money owed and
the payments with money unapplied: a client with thousands of settled invoices costs what
one with a few does.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPAID = sa.text("amount_cents > paid_cents")
UNAPPLIED = sa.text("amount_cents > applied_cents")


def upgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paid_cents", sa.BigInteger(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applied_cents", sa.BigInteger(), server_default="0", nullable=False)
        )
    op.execute(
        """
        UPDATE invoices SET paid_cents = COALESCE((
            SELECT SUM(a.amount_cents)
            FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
            WHERE a.invoice_id = invoices.id AND p.status = 'received'
        ), 0)
        WHERE EXISTS (SELECT 1 FROM payment_allocations a WHERE a.invoice_id = invoices.id)
        """
    )
    op.execute(
        """
        UPDATE payments SET applied_cents = COALESCE((
            SELECT SUM(a.amount_cents)
            FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id
            WHERE a.payment_id = payments.id AND i.status = 'open'
        ), 0)
        WHERE EXISTS (SELECT 1 FROM payment_allocations a WHERE a.payment_id = payments.id)
        """
    )
    op.create_index(
        "ix_invoices_unpaid",
        "invoices",
        ["status", "client_id", "due_on"],
        sqlite_where=UNPAID,
        postgresql_where=UNPAID,
    )
    op.create_index(
        "ix_payments_unapplied",
        "payments",
        ["status", "is_trust", "client_id"],
        sqlite_where=UNAPPLIED,
        postgresql_where=UNAPPLIED,
    )


def downgrade() -> None:
    op.drop_index("ix_payments_unapplied", table_name="payments")
    op.drop_index("ix_invoices_unpaid", table_name="invoices")
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): rebuilding these tables would trip
    # the foreign keys that point at them.
    with op.batch_alter_table("payments", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("applied_cents")
    with op.batch_alter_table("invoices", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("paid_cents")
