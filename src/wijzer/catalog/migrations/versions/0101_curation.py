"""Curation: staff users, field overrides, review flags, audit log, source policies, merge links.

Revision ID: 0101_curation
Revises: 0001_instruments
"""

import sqlalchemy as sa
from alembic import op

revision = "0101_curation"
down_revision = "0001_instruments"
branch_labels = ("curation",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("last_login_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "field_overrides",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "instrument_id", sa.String(200), sa.ForeignKey("instruments.id"), nullable=False,
            index=True,
        ),
        sa.Column("field", sa.String(50), nullable=False),
        sa.Column("value", sa.JSON),
        sa.Column("crawled_value", sa.JSON),
        sa.Column("changed_by", sa.String(320), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("instrument_id", "field"),
    )
    op.create_table(
        "review_flags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "instrument_id", sa.String(200), sa.ForeignKey("instruments.id"), nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("resolved_at", sa.DateTime, index=True),
        sa.Column("resolved_by", sa.String(320)),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("who", sa.String(320), nullable=False, index=True),
        sa.Column("action", sa.String(50), nullable=False, index=True),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "source_policies",
        sa.Column("source", sa.String(100), primary_key=True),
        sa.Column("auto_publish", sa.Boolean, nullable=False),
        sa.Column("changed_by", sa.String(320), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "instrument_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "canonical_id", sa.String(200), sa.ForeignKey("instruments.id"), nullable=False,
            index=True,
        ),
        sa.Column(
            "merged_id", sa.String(200), sa.ForeignKey("instruments.id"), nullable=False,
            unique=True,
        ),
        sa.Column("merged_by", sa.String(320), nullable=False),
        sa.Column("merged_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "instrument_links", "source_policies", "audit_log", "review_flags", "field_overrides",
        "users",
    ):
        op.drop_table(table)
