"""Instruments and their version history.

Revision ID: 0001_instruments
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_instruments"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instruments",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("funder", sa.String(500), nullable=False),
        sa.Column("level", sa.String(20), nullable=False, index=True),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("municipality", sa.String(200)),
        sa.Column("instrument_type", sa.String(30), nullable=False, index=True),
        sa.Column("themes", sa.JSON, nullable=False),
        sa.Column("sizes", sa.JSON, nullable=False),
        sa.Column("stages", sa.JSON, nullable=False),
        sa.Column("amount_min", sa.Float),
        sa.Column("amount_max", sa.Float),
        sa.Column("budget_total", sa.Float),
        sa.Column("opens_at", sa.Date),
        sa.Column("deadlines", sa.JSON, nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("url", sa.String(1000)),
        sa.Column("source", sa.String(100), nullable=False, index=True),
        sa.Column("source_id", sa.String(300)),
        sa.Column("source_url", sa.String(1000)),
        sa.Column("fetched_at", sa.DateTime),
        sa.Column("extra", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime),
        sa.Column("review_state", sa.String(20), nullable=False, index=True),
        sa.Column("merged_into", sa.String(200), index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False, index=True),
    )
    op.create_table(
        "instrument_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "instrument_id", sa.String(200), sa.ForeignKey("instruments.id"), nullable=False,
            index=True,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("changed_by", sa.String(300), nullable=False),
        sa.Column("change_kind", sa.String(30), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.UniqueConstraint("instrument_id", "version"),
    )


def downgrade() -> None:
    op.drop_table("instrument_versions")
    op.drop_table("instruments")
