"""Schema changes for billing and collections.

* ``invoices.plan_id``: the payment plan that reschedules an invoice.
* ``payment_plans.baseline_paid_cents``: what was paid on the plan's invoices before it.
* ``collection_states``: each client's recorded collections stage and manual floor.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collection_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("manual_floor", sa.Integer(), nullable=True),
        sa.Column("updated_at", storage.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_collection_states_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_states")),
        sa.UniqueConstraint("client_id", name=op.f("uq_collection_states_client_id")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_invoices_plan_id"), ["plan_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_invoices_plan_id_payment_plans"), "payment_plans", ["plan_id"], ["id"]
        )
    with op.batch_alter_table("payment_plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("baseline_paid_cents", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_plans", schema=None) as batch_op:
        batch_op.drop_column("baseline_paid_cents")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_invoices_plan_id_payment_plans"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_invoices_plan_id"))
        batch_op.drop_column("plan_id")
    op.drop_table("collection_states")
