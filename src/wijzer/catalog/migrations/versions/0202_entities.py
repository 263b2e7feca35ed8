"""Entity resolution: relations between records (one instrument, or rounds of one scheme).

Revision ID: 0202_entities
Revises: 0201_hardening
"""

import sqlalchemy as sa
from alembic import op

revision = "0202_entities"
down_revision = "0201_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instrument_relations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "left_id", sa.String(200), sa.ForeignKey("instruments.id"), nullable=False, index=True
        ),
        sa.Column(
            "right_id", sa.String(200), sa.ForeignKey("instruments.id"), nullable=False, index=True
        ),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False, index=True),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("refusal", sa.String(40)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("decided_by", sa.String(320)),
        sa.Column("decided_at", sa.DateTime),
        sa.UniqueConstraint("left_id", "right_id", "relation"),
    )


def downgrade() -> None:
    op.drop_table("instrument_relations")
