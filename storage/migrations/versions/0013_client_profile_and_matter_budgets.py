"""The client profile, related clients, the billing contact, and matter satisfaction.

A firm keeps named facts about a client: for a person their gender, birth date, family,
income, employer, position and interests; for an organisation its legal representative,
contact person, registered capital, revenue, employees, customers and business partners;
for both the referral source and potential needs. Each is a typed column (dates are dates,
amounts integer cents in the client's currency, counts integers) so they are checked on the
way in and can be grouped in SQL; ``details`` keeps the long tail. ``billing_contact_id`` is
the member of staff who also gets the 08:30 collections DM for the client.

``client_relations`` links a client to the other clients it is related to (a parent
company, a spouse, a guarantor), one row per link as set on the client.

``matters.satisfaction`` (1-5) is asked for when a matter closes; the client analysis
averages it. ``ix_matters_budgeted`` holds only the matters with a budget: the budget check
that runs with every invoice and every 08:30 reads just those.

On SQLite the new user reference is a plain column, as in 0008 and 0009: adding a REFERENCES
clause there means rebuilding ``clients``.

Revision ID: 0013
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0013"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _profile_columns() -> tuple[sa.Column[object], ...]:
    """The new ``clients`` columns, made afresh for each use (a Column joins one table)."""
    return (
        sa.Column("gender", sa.String(length=40), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("family", sa.Text(), nullable=True),
        sa.Column("income_cents", sa.BigInteger(), nullable=True),
        sa.Column("employer", sa.String(length=300), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("interests", sa.Text(), nullable=True),
        sa.Column("legal_rep", sa.String(length=300), nullable=True),
        sa.Column("contact_person", sa.String(length=300), nullable=True),
        sa.Column("registered_capital_cents", sa.BigInteger(), nullable=True),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("customers", sa.Text(), nullable=True),
        sa.Column("business_partners", sa.Text(), nullable=True),
        sa.Column("referral_source", sa.String(length=200), nullable=True),
        sa.Column("potential_needs", sa.Text(), nullable=True),
        sa.Column("billing_contact_id", sa.Integer(), nullable=True),
    )


BILLING_CONTACT_FK = "fk_clients_billing_contact_id_users"
BUDGETED = sa.text("budget_cents IS NOT NULL")


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    for column in _profile_columns():
        op.add_column("clients", column)
    if _on_postgresql():
        op.create_foreign_key(
            op.f(BILLING_CONTACT_FK), "clients", "users", ["billing_contact_id"], ["id"]
        )
    op.create_index("ix_clients_billing_contact_id", "clients", ["billing_contact_id"])
    op.create_table(
        "client_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_relations_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["related_id"], ["clients.id"], name=op.f("fk_client_relations_related_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_relations")),
        sa.UniqueConstraint(
            "client_id", "related_id", name=op.f("uq_client_relations_client_id_related_id")
        ),
    )
    op.create_index("ix_client_relations_related_id", "client_relations", ["related_id"])
    op.add_column("matters", sa.Column("satisfaction", sa.SmallInteger(), nullable=True))
    op.create_index(
        "ix_matters_budgeted",
        "matters",
        ["status"],
        sqlite_where=BUDGETED,
        postgresql_where=BUDGETED,
    )


def downgrade() -> None:
    op.drop_index("ix_matters_budgeted", table_name="matters")
    with op.batch_alter_table("matters", recreate="never") as batch:
        batch.drop_column("satisfaction")
    op.drop_index("ix_client_relations_related_id", table_name="client_relations")
    op.drop_table("client_relations")
    op.drop_index("ix_clients_billing_contact_id", table_name="clients")
    if _on_postgresql():
        op.drop_constraint(op.f(BILLING_CONTACT_FK), "clients", type_="foreignkey")
    with op.batch_alter_table("clients", recreate="never") as batch:
        for column in reversed(_profile_columns()):
            batch.drop_column(column.name)
