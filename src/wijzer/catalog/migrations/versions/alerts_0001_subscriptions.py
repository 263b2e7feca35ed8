"""Email alerts: subscriptions, exclusions, saved instruments, outbox, detected changes.

Revision ID: alerts_0001
Revises: 0001_instruments
"""

import sqlalchemy as sa
from alembic import op

revision = "alerts_0001"
down_revision = "0001_instruments"
branch_labels = ("alerts",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(320), nullable=False, index=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("frequency", sa.String(10), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("confirmed_at", sa.DateTime),
        sa.Column("last_digest_at", sa.DateTime),
        sa.Column("last_change_id", sa.Integer, nullable=False),
    )
    op.create_table(
        "subscription_exclusions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "subscription_id", sa.Integer,
            sa.ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False, index=True,
        ),
        sa.Column("instrument_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("subscription_id", "instrument_id"),
    )
    op.create_table(
        "saved_instruments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "subscription_id", sa.Integer,
            sa.ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False, index=True,
        ),
        sa.Column("instrument_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("reminded", sa.JSON, nullable=False),
        sa.UniqueConstraint("subscription_id", "instrument_id"),
    )
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "subscription_id", sa.Integer,
            sa.ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False, index=True,
        ),
        sa.Column("window_key", sa.String(60), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("instrument_ids", sa.JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("attempt_token", sa.String(64)),
        sa.Column("lease_until", sa.DateTime),
        sa.Column("data_started_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("sent_at", sa.DateTime),
        sa.UniqueConstraint("subscription_id", "window_key"),
    )
    op.create_table(
        "detected_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("instrument_id", sa.String(200), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("detected_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.UniqueConstraint("version_id", "kind"),
    )
    op.create_table(
        "alert_state",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "alert_state", "detected_changes", "alert_outbox", "saved_instruments",
        "subscription_exclusions", "subscriptions",
    ):
        op.drop_table(table)
