"""More sources: register entries (evidence of grants), page validators for incremental
crawls, and the kind of each crawl run.

Revision ID: 0203_sources
Revises: 0202_entities
"""

import sqlalchemy as sa
from alembic import op

revision = "0203_sources"
down_revision = "0202_entities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False, index=True),
        sa.Column("municipality", sa.String(200), nullable=False),
        sa.Column("dossier", sa.String(100), nullable=False),
        sa.Column("recipient", sa.String(500), nullable=False),
        sa.Column("scheme", sa.String(500), nullable=False),
        sa.Column("scheme_key", sa.String(500), nullable=False, index=True),
        sa.Column("policy_area", sa.String(200), nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("project", sa.String(1000), nullable=False),
        sa.Column("periodicity", sa.String(50), nullable=False),
        sa.Column("amount_requested", sa.Float),
        sa.Column("amount_granted", sa.Float),
        sa.Column("amount_settled", sa.Float),
        sa.Column("year", sa.Integer),
        sa.Column("listed_on", sa.Date),
        sa.Column("source_url", sa.String(1000)),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("fetched_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("source", "dossier"),
    )
    op.create_table(
        "crawl_pages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False, index=True),
        sa.Column("url_key", sa.String(40), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("etag", sa.String(300)),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("version", sa.String(100)),
        sa.Column("item_id", sa.String(200)),
        sa.Column("fetched_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("source", "url_key"),
    )
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="full"))
        batch.add_column(sa.Column("details", sa.JSON, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("details")
        batch.drop_column("kind")
    op.drop_table("crawl_pages")
    op.drop_table("register_entries")
