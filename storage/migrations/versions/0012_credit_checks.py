"""Credit checks (``credit_checks``), and invoices indexed by client and issue date.

The table records each credit assessment of a client (decision, the limit and retainer it
set, the note, who and when). The index lets a client's payment behaviour read only the
invoices it issued in the last two years. Downgrading drops both: the checks are lost, the
limits and retainers they set stay on the clients.

Revision ID: 0012
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=24), nullable=False),
        sa.Column("limit_cents", sa.BigInteger(), nullable=True),
        sa.Column("retainer_cents", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=False),
        sa.Column("checked_by", sa.String(length=32), nullable=False),
        sa.Column("checked_at", storage.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_credit_checks_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["users.id"], name=op.f("fk_credit_checks_checked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_checks")),
    )
    op.create_index("ix_credit_checks_client_at", "credit_checks", ["client_id", "checked_at"])
    op.create_index("ix_invoices_client_issued", "invoices", ["client_id", "issued_on"])


def downgrade() -> None:
    op.drop_index("ix_invoices_client_issued", table_name="invoices")
    op.drop_index("ix_credit_checks_client_at", table_name="credit_checks")
    op.drop_table("credit_checks")
