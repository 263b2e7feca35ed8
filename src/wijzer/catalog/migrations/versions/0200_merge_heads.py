"""Merge the instrument, crawler, curation and alerts branches into one head.

Each area grew its own migration branch from 0001_instruments; from here on there is one
line of revisions, so `wijzer db upgrade` and `wijzer db current` speak of one head.

Revision ID: 0200_merge_heads
Revises: 0101_crawl_runs, 0101_curation, alerts_0001
"""

revision = "0200_merge_heads"
down_revision = ("0101_crawl_runs", "0101_curation", "alerts_0001")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
