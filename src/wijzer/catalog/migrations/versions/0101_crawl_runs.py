"""Per-source crawl run statistics.

Revision ID: 0101_crawl_runs
Revises: 0001_instruments
"""

import sqlalchemy as sa
from alembic import op

revision = "0101_crawl_runs"
down_revision = "0001_instruments"
branch_labels = ("crawler",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False, index=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("fetched", sa.Integer, nullable=False),
        sa.Column("new", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("withdrawn", sa.Integer, nullable=False),
        sa.Column("dropped", sa.JSON, nullable=False),
        sa.Column("errors", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("crawl_runs")
