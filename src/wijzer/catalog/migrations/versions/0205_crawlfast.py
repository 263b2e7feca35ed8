"""What each instrument's facts were read from: a hash of the record's text and fields and of
the extractor, so a crawl that brings the same record again skips the extraction.

Revision ID: 0205_crawlfast
Revises: 0204_facts
"""

import sqlalchemy as sa
from alembic import op

revision = "0205_crawlfast"
down_revision = "0204_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instruments") as batch:
        batch.add_column(sa.Column("facts_input", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instruments") as batch:
        batch.drop_column("facts_input")
