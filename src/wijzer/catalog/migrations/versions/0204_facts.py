"""Facts with evidence: applicants, purposes, geography, a staff-confirmed status, the quotes
facts rest on, status signals and each record's own source document.

Revision ID: 0204_facts
Revises: 0203_sources
"""

import sqlalchemy as sa
from alembic import op

revision = "0204_facts"
down_revision = "0203_sources"
branch_labels = None
depends_on = None

_JSON_LISTS = ("applicants", "purposes", "status_signals")
_JSON_OBJECTS = ("evidence", "source_document")


def upgrade() -> None:
    with op.batch_alter_table("instruments") as batch:
        for name in _JSON_LISTS:
            batch.add_column(sa.Column(name, sa.JSON, nullable=False, server_default="[]"))
        for name in _JSON_OBJECTS:
            batch.add_column(sa.Column(name, sa.JSON, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("geography", sa.String(200), nullable=True))
        batch.add_column(sa.Column("confirmed_status", sa.String(20), nullable=True))
        batch.add_column(sa.Column("source_text", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("instruments") as batch:
        for name in (*_JSON_LISTS, *_JSON_OBJECTS, "geography", "confirmed_status", "source_text"):
            batch.drop_column(name)
