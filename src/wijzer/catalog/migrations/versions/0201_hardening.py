"""Hardening: server-side staff sessions, per-account-and-address login backoff.

Replaces the per-account lockout (users.failed_logins, users.locked_until), which let anyone
lock any staff account and told which addresses were staff accounts. Amounts an older version
stored as Infinity (or NaN, which PostgreSQL keeps) become unknown: they were never facts.

Revision ID: 0201_hardening
Revises: 0200_merge_heads
"""

import sqlalchemy as sa
from alembic import op

revision = "0201_hardening"
down_revision = "0200_merge_heads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("account", sa.String(320), primary_key=True),
        sa.Column("address", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", sa.DateTime, nullable=False, index=True),
        sa.Column("wait_until", sa.DateTime),
    )
    with op.batch_alter_table("users") as batch:
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")
    for column in ("amount_min", "amount_max", "budget_total"):
        # Infinity and (in PostgreSQL) NaN compare above every finite number.
        op.execute(
            f"UPDATE instruments SET {column} = NULL"
            f" WHERE {column} > 1e300 OR {column} < -1e300 OR {column} <> {column}"
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime))
    op.drop_table("login_failures")
    op.drop_table("staff_sessions")
